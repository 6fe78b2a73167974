"""Score needs against opportunities: eligibility first, then a ranked, explained list."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import numpy as np

from tracker.matching import explain, rules
from tracker.matching.table import OppTable
from tracker.matching.types import MatchResult, NeedSpec, OppSpec
from tracker.vocab import Vocabulary, load_vocabulary

MIN_RELEVANCE = 0.12  # below this an opportunity is not a match at all (not stored)
MAX_RESULTS = 200  # per need: best eligible by score, plus as many ineligible by relevance


class Matcher:
    """Index the opportunities once; score any number of needs against them.

    `upsert` adds new or changed opportunities without rebuilding (IDF stays from the
    corpus the matcher was built on); `score_subset` re-scores only the given keys and
    gives the same numbers as `score` does for those keys.
    """

    def __init__(self, opps: list[OppSpec], today: date, vocab: Vocabulary | None = None,
                 min_relevance: float = MIN_RELEVANCE, max_results: int | None = MAX_RESULTS) -> None:
        self.today = today
        self.min_relevance = min_relevance
        self.max_results = max_results
        with _collector_paused():
            self.table = OppTable(opps, vocab or load_vocabulary())
        self._needs: dict[tuple, rules.NeedQuery] = {}  # prepared queries, by need content
        self._explainer = explain.Explainer(self.table, today)

    CELLS_PER_PASS = 400_000  # needs x calls scored in one pass (20 needs at 20,000 calls)

    def _prepare(self, need: NeedSpec) -> rules.NeedQuery:
        key = (need.id, need.title, need.description, tuple(need.keywords), tuple(need.themes))
        if key not in self._needs:
            self._needs[key] = rules.prepare(self.table, need)
        return self._needs[key].refresh(self.table)

    def upsert(self, opps: list[OppSpec]) -> None:
        """Add new or changed opportunities (a changed key replaces its old version)."""
        with _collector_paused():
            self.table.upsert(opps)
        index = self.table.index
        if index.n_rows - index.n_posted > max(500, index.n_posted // 20):
            index.compact()  # re-post the appended rows so whole-corpus queries stay fast

    def keep_between_runs(self) -> None:
        """For a process that keeps this matcher between runs (the scheduler, all day): take
        everything alive now, the calls' specs above all (100,000 objects and lists for 20,000
        calls), out of the garbage collector's full passes. Each full pass walked them all,
        and a run's results set one off every run or two: a fifth of an incremental run's
        time. Objects frozen by an earlier call are let go first and the garbage collected, so
        a replaced matcher is freed as any other (frozen garbage would never be)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def remove(self, keys: list[str]) -> None:
        self.table.remove(keys)

    def score(self, need: NeedSpec) -> list[MatchResult]:
        """Every relevant opportunity for the need: eligible ones ranked first, then the rest."""
        return next(self.score_many([need]))

    def score_many(self, needs: list[NeedSpec]) -> Iterator[list[MatchResult]]:
        """`score` of each need, in order: scored a few needs at a time (a pass per few needs,
        not per need; the (needs x calls) arrays of a few needs kept, not of all)."""
        per_pass = max(1, self.CELLS_PER_PASS // max(len(self.table), 1))
        for start in range(0, len(needs), per_pass):
            chunk = needs[start: start + per_pass]
            with _collector_paused():  # not while the caller has the results
                nqs = [self._prepare(n) for n in chunk]
                results = self._results(chunk, nqs, rules.evaluate_all(self.table, chunk, nqs, self.today))
            yield from results

    def score_subset(self, need: NeedSpec, keys: list[str]) -> list[MatchResult]:
        """Re-score only these opportunities (e.g. new or changed after a crawl): the same
        numbers `score` gives them. Ranks are local to the subset; merge to re-rank."""
        return self.score_subset_many([need], keys)[0]

    def score_subset_many(self, needs: list[NeedSpec], keys: list[str]) -> list[list[MatchResult]]:
        """`score_subset` of each need, all at once (the calls a crawl brought, for every need)."""
        if not needs:
            return []
        with _collector_paused():
            nqs = [self._prepare(n) for n in needs]
            rows = self.table.rows_for(keys)
            return self._results(needs, nqs, rules.evaluate_many(self.table, needs, nqs, self.today, rows))

    def _primary(self, opp: OppSpec) -> str | None:
        """The key this opportunity collapses onto, if that call is in the corpus."""
        dup = opp.duplicate_of
        return dup if dup and dup != opp.key and dup in self.table.row_of else None

    def _keep(self, v: rules.Verdicts) -> np.ndarray:
        """Per need, relevant rows; at most `max_results` eligible (by score) and ineligible (by relevance)."""
        relevant = v.relevance >= self.min_relevance
        keep = np.zeros(relevant.shape, dtype=bool)
        for mask, key in ((relevant & v.eligible, v.score), (relevant & ~v.eligible, v.relevance)):
            keep |= mask
            if self.max_results is None:
                continue
            for n in np.flatnonzero(mask.sum(axis=1) > self.max_results).tolist():
                idx = np.flatnonzero(mask[n])
                keep[n, idx] = False
                keep[n, _top(idx, key[n, idx], self.max_results)] = True
        return keep

    def _topics(self, needs: list[NeedSpec], nqs: list[rules.NeedQuery], which: np.ndarray,
                rows: np.ndarray) -> list[str | None]:
        """Per (need, row) pair, the themes they share in words (the need's own order first), or
        None when they share none; put in words once per need and set of themes."""
        n_themes = len(self.table.theme_keys)
        bit = np.left_shift(1, np.arange(n_themes, dtype=np.int64))
        need_bits = (np.stack([nq.weights for nq in nqs]) > 0) @ bit
        shared = ((self.table.themes[rows] > 0) @ bit) & need_bits[which]
        sets, set_of = np.unique(which * (1 << n_themes) + shared, return_inverse=True)
        ix = self.table.theme_ix
        named: list[str | None] = []
        orders: dict[int, list[int]] = {}
        for key in sets.tolist():
            n, has = divmod(key, 1 << n_themes)
            if not has:
                named.append(None)
                continue
            if n not in orders:
                weights = nqs[n].weights
                stated = [ix[t] for t in needs[n].themes if t in ix]  # the need's own order first
                orders[n] = stated + [t for t in np.argsort(-weights, kind="stable").tolist()
                                      if weights[t] > 0 and t not in stated]
            named.append(explain.topic([self.table.theme_keys[t] for t in orders[n] if has >> t & 1], None))
        return [named[k] for k in set_of.reshape(-1).tolist()]

    def _results(self, needs: list[NeedSpec], nqs: list[rules.NeedQuery], v: rules.Verdicts) -> list[list[MatchResult]]:
        """Each need's results from its row of the (needs x rows) verdicts."""
        # per kept pair as plain Python values: numpy scalar indexing in this loop cost more than the scoring
        which, cols = np.nonzero(self._keep(v))
        rows = v.rows[cols]
        topics = self._topics(needs, nqs, which, rows)
        # no theme in common: say which of the need's words the call uses
        wordless = np.array([i for i, t in enumerate(topics) if t is None], dtype=np.int64)
        said = explain.mentions(*rules.shared_words_many(self.table, rows[wordless], which[wordless], nqs))
        for i, t in zip(wordless.tolist(), said, strict=True):
            topics[i] = t
        calls = list(map(self.table.opps.__getitem__, rows.tolist()))
        keys = [o.key for o in calls]
        primaries = [self._primary(o) if o.duplicate_of else None for o in calls]
        if self._explainer.today != self.today:
            self._explainer = explain.Explainer(self.table, self.today)
        reasons = self._explainer.reasons(v, which, cols, needs, topics, primaries)
        score, eligible = v.score[which, cols], v.eligible[which, cols]
        ranked = eligible & np.array([p is None for p in primaries], dtype=bool)
        # per need: ranked first, then the other eligible, then by score and key
        key_rank = {k: i for i, k in enumerate(sorted(set(keys)))}
        order = np.lexsort((np.array([key_rank[k] for k in keys], dtype=np.int64), -score, ~eligible, ~ranked, which))
        rank = np.cumsum(ranked[order])
        starts = np.searchsorted(which[order], np.arange(len(needs) + 1))
        rank -= np.concatenate([[0], rank])[starts[:-1]][which[order]]  # counted from each need's start
        args = zip([needs[n].id for n in which[order].tolist()], [keys[i] for i in order.tolist()],
                   score[order].tolist(), eligible[order].tolist(), v.too_tight[which, cols][order].tolist(),
                   [reasons[i] for i in order.tolist()], np.where(ranked[order], rank, 0).tolist(), strict=True)
        out = [MatchResult(need, key, sc, el, tight, why, r or None) for need, key, sc, el, tight, why, r in args]
        bounds = starts.tolist()
        return [out[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Without the cyclic garbage collector: indexing and scoring make hundreds of thousands
    of objects (lists, tuples, results) and no reference cycles, and each full collection
    they set off walked every object alive, the calls' specs above all (about a sixth of a
    build and of a full re-score). Garbage they make is freed by reference counting as ever."""
    if not gc.isenabled():  # paused already (a nested pass, or the caller's choice)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _top(idx: np.ndarray, key: np.ndarray, k: int) -> np.ndarray:
    """The k of `idx` with the highest `key`, the first of equal keys first (as a stable sort
    would pick them, in no particular order): a partition, not a sort of every relevant row."""
    kth = np.partition(key, len(key) - k)[len(key) - k]
    above = idx[key > kth]
    return np.concatenate([above, idx[key == kth][: k - len(above)]])


def match_all(needs: list[NeedSpec], opps: list[OppSpec], today: date) -> list[MatchResult]:
    """Score every active need against every opportunity."""
    matcher = Matcher(opps, today)
    return [r for need in needs if need.active for r in matcher.score(need)]
