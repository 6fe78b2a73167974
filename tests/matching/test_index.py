"""The index counts a call's words exactly as `term_counts` reads one text."""

from __future__ import annotations

import pytest

from tracker.matching import text
from tracker.matching.text import Bm25Index, term_counts

ODD = [
    "Youth's clubs don't close: ‘children’s’ O'Neill anti-social ASB-led £50,000 2026/27",
    "Straße ﬁnance İstanbul naïve café CAFÉ Σίσυφος 中文 😀 e.g. i.e.",
    "",
    "'s at the start, s' at the end'",
    "a\x01b separator\x01inside and\ttabs\r\nlines",
    "THE AND OF running ran runs parties passes bus analysis",
    "knife crime, knives, KNIFE-CRIME",
]


def expected(body: str, title: str) -> list[tuple[str, int]]:
    counts = term_counts(body)
    for t, n in term_counts(title).items():
        counts[t] += 2 * n
    return list(counts.items())


def counted(docs: list[tuple[str, str]]) -> tuple[list[list[tuple[str, int]]], list[str]]:
    index = Bm25Index([], field_weights=(1, 2))
    tid, tf, n_terms, lengths = index._rows(docs)
    terms = list(index.vocab)
    rows, at = [], 0
    for n, length in zip(n_terms.tolist(), lengths.tolist(), strict=True):
        pairs = zip(tid[at: at + n].tolist(), tf[at: at + n].tolist(), strict=True)
        rows.append([(terms[t], int(c)) for t, c in pairs])
        assert length == sum(c for _, c in rows[-1])
        at += n
    return rows, terms


@pytest.mark.parametrize("batch_chars", [1, 40, 250_000])
def test_rows_count_as_term_counts_does(monkeypatch: pytest.MonkeyPatch, batch_chars: int) -> None:
    monkeypatch.setattr(text, "_BATCH_CHARS", batch_chars)  # ASCII and other batches, one or many documents
    docs = [(a, b) for a in ODD for b in ODD]
    rows, terms = counted(docs)
    assert rows == [expected(*d) for d in docs]
    # term ids in order of first use across the documents
    first_use = list(dict.fromkeys(t for d in docs for t, _ in expected(*d)))
    assert terms == first_use
