"""A small BM25 index over numpy: rows appendable, queries vectorised."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from tracker.matching.sorting import stable_order

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


_SEP = b"\x01"  # a word of its own between the texts of a batch (no text keeps one: see _batch_bytes)
_KEEP = bytes(c if c in b"abcdefghijklmnopqrstuvwxyz0123456789\x01" else 32 for c in range(256))
_BATCH_CHARS = 250_000  # text read per batch: its arrays stay in cache


def _batch_bytes(texts: list[str]) -> bytes:
    """`_words` of the texts, in order, with the word `_SEP` between texts, as one bytes
    string of words and spaces: the same steps over one joined string, so per-text counts
    cost C-level passes instead of a regex and a Counter per text."""
    big = " \x01 ".join(t.replace("\x01", " ") for t in texts)  # every step maps \x01 to a gap
    if big.isascii():  # casefold of ASCII is lower(); no curly quote to straighten
        data = big.encode("ascii").lower()
    else:  # letters casefold may turn into ASCII (ß, ﬁ) count; others become "?", a gap
        data = big.casefold().replace("’", "'").encode("ascii", "replace")
    return data.replace(b"'s", b"").translate(_KEEP)


_SHORT = 16  # longest word held by its packed bytes (two uint64); longer ones are looked up in Python
_MASKS = np.array([(1 << 8 * n) - 1 for n in range(9)], dtype=np.uint64)  # the first n bytes of a little-endian word


def _spans(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of every word (run of bytes other than space) of `_batch_bytes`."""
    inside = np.zeros(len(data) + 2, dtype=bool)
    np.not_equal(np.frombuffer(data, dtype=np.uint8), 32, out=inside[1:-1])
    edges = np.flatnonzero(inside[1:] != inside[:-1])
    return edges[0::2], edges[1::2] - edges[0::2]


def _packed(data: bytes, starts: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bytes 0-7 and 8-15 of each word, zero past its end. No word has a zero byte, so the
    pair is the word itself for words up to `_SHORT` bytes long."""
    padded = data + bytes(16)  # the 16 bytes from a word's start exist even at the end
    # one unaligned gather per half: faster than assembling each from aligned reads, and fewer
    # temporary arrays (each batch's are fresh memory, and page faults cost as much as the work)
    win = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
    lo = win.take(starts)
    lo &= _MASKS[np.minimum(lens, 8)]
    hi = win.take(starts + 8)
    hi &= _MASKS[np.clip(lens - 8, 0, 8)]
    return lo, hi


def _hash(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A 64-bit hash of packed words: its top and its bottom bits pick a word's two slots."""
    h = (lo ^ (hi * np.uint64(0xC2B2AE3D27D4EB4F))) * np.uint64(0x9E3779B97F4A7C15)
    h ^= h >> np.uint64(29)  # a product's low bits see only the factors' low bits
    return h


class _WordTable:
    """Packed short word -> word id, so a batch's words are looked up in a few vectorised
    passes. Each word has two slots (two-choice hashing: a lookup is two gathers, no probe
    loop) and sits in the first that was free when it came; a word with neither free is left
    out, to the `_WordIds` dict every word is in. A slot holds a word id + 1 (0: free) and a
    word matches only when both packed halves are equal: the hash affects speed, never ids."""

    _SPREAD = 16  # slots per word: few words find both of their slots taken

    def __init__(self) -> None:
        self.lo = np.zeros(1, dtype=np.uint64)  # by word id + 1; entry 0 (free) packs to 0, as no word does
        self.hi = np.zeros(1, dtype=np.uint64)
        self._slots(1 << 12)

    def _slots(self, size: int) -> None:
        self.slot = np.zeros(size, dtype=np.int32)
        self.top = np.uint64(64 - size.bit_length() + 1)

    def _first(self, h: np.ndarray) -> np.ndarray:
        return (h >> self.top).view(np.int64)

    def _second(self, h: np.ndarray) -> np.ndarray:
        return (h & np.uint64(len(self.slot) - 1)).view(np.int64)

    def find(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Each word's id, -1 for words the table lacks (new, left out or with lo = 0)."""
        h = _hash(lo, hi)
        ids = self.slot[self._first(h)]
        miss = np.flatnonzero((self.lo[ids] != lo) | (self.hi[ids] != hi))
        if len(miss):
            again = self.slot[self._second(h[miss])]
            hit = (self.lo[again] == lo[miss]) & (self.hi[again] == hi[miss])
            ids[miss] = np.where(hit, again, 0)
        return ids.astype(np.int64) - 1

    def add(self, lo: np.ndarray, hi: np.ndarray) -> None:
        """Take in the words with the next ids, in order (lo = 0: a word kept out, as a long one)."""
        first = len(self.lo)
        self.lo, self.hi = np.concatenate([self.lo, lo]), np.concatenate([self.hi, hi])
        if len(self.lo) * self._SPREAD > len(self.slot):
            self._slots(1 << (len(self.lo) * self._SPREAD - 1).bit_length())
            first = 1  # every word again, in order of id: the first seen (mostly the commonest) first
        ids = np.arange(first, len(self.lo), dtype=np.int32)
        ids = ids[self.lo[ids] != 0]
        h = _hash(self.lo[ids], self.hi[ids])
        for choice in (self._first, self._second):
            at = choice(h)
            free = np.flatnonzero(self.slot[at] == 0)
            taken, pick = np.unique(at[free], return_index=True)  # one word per free slot, the first
            self.slot[taken] = ids[free[pick]]
            left = self.slot[at] != ids
            ids, h = ids[left], h[left]


class _WordIds(dict):
    """Word -> id, a new word getting the next id; `new` lists the words added since it was
    last emptied. Every word is here; `_WordTable` finds most of them faster."""

    def __init__(self) -> None:
        super().__init__({_SEP: 0})
        self.new: list[bytes] = []

    def __missing__(self, word: bytes) -> int:
        self[word] = n = len(self)
        self.new.append(word)
        return n


class Bm25Index:
    """Okapi BM25 with precomputed term weights. IDF and average length are fixed when the
    index is built; appended rows (new or changed documents) reuse them.

    A document is a tuple of text fields, a word of the i-th counting `field_weights[i]` times
    (a call: summary and body once, title twice). Its terms are `tokens` of its fields, in
    order of first use across the fields; term ids are given in order of first use too."""

    def __init__(self, docs: Sequence[Sequence[str]], field_weights: Sequence[int] = (1,),
                 k1: float = 1.2, b: float = 0.5) -> None:
        self.k1, self.b = k1, b
        self.field_weights = np.asarray(field_weights, dtype=np.int64)
        self.vocab: dict[str, int] = {}
        # word -> word id -> term key (-1: no term) -> vocabulary id (-1: not used yet)
        self._word_ids = _WordIds()
        self._table = _WordTable()
        self._table.add(*_packed(_SEP, np.zeros(1, dtype=np.int64), np.ones(1, dtype=np.int64)))
        self._word_key = np.full(1, -1, dtype=np.int64)
        self._keys: dict[str, int] = {}
        self._key_terms: list[str] = []
        self._key_vid = np.zeros(0, dtype=np.int64)
        self.indptr = np.zeros(1, dtype=np.int64)
        self.terms = np.zeros(0, dtype=np.int32)
        self.weights = np.zeros(0, dtype=np.float64)
        tid, tf, n_terms, doc_len = self._rows(docs)
        n = len(docs)
        uses = np.bincount(tid, minlength=len(self.vocab))  # rows per term (a term is once per row)
        df = uses.astype(np.float64)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        self._unseen_idf = math.log(1.0 + (n - 0.5) / 1.5)
        self.avgdl = max(float(doc_len.mean()), 1.0) if n else 1.0
        self._add(tid, tf, n_terms, doc_len)
        self._build_postings(uses)

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def _rows(self, docs: Sequence[Sequence[str]]) -> tuple[np.ndarray, ...]:
        """Flat (term id, tf) pairs row by row, the row lengths and their sums: a batch of
        documents at a time (a batch's arrays stay small)."""
        parts = [(np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0, dtype=np.int64), np.zeros(0))]
        start, size = 0, 0
        for i, doc in enumerate(docs):
            size += sum(map(len, doc))
            if size >= _BATCH_CHARS or i == len(docs) - 1:
                parts.append(self._count(docs[start: i + 1]))
                start, size = i + 1, 0
        return tuple(np.concatenate(p) for p in zip(*parts, strict=True))

    def _word_ids_of(self, data: bytes) -> np.ndarray:
        """Ids of the words of `_batch_bytes`, found by their packed bytes in `_table`: only
        new, long and left-out words are sliced out and looked up in `_word_ids`. A word not
        seen before gets its term key, read once."""
        starts, lens = _spans(data)
        lo, hi = _packed(data, starts, lens)
        lo[lens > _SHORT] = 0  # packed, a long word is only its first 16 bytes: never to be found
        ids = self._table.find(lo, hi)
        missing = np.flatnonzero(ids < 0)
        if len(missing):
            spans = zip(starts[missing].tolist(), (starts[missing] + lens[missing]).tolist(), strict=True)
            ids[missing] = [self._word_ids[data[a:b]] for a, b in spans]
        if self._word_ids.new:
            at = missing[ids[missing] >= len(self._word_key)]
            _, first = np.unique(ids[at], return_index=True)  # new words by id, one use each
            self._table.add(lo[at[first]], hi[at[first]])
            new = [self._key(w.decode("ascii")) for w in self._word_ids.new]
            self._word_ids.new = []
            self._word_key = np.concatenate([self._word_key, np.array(new, dtype=np.int64)])
            self._key_vid = np.concatenate([self._key_vid, np.full(len(self._keys) - len(self._key_vid), -1)])
        return ids

    def _key(self, word: str) -> int:
        term = _term(word)
        if term is None:
            return -1
        key = self._keys.get(term)
        if key is None:
            key = self._keys[term] = len(self._key_terms)
            self._key_terms.append(term)
        return key

    def _count(self, docs: Sequence[Sequence[str]]) -> tuple[np.ndarray, ...]:
        """`_rows` of one batch: the words' term keys, grouped by (term, row) with one sort."""
        n_fields = len(self.field_weights)
        ids = self._word_ids_of(_batch_bytes([text for doc in docs for text in doc]))
        field = np.cumsum(ids == 0)  # texts are numbered by the separators before them
        key = self._word_key[ids]
        del ids
        used = key >= 0
        key, field = key[used], field[used]
        n = len(key)
        if n == 0:
            return (np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(len(docs), dtype=np.int64),
                    np.zeros(len(docs)))
        doc = field // n_fields
        pos = stable_order(key)  # each term's uses together, in order: a (term, row) run each
        key, doc = key[pos], doc[pos]
        starts = np.flatnonzero(np.concatenate([[True], (key[1:] != key[:-1]) | (doc[1:] != doc[:-1])]))
        tf = np.add.reduceat(self.field_weights[field[pos] % n_fields], starts).astype(np.float64)
        # the (term, row) runs in order of first use: first positions are distinct, so a scatter orders them
        slot = np.full(n, -1, dtype=np.int64)
        slot[pos[starts]] = np.arange(len(starts))
        order = slot[slot >= 0]
        key, doc, tf = key[starts][order], doc[starts][order], tf[order]
        return (self._vocab_ids(key).astype(np.int32), tf, np.bincount(doc, minlength=len(docs)),
                np.bincount(doc, weights=tf, minlength=len(docs)))

    def _vocab_ids(self, keys: np.ndarray) -> np.ndarray:
        """Vocabulary ids of term keys in order of use; terms used for the first time join
        the vocabulary in that order."""
        vid = self._key_vid[keys]
        fresh = keys[vid < 0]
        if len(fresh):
            order = stable_order(fresh)
            grouped = fresh[order]
            uniq = fresh[np.sort(order[np.concatenate([[True], grouped[1:] != grouped[:-1]])])]
            self._key_vid[uniq] = np.arange(len(self.vocab), len(self.vocab) + len(uniq))
            for k in uniq.tolist():
                self.vocab[self._key_terms[k]] = len(self.vocab)
            vid = self._key_vid[keys]
        return vid

    def _add(self, tid: np.ndarray, tf: np.ndarray, n_terms: np.ndarray, doc_len: np.ndarray) -> None:
        # idf x tf x (k1 + 1) / (tf + norm), worked in place: each temporary the size of the
        # postings was fresh memory, and its page faults cost more than the arithmetic
        denominator = np.repeat(self.k1 * (1 - self.b + self.b * doc_len / self.avgdl), n_terms)
        denominator += tf
        weights = self.idf[tid]
        weights *= tf
        weights *= self.k1 + 1
        weights /= denominator
        self.terms = _appended(self.terms, tid)
        self.weights = _appended(self.weights, weights)
        self.indptr = _appended(self.indptr, self.indptr[-1] + np.cumsum(n_terms))

    def append(self, docs: Sequence[Sequence[str]]) -> None:
        """Add rows using the frozen statistics; they are scored row by row until `compact`.
        Terms the corpus never had get the rarest idf."""
        rows = self._rows(docs)
        if len(self.vocab) > len(self.idf):
            self.idf = np.concatenate([self.idf, np.full(len(self.vocab) - len(self.idf), self._unseen_idf)])
        self._add(*rows)

    def _build_postings(self, uses: np.ndarray | None = None) -> None:
        """Term-major copy of the rows indexed so far (for whole-corpus queries). `uses`: the
        postings per term over those rows, when known."""
        self.n_posted = self.n_rows
        nnz = int(self.indptr[self.n_posted])
        order = stable_order(self.terms[:nnz])
        rows = np.repeat(np.arange(self.n_posted, dtype=np.int32), np.diff(self.indptr[: self.n_posted + 1]))
        self.post_ptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        if uses is None:
            uses = np.bincount(self.terms[:nnz], minlength=len(self.vocab))
        np.cumsum(uses, out=self.post_ptr[1:])
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
        tids = np.array([tid for tid in q if tid + 1 < len(ptr)], dtype=np.int64)
        posted = list(zip(ptr[tids].tolist(), ptr[tids + 1].tolist(), [q[t] for t in tids.tolist()], strict=True))
        # the query terms' postings one after another (slices: memory copies, not a gather), summed
        # by bincount in the same order as adding term by term would
        weights = np.concatenate([self.post_w[a:b] * qn for a, b, qn in posted] or [np.zeros(0)])
        rows = np.concatenate([self.post_rows[a:b] for a, b, _ in posted] or [np.zeros(0, dtype=np.int32)])
        out = np.bincount(rows, weights=weights, minlength=self.n_rows)
        if self.n_rows > self.n_posted:
            tail = np.arange(self.n_posted, self.n_rows)
            out[tail] = self.scores_rows(q, tail)
        return out

    def postings(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the rows' postings, row after row, and the row (0..len(rows)-1) of each:
        every row's postings in one gather (a loop of small per-row steps cost more)."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, lens = self.indptr[rows], self.indptr[rows + 1] - self.indptr[rows]
        pos = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        return pos, np.repeat(np.arange(len(rows)), lens)

    def scores_rows(self, q: dict[int, float], rows: np.ndarray) -> np.ndarray:
        """BM25 for the given rows only (same numbers as `scores`)."""
        dense = self.dense_query(q)
        pos, owner = self.postings(rows)
        return np.bincount(owner, weights=dense[self.terms[pos]] * self.weights[pos], minlength=len(rows))

    def scores_rows_many(self, qs: QueryValues, rows: np.ndarray) -> np.ndarray:
        """`scores_rows` of each query, as one (queries x rows) array: the same numbers, each
        row's sum taken in the same order (terms a query lacks add 0.0, so leaving them out
        changes no sum)."""
        rows = np.asarray(rows, dtype=np.int64)
        query, owner, _, product = self.shared(qs, rows)
        return np.bincount(query * len(rows) + owner, weights=product,
                           minlength=qs.n * len(rows)).reshape(qs.n, len(rows))

    def shared(self, qs: QueryValues, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every (query, row, term) where the query has a term the row uses, as arrays of query,
        row (0..len(rows)-1), query entry and query weight x row weight, in posting order: only
        the terms each side has (a dense queries x terms product was mostly zeros)."""
        pos, owner = self.postings(rows)
        by_term = qs.by_term()
        terms = self.terms[pos]
        first = qs.first_of_term(len(self.vocab))
        lo = first[terms]
        n = first[terms + 1] - lo
        hit = np.repeat(np.arange(len(pos)), n)
        entry = by_term[np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))]
        return qs.which[entry], owner[hit], entry, qs.values[entry] * self.weights[pos[hit]]

    def dense_query(self, q: dict[int, float]) -> np.ndarray:
        """The query as one weight per vocabulary term (0 for terms it lacks)."""
        dense = np.zeros(len(self.vocab), dtype=np.float64)
        if q:
            dense[np.fromiter(q.keys(), dtype=np.int64, count=len(q))] = np.fromiter(q.values(), dtype=np.float64,
                                                                                        count=len(q))
        return dense


def _appended(a: np.ndarray, more: np.ndarray) -> np.ndarray:
    """`np.concatenate([a, more])`, written into spare room behind `a` when the buffer `a` was
    cut from has some: appending a crawl's rows copies them, not the whole index. A buffer
    made for appends has an eighth to spare; the first (the build's) is exact. Only for arrays
    appended to at their newest (appending to an older cut would write over a newer one's tail)."""
    n, dtype = len(a) + len(more), np.result_type(a.dtype, more.dtype)
    if not len(a) and more.base is None and more.dtype == dtype:
        return more  # the first rows (a build's) are `more` itself: an array of its own, not copied
    base = a.base
    if (base is None or base.dtype != dtype or len(base) < n or base.ndim != 1
            or base.__array_interface__["data"][0] != a.__array_interface__["data"][0]):
        base = np.empty(n if not len(a) else n + n // 8, dtype=dtype)
        base[: len(a)] = a
    base[len(a): n] = more
    return base[:n]


class QueryValues:
    """Many queries' weights as flat arrays, query by query and by term id within each: for
    lookups over (query, term) pairs at once."""

    def __init__(self, queries: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        """`queries`: per query, its term ids (ascending) and their weights."""
        self.n = len(queries)
        sizes = np.array([len(ids) for ids, _ in queries], dtype=np.int64)
        self.which = np.repeat(np.arange(self.n, dtype=np.int64), sizes)
        self.terms = np.concatenate([ids for ids, _ in queries] or [np.zeros(0, dtype=np.int64)])
        self.values = np.concatenate([w for _, w in queries] or [np.zeros(0)])
        self.start = np.concatenate([[0], np.cumsum(sizes)])  # query i: entries start[i]..start[i+1]
        self._by_term: np.ndarray | None = None
        self._first: np.ndarray | None = None

    @staticmethod
    def sorted(q: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
        """A {term id: weight} query as the (ids, weights) arrays `QueryValues` takes."""
        ids = np.fromiter(q.keys(), dtype=np.int64, count=len(q))
        order = np.argsort(ids)
        return ids[order], np.fromiter(q.values(), dtype=np.float64, count=len(q))[order]

    def by_term(self) -> np.ndarray:
        """The entries ordered by term id (then query): each term's queries together."""
        if self._by_term is None:
            self._by_term = stable_order(self.terms)
        return self._by_term

    def first_of_term(self, n_terms: int) -> np.ndarray:
        """Per term id t < n_terms, where its entries start in `by_term()` order (they end where
        t + 1's start): a lookup per posting, not two binary searches."""
        if self._first is None or len(self._first) < n_terms + 1:
            self._first = np.searchsorted(self.terms[self.by_term()], np.arange(n_terms + 1))
        return self._first
