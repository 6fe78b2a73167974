"""Score needs against opportunities: eligibility first, then a ranked, explained list."""

from __future__ import annotations

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
        self.table = OppTable(opps, vocab or load_vocabulary())
        self._needs: dict[tuple, rules.NeedQuery] = {}  # prepared queries, by need content
        self._explainer = explain.Explainer(self.table.opps, today)

    def _prepare(self, need: NeedSpec) -> rules.NeedQuery:
        key = (need.id, need.title, need.description, tuple(need.keywords), tuple(need.themes))
        if key not in self._needs:
            self._needs[key] = rules.prepare(self.table, need)
        return self._needs[key].refresh(self.table)

    def upsert(self, opps: list[OppSpec]) -> None:
        """Add new or changed opportunities (a changed key replaces its old version)."""
        self.table.upsert(opps)
        index = self.table.index
        if index.n_rows - index.n_posted > max(500, index.n_posted // 20):
            index.compact()  # re-post the appended rows so whole-corpus queries stay fast

    def remove(self, keys: list[str]) -> None:
        self.table.remove(keys)

    def score(self, need: NeedSpec) -> list[MatchResult]:
        """Every relevant opportunity for the need: eligible ones ranked first, then the rest."""
        nq = self._prepare(need)
        return self._results(need, nq, rules.evaluate(self.table, need, nq, self.today))

    def score_subset(self, need: NeedSpec, keys: list[str]) -> list[MatchResult]:
        """Re-score only these opportunities (e.g. new or changed after a crawl): the same
        numbers `score` gives them. Ranks are local to the subset; merge to re-rank."""
        nq = self._prepare(need)
        rows = self.table.rows_for(keys)
        return self._results(need, nq, rules.evaluate(self.table, need, nq, self.today, rows))

    def _primary(self, opp: OppSpec) -> str | None:
        """The key this opportunity collapses onto, if that call is in the corpus."""
        dup = opp.duplicate_of
        return dup if dup and dup != opp.key and dup in self.table.row_of else None

    def _keep(self, v: rules.Verdicts) -> np.ndarray:
        """Relevant rows; at most `max_results` eligible (by score) and ineligible (by relevance)."""
        relevant = v.relevance >= self.min_relevance
        picked = []
        for mask, key in ((relevant & v.eligible, v.score), (relevant & ~v.eligible, v.relevance)):
            idx = np.flatnonzero(mask)
            if self.max_results is not None and len(idx) > self.max_results:
                idx = _top(idx, key[idx], self.max_results)
            picked.append(idx)
        return np.concatenate(picked)

    def _results(self, need: NeedSpec, nq: rules.NeedQuery, v: rules.Verdicts) -> list[MatchResult]:
        weights = nq.weights
        ix = {t: i for i, t in enumerate(self.table.theme_keys)}
        stated = [ix[t] for t in need.themes if t in ix]  # the need's own order first
        order = stated + [t for t in np.argsort(-weights, kind="stable") if weights[t] > 0 and t not in stated]
        keep = self._keep(v)
        # per kept row as plain Python values: numpy scalar indexing in this loop cost more than the scoring
        rows = v.rows[keep]
        row_list = rows.tolist()
        names = [self.table.theme_keys[t] for t in order]
        # the themes each row shares (in the order above), put in words once per distinct set
        sets, set_of = np.unique(self.table.themes[rows][:, order] > 0, axis=0, return_inverse=True)
        named = [explain.topic([n for n, has in zip(names, hit, strict=True) if has], None) if any(hit) else None
                 for hit in sets.tolist()]
        topics = [named[k] for k in set_of.reshape(-1).tolist()]
        # no theme in common: say which of the need's words the call uses
        wordless = [i for i, t in enumerate(topics) if t is None]
        words = rules.shared_words_many(self.table, [row_list[i] for i in wordless], nq)
        for i, w in zip(wordless, words, strict=True):
            topics[i] = explain.topic([], w)
        calls = list(map(self.table.opps.__getitem__, row_list))
        keys = [o.key for o in calls]
        primaries = [self._primary(o) if o.duplicate_of else None for o in calls]
        if self._explainer.today != self.today:
            self._explainer = explain.Explainer(self.table.opps, self.today)
        reasons = self._explainer.reasons(v, keep, need, topics, primaries)
        scores, eligible = v.score[keep].tolist(), v.eligible[keep].tolist()
        ranked = [e and p is None for e, p in zip(eligible, primaries, strict=True)]
        # ranked first, then the other eligible, then by score and key (tuples made and compared in C)
        order = sorted(zip([not r for r in ranked], [not e for e in eligible], [-x for x in scores], keys,
                           range(len(keys)), strict=True))
        tight = v.too_tight[keep].tolist()
        out, rank = [], 0
        for *_, i in order:
            rank += ranked[i]
            out.append(MatchResult(need.id, keys[i], scores[i], eligible[i], tight[i], reasons[i],
                                   rank if ranked[i] else None))
        return out


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
