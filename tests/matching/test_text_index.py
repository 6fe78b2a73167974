"""The index finds words by their packed bytes in a hash table (`_WordTable`); whatever the
texts, batches and hash, it must hold exactly the terms `tokens` reads, and the same arrays."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from tracker.matching import text
from tracker.matching.text import Bm25Index, tokens

# words whose packed bytes differ only just: lengths 7-9 and 15-17 around the 8-byte halves and
# `_SHORT`, shared prefixes, a long word sharing its first 16 bytes with a 16-byte one
EDGES = ["abcdefg", "abcdefgh", "abcdefghi", "abcdefghij", "qrstuvwxyzabcde", "qrstuvwxyzabcdef",
         "qrstuvwxyzabcdefg", "qrstuvwxyzabcdefgh", "12345678", "123456789", "1234567890123456",
         "12345678901234567", "zz", "zzz", "zzzzzzzz", "zzzzzzzzz"]
ODD = [
    "Youth's clubs don't close: ‘children’s’ O'Neill anti-social ASB-led £50,000 2026/27",
    "Straße ﬁnance İstanbul naïve café CAFÉ Σίσυφος 中文 😀 e.g. i.e. ÆØÅ ½ ²",
    "",
    "'s at the start, s' at the end' ''ss 'S'S ’s’S",
    "a\x01b separator\x01inside\x01 and\ttabs\r\nlines \x01\x01",
    "THE AND OF running ran runs parties passes bus analysis",
    "knife crime, knives, KNIFE-CRIME --- - -x- 3-4",
    "x" * 40 + " " + "y" * 5000 + " " + "x" * 40 + " " + "internationalisation" * 3,
    " ".join(EDGES) + " " + " ".join(w.upper() for w in EDGES),
    "   ",
    "007 2026 0 00 000 1st 2nd 10k £5m",
]


def random_docs(rng: random.Random, n: int) -> list[tuple[str, str]]:
    pool = [*EDGES, *" ".join(ODD).split(), "youth", "violence", "prevention", "mentoring", "Peterborough"]
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,'’‘-\x01\néßİﬁ中"

    def field() -> str:
        return " ".join(rng.choice(pool) if rng.random() < 0.7 else
                        "".join(rng.choice(chars) for _ in range(rng.randint(1, 20)))
                        for _ in range(rng.randint(0, 30)))

    return [(field(), field()) for _ in range(n)]


def reference(docs: list[tuple[str, str]]) -> tuple[list[list[tuple[str, int]]], list[str]]:
    """Each row's (term, title-weighted count) in order of first use, and the vocabulary in
    order of first use, read with `tokens` one text at a time."""
    rows = []
    for body, title in docs:
        counts: Counter[str] = Counter()
        for t in tokens(body):
            counts[t] += 1
        for t in tokens(title):
            counts[t] += 2
        rows.append(list(counts.items()))
    return rows, list(dict.fromkeys(t for row in rows for t, _ in row))


def index_rows(index: Bm25Index) -> list[list[tuple[str, int]]]:
    terms = list(index.vocab)
    rows = []
    for r in range(index.n_rows):
        a, b = index.indptr[r], index.indptr[r + 1]
        rows.append([(terms[t], 0) for t in index.terms[a:b].tolist()])
    return rows


def counted(index: Bm25Index, docs: list[tuple[str, str]]) -> list[list[tuple[str, int]]]:
    """The rows `_rows` counts for the docs, as (term, count) lists."""
    tid, tf, n_terms, _ = index._rows(docs)
    terms = list(index.vocab)
    rows, at = [], 0
    for n in n_terms.tolist():
        rows.append([(terms[t], int(c)) for t, c in zip(tid[at: at + n].tolist(), tf[at: at + n].tolist(),
                                                        strict=True)])
        at += n
    return rows


def arrays(index: Bm25Index) -> dict[str, object]:
    out: dict[str, object] = {"vocab": list(index.vocab.items()), "avgdl": index.avgdl}
    for name in ("idf", "indptr", "terms", "weights", "post_ptr", "post_rows", "post_w"):
        a = getattr(index, name)
        out[name] = (a.dtype.str, a.shape, a.tobytes())
    return out


def constant_hash(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.zeros(len(lo), dtype=np.uint64)


def first_half_hash(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Words alike in their first 8 bytes collide (abcdefgh, abcdefghi, abcdefghij...)."""
    h = lo * np.uint64(0x9E3779B97F4A7C15)
    return h ^ (h >> np.uint64(29))


@pytest.mark.parametrize("batch_chars", [1, 300, 5000, 250_000])
def test_rows_hold_the_terms_tokens_reads(monkeypatch: pytest.MonkeyPatch, batch_chars: int) -> None:
    monkeypatch.setattr(text, "_BATCH_CHARS", batch_chars)
    docs = [(a, b) for a in ODD for b in ODD] + random_docs(random.Random(3), 150)
    index = Bm25Index([], field_weights=(1, 2))
    expected, vocab = reference(docs)
    # one `_rows` call after another: the table carries words (and left-out words) across calls
    half = len(docs) // 2
    assert counted(index, docs[:half]) + counted(index, docs[half:]) == expected
    assert list(index.vocab) == vocab


@pytest.mark.parametrize("batch_chars", [1, 700, 250_000])
def test_index_is_the_same_whatever_the_hash_and_batches(monkeypatch: pytest.MonkeyPatch, batch_chars: int) -> None:
    edges = " ".join(EDGES)
    docs = [(edges, edges[::-1])] + random_docs(random.Random(5), 300) + [(a, b) for a in ODD for b in ODD]
    new = random_docs(random.Random(6), 40) + [(b, a) for a in ODD[:4] for b in ODD]

    def build() -> Bm25Index:
        index = Bm25Index(docs, field_weights=(1, 2))
        index.append(new)
        index.compact()
        return index

    plain = build()
    assert index_rows(plain) == [[(t, 0) for t, _ in row] for row in reference(docs + new)[0]]
    monkeypatch.setattr(text, "_BATCH_CHARS", batch_chars)
    assert arrays(build()) == arrays(plain)
    # every word hashed alike: one word gets a slot, all others are looked up in the dict
    monkeypatch.setattr(text, "_hash", constant_hash)
    collided = build()
    assert arrays(collided) == arrays(plain)
    assert np.count_nonzero(collided._table.slot) == 1
    # words alike but for their second 8 bytes share slots: only the whole packed word tells them apart
    monkeypatch.setattr(text, "_hash", first_half_hash)
    assert arrays(build()) == arrays(plain)


def test_table_tells_apart_words_that_pack_alike_but_for_a_byte() -> None:
    words = [w.encode() for w in EDGES]
    data = b" ".join(words + words[::-1])
    starts, lens = text._spans(data)
    assert [data[a: a + n] for a, n in zip(starts.tolist(), lens.tolist(), strict=True)] == words + words[::-1]
    lo, hi = text._packed(data, starts, lens)
    short = (lens <= text._SHORT).tolist()
    pairs = list(zip(lo.tolist(), hi.tolist(), strict=True))
    kept = [p for p, s in zip(pairs, short, strict=True) if s]
    assert len(set(kept)) == len(kept) // 2  # equal words pack alike, different short words do not
    assert all(p[0] != 0 for p in pairs)


def test_words_left_out_of_a_full_table_are_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text._WordTable, "_SPREAD", 1)  # one slot per word: many words find both taken
    docs = random_docs(random.Random(9), 200)
    index = Bm25Index(docs, field_weights=(1, 2))
    assert np.count_nonzero(index._table.slot) < len(index._word_ids) - 1
    assert index_rows(index) == [[(t, 0) for t, _ in row] for row in reference(docs)[0]]
