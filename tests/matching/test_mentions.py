"""The "mentions" part of a reason, made for many pairs at once, says what the one-pair
`topic` says; a need's query entries are found per term as binary searches found them."""

import numpy as np

from tracker.matching import explain
from tracker.matching.rules import _rank_in_group
from tracker.matching.text import QueryValues


def test_mentions_of_many_pairs_read_as_each_pair_alone() -> None:
    per_pair = [["knife", "crime", "youth"], [], ["Millfield"], ["detached", "outreach"], []]
    words = np.array([w for ws in per_pair for w in ws], dtype=object)
    count = np.array([len(ws) for ws in per_pair])
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    assert explain.mentions(words, first, count) == [explain.topic([], ws) if ws else explain.NO_THEME
                                                      for ws in per_pair]
    assert explain.mentions(words, first, count)[0] == "no shared theme; mentions knife, crime, youth"
    assert explain.mentions(np.zeros(0, dtype=object), np.zeros(0, int), np.zeros(0, int)) == []


def test_place_within_runs_of_equal_keys() -> None:
    assert _rank_in_group(np.array([3, 3, 3, 5, 7, 7])).tolist() == [0, 1, 2, 0, 0, 1]
    assert _rank_in_group(np.zeros(0, dtype=np.int64)).tolist() == []


def test_each_terms_entries_are_where_a_binary_search_puts_them() -> None:
    qs = QueryValues([(np.array([2, 5, 9]), np.ones(3)), (np.array([5, 6]), np.ones(2)), (np.array([0]), np.ones(1))])
    first = qs.first_of_term(12)
    sorted_terms = qs.terms[qs.by_term()]
    for t in range(12):
        assert first[t] == np.searchsorted(sorted_terms, t, side="left")
        assert first[t + 1] - first[t] == np.count_nonzero(qs.terms == t)
