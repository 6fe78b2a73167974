"""Calls appended after a crawl leave the table as a build over them would: the appended
arrays and theme views are the same, and earlier cuts of a growing array are left alone."""

from __future__ import annotations

import numpy as np

from tests.matching.conftest import filler, opp
from tracker.matching.table import OppTable
from tracker.matching.text import _appended
from tracker.vocab import load_vocabulary


def test_appended_is_concatenate_and_leaves_earlier_cuts_alone() -> None:
    grown = _appended(np.zeros(0, dtype=np.int32), np.arange(4, dtype=np.int32))
    first = grown
    for step in range(1, 30):
        more = np.arange(step, dtype=np.int64 if step > 20 else np.int32)
        expected = np.concatenate([grown, more])
        grown = _appended(grown, more)
        assert grown.tolist() == expected.tolist() and grown.dtype == expected.dtype
    assert first.tolist() == [0, 1, 2, 3]


def test_upserted_calls_give_the_theme_views_a_build_over_them_gives() -> None:
    vocab = load_vocabulary()
    many = ["youth", "serious_violence", "drugs_alcohol", "vawg", "community_safety", "heritage"]
    calls = filler(3) + [opp("/calls/one", themes=["youth"])]
    later = [opp("/calls/wide", title="Knife crime, drugs and youth", themes=many),
             opp("/calls/none", themes=[], title="Chapel roof repairs", summary="", text="")]
    grown = OppTable(calls, vocab)
    grown.upsert(later[:1])
    grown.upsert(later[1:])
    built = OppTable(calls + later, vocab)
    for view in ("themes", "theme_norm", "main_theme_rows", "side_theme_rows"):
        assert getattr(grown, view).tolist() == getattr(built, view).tolist(), view
    assert grown.index.terms.tolist() == built.index.terms.tolist()
