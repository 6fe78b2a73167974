"""A small BM25 index over numpy: rows appendable, queries vectorised."""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain

import numpy as np

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    let like me more most my no nor not now of off on once only or other our ours out over own
    per same she should so some such than that the their theirs them then there these they this
    those through to too under until up very was we were what when where which while who whom
    why will with would you your yours us get got want wants need needs make making much many
    may must one two three new well way ways things thing people part often afterwards also
    would use used using etc e g eg ie able actually already always another around away back
    become best better big bit come done even ever every first following give given go going
    good great however including keep kind know last late least less little long look lot lots
    made main mainly might move near next onto perhaps plan quickly quite rather really right
    run said say see seem set since sometimes soon still sure take tell time today top toward
    try turn upon usually week whether within without year years yet improve improving help
    helping work working money bid bids fund funding grant grants apply""".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A deliberately light English suffix stripper (plural, -ing, -ed, -ly)."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("ly", ""), ("s", "")):
        if word.endswith(suffix) and not (suffix == "s" and word.endswith(("ss", "us", "is"))):
            base = word[: len(word) - len(suffix)] + repl
            if len(base) >= (3 if suffix in ("s", "ies", "sses") else 4):
                return base
    return word


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|[\"'‘“(]\s*)$")


def proper_nouns(text: str) -> set[str]:
    """Tokens that look like names (places, organisations): every occurrence capitalised and at
    least one in mid-sentence. Quoted words count as emphasis and acronyms as topics."""
    caps: dict[str, bool] = {}
    mid: set[str] = set()
    for m in re.finditer(r"[A-Za-z][A-Za-z0-9&]*", text.replace("’", "'")):
        word = m.group(0)
        if len(word) > 1 and word.isupper():
            continue  # an acronym (CCTV, ASB) is a topic word, not a name
        if m.start() > 0 and text[m.start() - 1] == "'" and (m.start() < 2 or text[m.start() - 2] != " "):
            continue  # the "s" of a possessive
        for tok in tokens(word):
            upper = word[0].isupper()
            caps[tok] = caps.get(tok, True) and upper
            if upper and not _SENTENCE_START.search(text[max(0, m.start() - 3): m.start()]):
                mid.add(tok)
    return {t for t, always in caps.items() if always and t in mid}


_TERM: dict[str, str | None] = {}  # word -> index term (None for stopwords), memoised


def _term(word: str) -> str | None:
    term = _TERM.get(word, "")
    if term == "":
        term = _TERM[word] = None if word in STOPWORDS or len(word) < 2 else stem(word)
    return term


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'").replace("'s", "").replace("-", " "))


def tokens(text: str) -> list[str]:
    return [t for t in map(_term, _words(text)) if t is not None]


def term_counts(text: str) -> Counter[str]:
    """Like Counter(tokens(text)), but counted in C: each new word is looked up once, ever."""
    words = _words(text)
    for word in set(words).difference(_TERM):
        _term(word)
    out = Counter(map(_TERM.__getitem__, words))
    out.pop(None, None)
    return out  # type: ignore[return-value]


class Bm25Index:
    """Okapi BM25 with precomputed term weights. IDF and average length are fixed when the
    index is built; appended rows (new or changed documents) reuse them."""

    def __init__(self, docs: list[Counter[str]] | list[list[str]], k1: float = 1.2, b: float = 0.5) -> None:
        self.k1, self.b = k1, b
        self.vocab: dict[str, int] = {}
        self.indptr = np.zeros(1, dtype=np.int64)
        self.terms = np.zeros(0, dtype=np.int32)
        self.weights = np.zeros(0, dtype=np.float64)
        tid, tf, n_terms, doc_len = self._rows(docs)
        n = len(docs)
        df = np.bincount(tid, minlength=len(self.vocab)).astype(np.float64)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        self._unseen_idf = math.log(1.0 + (n - 0.5) / 1.5)
        self.avgdl = max(float(doc_len.mean()), 1.0) if n else 1.0
        self._add(tid, tf, n_terms, doc_len)
        self._build_postings()

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def _rows(self, docs: list[Counter[str]] | list[list[str]]) -> tuple[np.ndarray, ...]:
        """Flat (term id, tf) pairs row by row; new terms get ids in order of first use.
        Done over the whole batch with C-level iteration (chain, map, fromiter): a Python
        loop per document was a third of the index build."""
        counts = [doc if isinstance(doc, Counter) else Counter(doc) for doc in docs]
        vocab = self.vocab
        keys = list(chain.from_iterable(counts))
        for t in dict.fromkeys(keys):  # first-use order, as a loop over the documents gives
            if t not in vocab:
                vocab[t] = len(vocab)
        n_terms = np.fromiter(map(len, counts), dtype=np.int64, count=len(counts))
        terms = np.fromiter(map(vocab.__getitem__, keys), dtype=np.int32, count=len(keys))
        tfs = np.fromiter(chain.from_iterable(c.values() for c in counts), dtype=np.float64, count=len(keys))
        lengths = np.zeros(len(counts), dtype=np.float64)
        filled = n_terms > 0
        if len(tfs):
            starts = np.concatenate([[0], np.cumsum(n_terms)[:-1]])
            lengths[filled] = np.add.reduceat(tfs, starts[filled])
        return terms, tfs, n_terms, lengths

    def _add(self, tid: np.ndarray, tf: np.ndarray, n_terms: np.ndarray, doc_len: np.ndarray) -> None:
        norm = np.repeat(self.k1 * (1 - self.b + self.b * doc_len / self.avgdl), n_terms)
        weights = self.idf[tid] * tf * (self.k1 + 1) / (tf + norm)
        self.terms = np.concatenate([self.terms, tid])
        self.weights = np.concatenate([self.weights, weights])
        self.indptr = np.concatenate([self.indptr, self.indptr[-1] + np.cumsum(n_terms)])

    def append(self, docs: list[Counter[str]] | list[list[str]]) -> None:
        """Add rows using the frozen statistics; they are scored row by row until `compact`.
        Terms the corpus never had get the rarest idf."""
        rows = self._rows(docs)
        if len(self.vocab) > len(self.idf):
            self.idf = np.concatenate([self.idf, np.full(len(self.vocab) - len(self.idf), self._unseen_idf)])
        self._add(*rows)

    def _build_postings(self) -> None:
        """Term-major copy of the rows indexed so far (for whole-corpus queries)."""
        self.n_posted = self.n_rows
        nnz = int(self.indptr[self.n_posted])
        order = np.argsort(self.terms[:nnz], kind="stable")
        rows = np.repeat(np.arange(self.n_posted, dtype=np.int32), np.diff(self.indptr[: self.n_posted + 1]))
        self.post_ptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.terms[:nnz], minlength=len(self.vocab)), out=self.post_ptr[1:])
        self.post_rows, self.post_w = rows[order], self.weights[:nnz][order]

    def compact(self) -> None:
        self._build_postings()

    def query(self, words: list[str], weight: dict[str, float] | None = None) -> dict[int, float]:
        """{term id: query term count x weight}, for terms the index knows."""
        w = weight or {}
        return {self.vocab[t]: n * w.get(t, 1.0) for t, n in Counter(words).items() if t in self.vocab}

    def scores(self, q: dict[int, float]) -> np.ndarray:
        """BM25 of the query against every row."""
        ptr = self.post_ptr
        posted = [(tid, qn) for tid, qn in q.items() if tid + 1 < len(ptr)]
        tids = np.array([t for t, _ in posted], dtype=np.int64)
        starts, lens = ptr[tids], ptr[tids + 1] - ptr[tids]
        # the query terms' postings in one gather, summed by bincount in the same order as
        # adding term by term would (a scatter-add per term cost 3 passes over each list)
        pos = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        weights = self.post_w[pos] * np.repeat(np.array([qn for _, qn in posted], dtype=np.float64), lens)
        out = np.bincount(self.post_rows[pos], weights=weights, minlength=self.n_rows)
        if self.n_rows > self.n_posted:
            tail = np.arange(self.n_posted, self.n_rows)
            out[tail] = self.scores_rows(q, tail)
        return out

    def scores_rows(self, q: dict[int, float], rows: np.ndarray) -> np.ndarray:
        """BM25 for the given rows only (same numbers as `scores`)."""
        dense = self.dense_query(q)
        rows = np.asarray(rows, dtype=np.int64)
        starts, lens = self.indptr[rows], self.indptr[rows + 1] - self.indptr[rows]
        # every row's postings in one gather (a loop of small dot products cost 1 ms a need per 100 rows)
        pos = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        owner = np.repeat(np.arange(len(rows)), lens)
        return np.bincount(owner, weights=dense[self.terms[pos]] * self.weights[pos], minlength=len(rows))

    def dense_query(self, q: dict[int, float]) -> np.ndarray:
        """The query as one weight per vocabulary term (0 for terms it lacks)."""
        dense = np.zeros(len(self.vocab), dtype=np.float64)
        if q:
            dense[np.fromiter(q.keys(), dtype=np.int64, count=len(q))] = np.fromiter(q.values(), dtype=np.float64,
                                                                                        count=len(q))
        return dense
