"""Eligibility (hard rules) and the score, for one need against many opportunity rows at once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from tracker.matching import sorting
from tracker.matching.synonyms import themes_in
from tracker.matching.table import NO_DATE, ColumnMemo, OppTable
from tracker.matching.text import QueryValues, _term, _words, proper_nouns, tokens
from tracker.matching.types import NeedSpec

# Area verdicts for an opportunity's list of areas against the need's area.
COVERS, PART, NO_AREA, NOT_COVERED = 0, 1, 2, 3
# Who may apply: the applicant itself (named, or nobody listed), via a partner, nobody.
DIRECT, DIRECT_UNLISTED, VIA_PARTNER, NOBODY = 0, 1, 2, 3

INFERRED_THEME_WEIGHT = 0.2  # themes found only in the need's prose count for less
BROAD_THEMES = {"community_safety": 0.5, "crime_prevention": 0.5}  # umbrella themes say less
OFF_PURPOSE = 0.6  # theme match only through an opportunity's side themes
OFF_TOPIC = 0.4  # theme match only through umbrella themes or themes inferred from the need's prose
W_THEME, W_TEXT = 0.55, 0.45
NAME_WEIGHT = 0.3  # query weight of place and organisation names (the area rules handle place)
WHO_FACTOR = np.array([1.0, 0.9, 0.7, 0.5])  # by DIRECT..NOBODY


@dataclass
class Verdicts:
    rows: np.ndarray
    area: np.ndarray
    closed: np.ndarray
    too_tight: np.ndarray
    who: np.ndarray
    amount_ok: np.ndarray
    eligible: np.ndarray
    relevance: np.ndarray
    score: np.ndarray
    days_left: np.ndarray


def need_theme_weights(need: NeedSpec, keys: list[str]) -> np.ndarray:
    """Weight per vocabulary theme: stated and keyword themes 1, prose-only themes less."""
    w = np.zeros(len(keys), dtype=np.float32)
    ix = {t: i for i, t in enumerate(keys)}
    stated = [t for t in need.themes if t in ix] + themes_in(" ; ".join(need.keywords))
    for t in themes_in(f"{need.title}\n{need.description}"):
        if t in ix:
            w[ix[t]] = 1.0 if not stated else INFERRED_THEME_WEIGHT
    for t in stated:
        w[ix[t]] = 1.0
    for t, factor in BROAD_THEMES.items():
        if t in ix:
            w[ix[t]] *= factor
    return w


def need_words(need: NeedSpec) -> list[str]:
    title = tokens(need.title)
    keywords = [w for k in need.keywords for w in tokens(k)]
    return title + title + tokens(need.description) + keywords + keywords


def area_codes(table: OppTable, need_area: str) -> np.ndarray:
    """One verdict per distinct area set in the table (memoised per need area; area sets
    appended since are judged on their own, not the whole list again)."""
    vocab = table.vocab
    area = vocab.canonical_area(need_area) or need_area
    cached = table.area_cache.get(area, np.zeros(0, dtype=np.int8))
    if len(cached) == len(table.area_sets):
        return cached
    out = np.concatenate([cached, np.empty(len(table.area_sets) - len(cached), dtype=np.int8)])
    table.area_cache[area] = out
    # judged once per area named (a few hundred), not per set (thousands): a set covers the
    # need's area when one of its areas does, else is part of it when one of its areas is
    one: dict[str, int] = {}
    for i in range(len(cached), len(out)):
        verdict = NO_AREA if not table.area_sets[i] else NOT_COVERED
        for a in table.area_sets[i]:
            if a not in one:
                one[a] = COVERS if vocab.covers(a, area) else PART if area in vocab.ancestors(a) else NOT_COVERED
            verdict = min(verdict, one[a])
        out[i] = verdict
    return out


def who_may_apply(table: OppTable, rows: np.ndarray | slice, need: NeedSpec) -> np.ndarray:
    elig, excl = table.col["elig"][rows], table.col["excl"][rows]
    me = table.org_bit.get(need.applicant, 0)
    partners = table._bits(need.partners)
    listed = elig != 0
    me_ok = ((elig & me) != 0) & ((excl & me) == 0)
    me_unlisted = ~listed & ((excl & me) == 0) & (me != 0)
    partner_ok = (np.where(listed, elig, -1) & ~excl & partners) != 0
    return np.select([me_ok, me_unlisted, partner_ok], [DIRECT, DIRECT_UNLISTED, VIA_PARTNER], NOBODY)


def amount_fit(amin: np.ndarray, amax: np.ndarray, need: NeedSpec) -> np.ndarray:
    """1 when the ranges overlap, less the further apart they are, 0.7 when unknown."""
    lo = float(need.amount_min) if need.amount_min is not None else 0.0
    hi = float(need.amount_max) if need.amount_max is not None else np.inf
    fit = np.full(len(amin), 0.7)
    known = ~np.isnan(amax) | ~np.isnan(amin)
    omin, omax = np.nan_to_num(amin, nan=0.0), np.nan_to_num(amax, nan=np.inf)
    overlap = (omin <= hi) & (omax >= lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        too_big = np.where(omin > hi, hi / omin, 1.0)
    fit[known] = np.where(overlap, 1.0, np.clip(too_big, 0.0, 1.0))[known]
    return fit


def theme_match_many(table: OppTable, rows: np.ndarray | slice, weights: np.ndarray) -> np.ndarray:
    """Per need (weights: needs x themes) and row, the cosine of need and call theme weights
    (a call's main themes weigh more), discounted when none of the call's main themes is one
    the need states (0 for a need without themes). `rows`: row numbers, or slice(None) for
    every row."""
    # products of float32 weights are exact in float64, and each sum runs in theme order, as a
    # sum theme by theme would: a matrix product (BLAS), not a gather per need and row
    hit = weights.astype(np.float64) @ table.themes[rows].T.astype(np.float64)
    stated = (weights >= 0.5).astype(np.float32)  # themes the need states (not only read into its prose)
    # a main theme the need states; an umbrella theme (community safety) alone does not make it on purpose
    on_purpose = stated @ table.main_theme_rows[:, rows].astype(np.float32) > 0
    # any specific theme the need states, main or side; without one the overlap is only an umbrella
    # theme or themes read into the need's prose
    on_topic = stated @ table.side_theme_rows[:, rows].astype(np.float32) > 0
    # each need's norm in float32, as a Python float times a float32 array is
    norm = np.array([np.sqrt(w @ w) for w in weights], dtype=np.float32)
    cosine = hit / np.maximum(table.theme_norm[rows][None, :] * norm[:, None], 1e-9)
    return cosine * np.where(on_purpose, 1.0, np.where(on_topic, OFF_PURPOSE, OFF_TOPIC))


@dataclass
class NeedQuery:
    """What scoring needs from a need, prepared once per need and index."""

    weights: np.ndarray  # per vocabulary theme
    words: dict[str, float]  # index term -> query weight
    q: dict[int, float] = field(default_factory=dict)  # term id -> weight, for terms in the index
    surface: dict[str, str] = field(default_factory=dict)  # index term -> the need's own word
    text_max: float | None = None  # best BM25 over the corpus
    term_of: dict[int, str] = field(default_factory=dict)  # term id -> index term

    _by_id: dict[int, str] | None = None
    _arrays: tuple[np.ndarray, np.ndarray, list[str | None]] | None = None

    def refresh(self, table: OppTable) -> NeedQuery:
        """Pick up need words that newly appended documents brought into the index."""
        if len(self.q) < len(self.words):
            vocab = table.index.vocab
            self.q = {vocab[t]: w for t, w in self.words.items() if t in vocab}
            self.term_of = {vocab[t]: t for t in self.words if t in vocab}
            self._by_id = self._arrays = None
        return self

    def arrays(self) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
        """`q` as ascending term ids and their weights, with the need's own word for each."""
        if self._arrays is None:
            ids, weights = QueryValues.sorted(self.q)
            self._arrays = ids, weights, list(map(self.words_by_id().get, ids.tolist()))
        return self._arrays

    def words_by_id(self) -> dict[int, str]:
        """Index term id -> the need's own word for it, for the terms it has a word for."""
        if self._by_id is None:
            self._by_id = {t: w for t, term in self.term_of.items() if (w := self.surface.get(term))}
        return self._by_id


def prepare(table: OppTable, need: NeedSpec) -> NeedQuery:
    text = f"{need.title}\n{need.description}"
    weight = dict.fromkeys(proper_nouns(text), NAME_WEIGHT)
    words = {t: n * weight.get(t, 1.0) for t, n in Counter(need_words(need)).items()}
    surface: dict[str, str] = {}
    for w in _words(text + "\n" + "\n".join(need.keywords)):
        t = _term(w)
        if t is not None:
            surface.setdefault(t, w)
    return NeedQuery(need_theme_weights(need, table.theme_keys), words, surface=surface).refresh(table)


def evaluate_many(table: OppTable, needs: list[NeedSpec], nqs: list[NeedQuery], today: date,
                  rows: np.ndarray) -> Verdicts:
    """Each need's verdicts on the given rows, as (needs x rows) arrays (the calls a crawl
    brought, for every need at once). Text relevance is BM25 over the need's best BM25 in the
    corpus, kept in `text_max` (found by a whole-corpus pass the first time)."""
    rows = np.asarray(rows, dtype=np.int64)
    for nq in nqs:
        if nq.text_max is None:  # never scored over the whole corpus: its best BM25 there
            nq.text_max = float(table.index.scores(nq.q)[table.alive].max(initial=0.0))
    bm25 = table.index.scores_rows_many(queries(nqs), rows)
    for nq, best in zip(nqs, bm25.max(axis=1, initial=0.0).tolist(), strict=True):
        nq.text_max = max(nq.text_max or 0.0, best)
    # made once per need field value for these rows (a ColumnMemo used for this call alone)
    return _verdicts(table, needs, nqs, today, rows, rows, bm25, ColumnMemo(None, 0))


def evaluate_all(table: OppTable, needs: list[NeedSpec], nqs: list[NeedQuery], today: date) -> Verdicts:
    """Each need's verdicts on every live row, as (needs x rows) arrays: the numbers
    `evaluate_many` gives those rows, BM25 need by need over the postings (a whole-corpus
    query's fastest path) and the rest in a few passes for all the needs at once."""
    every = bool(table.alive.all())
    rows = np.arange(len(table)) if every else np.flatnonzero(table.alive)
    pick = slice(None) if every else rows
    bm25 = np.empty((len(nqs), len(rows)))
    for i, nq in enumerate(nqs):
        bm25[i] = table.index.scores(nq.q)[pick]
        nq.text_max = float(bm25[i].max(initial=0.0))
    # over every row, the need-field columns are kept between calls (until rows or the day change)
    memo = table.whole_corpus_memo(today) if every else ColumnMemo(None, 0)
    return _verdicts(table, needs, nqs, today, rows, pick, bm25, memo)


def _verdicts(table: OppTable, needs: list[NeedSpec], nqs: list[NeedQuery], today: date, rows: np.ndarray,
              pick: np.ndarray | slice, bm25: np.ndarray, memo: ColumnMemo) -> Verdicts:
    """The (needs x rows) verdicts from the needs' BM25 for `rows` (read from the table's
    columns through `pick`: the rows, or slice(None) for every row)."""
    text_max = np.array([nq.text_max for nq in nqs], dtype=np.float64)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        text = np.where(text_max > 0, bm25 / text_max, 0.0)
    c = {k: v[pick] for k, v in table.col.items()}
    days_left, closed = memo.get("days", lambda: _days(c, today))

    # each column depends on a few need fields, which a team's needs share: made once per value
    def per_need(field: Callable[[NeedSpec], object], make: Callable[[NeedSpec], Any]) -> list[Any]:
        return [memo.get((make.__name__, field(n)), lambda n=n: make(n)) for n in needs]

    def prep(n: NeedSpec) -> tuple[np.ndarray, np.ndarray]:
        return _timing(c, days_left, closed, n.prep_days)

    def area(n: NeedSpec) -> np.ndarray:
        return area_codes(table, n.area)[c["area"]]

    def who(n: NeedSpec) -> tuple[np.ndarray, np.ndarray]:
        return _who(table, pick, n)

    def floor(n: NeedSpec) -> np.ndarray:
        return _amount_ok(c, float(n.amount_min or 0))

    def money(n: NeedSpec) -> np.ndarray:
        return 0.6 + 0.4 * amount_fit(c["amin"], c["amax"], n)

    too_tight, timing_factor = (np.stack(x) for x in zip(*per_need(lambda n: n.prep_days, prep), strict=True))
    areas = np.stack(per_need(lambda n: n.area, area))
    whos, who_factor = (np.stack(x) for x in zip(*per_need(lambda n: (n.applicant, tuple(n.partners)), who),
                                                 strict=True))
    amount_ok = np.stack(per_need(lambda n: float(n.amount_min or 0), floor))
    fits = np.stack(per_need(lambda n: (n.amount_min, n.amount_max), money))
    closed2, days2 = (np.broadcast_to(x, areas.shape) for x in (closed, days_left))
    eligible = (areas != NOT_COVERED) & ~closed2 & ~too_tight & (whos != NOBODY) & amount_ok
    weights = np.stack([nq.weights for nq in nqs])
    has_themes = weights.any(axis=1)[:, None]
    relevance = np.where(has_themes, W_THEME * theme_match_many(table, pick, weights) + W_TEXT * text, text)
    fit = who_factor * fits * timing_factor
    score = np.round(100.0 * np.clip(relevance, 0.0, 1.0) * fit, 1)
    return Verdicts(rows, areas, closed2, too_tight, whos, amount_ok, eligible, relevance, score, days2)


def _amount_ok(c: dict[str, np.ndarray], floor: float) -> np.ndarray:
    """The call can pay at least `floor` (its largest grant, else its whole pot, when stated)."""
    return ~(c["amax"] < floor) & ~(np.isnan(c["amax"]) & (c["pot"] < floor))


def _days(c: dict[str, np.ndarray], today: date) -> tuple[np.ndarray, np.ndarray]:
    """Days to the deadline (10**6 without one) and whether the call is closed."""
    has_deadline = c["deadline"] != NO_DATE
    days_left = np.where(has_deadline, c["deadline"] - today.toordinal(), 10**6)
    return days_left, (c["status"] == 2) | (has_deadline & (days_left < 0))


def _timing(c: dict[str, np.ndarray], days_left: np.ndarray, closed: np.ndarray,
            prep_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Too tight to prepare a bid, and the score factor for timing."""
    too_tight = ~closed & (days_left != 10**6) & (days_left < prep_days)
    urgency = np.where(c["rolling"], 0.5, np.exp(-np.maximum(days_left - prep_days, 0) / 365.0))
    return too_tight, (0.95 + 0.05 * urgency) * np.where(c["status"] == 1, 0.95, 1.0)


def _who(table: OppTable, pick: np.ndarray | slice, need: NeedSpec) -> tuple[np.ndarray, np.ndarray]:
    who = who_may_apply(table, pick, need)
    return who, WHO_FACTOR[who]


class Queries(QueryValues):
    """Needs' queries as `QueryValues`, with each entry's word as the need wrote it."""

    def __init__(self, arrays: list[tuple[np.ndarray, np.ndarray, list[str | None]]]) -> None:
        super().__init__([a[:2] for a in arrays])
        self.arrays = arrays
        words = [w for a in arrays for w in a[2]]
        self.words = np.array(words, dtype=object)
        self.said = np.array([w is not None for w in words], dtype=bool)


_last: list[Queries] = []  # the last needs' queries: a run asks for the same needs' queries twice or more


def queries(nqs: list[NeedQuery]) -> Queries:
    arrays = [nq.arrays() for nq in nqs]
    last = _last[0] if _last else None
    if last is None or len(last.arrays) != len(arrays) or any(
            a is not b for a, b in zip(arrays, last.arrays, strict=True)):
        last = Queries(arrays)
        _last[:] = [last]
    return last


def shared_words_many(table: OppTable, rows: np.ndarray, which: np.ndarray, nqs: list[NeedQuery],
                      k: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (row, need) pair (`rows[i]` for `nqs[which[i]]`), the need's words (as the need wrote
    them) that weigh most in the opportunity's text, in one vectorised pass over every pair
    (per-row numpy calls cost more than the arithmetic when results mostly share no theme).
    As arrays, not a list per pair (slicing out 10,000 small lists cost as much as the rest):
    the words, heaviest first within each pair's run, and per pair where its run starts and
    how many words it has (at most k)."""
    if not len(rows):
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    which = np.asarray(which, dtype=np.int64)
    distinct, row_of_pair = np.unique(np.asarray(rows, dtype=np.int64), return_inverse=True)
    qs = queries(nqs)
    query, row, entry, contrib = table.index.shared(qs, distinct)
    # the terms each asked-for (need, row) cell shares, with their weight in the row's text
    cell_of_pair = which * len(distinct) + row_of_pair.reshape(-1)
    asked = np.zeros(len(nqs) * len(distinct), dtype=bool)
    asked[cell_of_pair] = True
    owner = query * len(distinct) + row
    hit = np.flatnonzero(asked[owner] & (contrib != 0))
    owner, entry, contrib = owner[hit], entry[hit], contrib[hit]
    terms = qs.terms[entry]
    # per row, heaviest first; of equal weight the later term id first (as heapq.nlargest over (weight, id))
    order = sorting.lexsort([terms.max(initial=0) - terms, sorting.descending(contrib), owner])
    owner, entry = owner[order], entry[order]
    top = _rank_in_group(owner) < 2 * k  # of a row's 2k heaviest terms, the first k the need has a word for
    owner, entry = owner[top], entry[top]
    said = qs.said[entry]
    owner, entry = owner[said], entry[said]
    keep = _rank_in_group(owner) < k
    cells = owner[keep]
    starts = np.searchsorted(cells, cell_of_pair, side="left")
    return qs.words[entry[keep]], starts, np.searchsorted(cells, cell_of_pair, side="right") - starts


def _rank_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    """Each element's place (0, 1, ...) among the equal keys before it, in a sorted array."""
    n = len(sorted_keys)
    starts = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]])) if n else np.zeros(0, int)
    return np.arange(n) - np.repeat(starts, np.diff(np.append(starts, n)))
