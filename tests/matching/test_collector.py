"""Indexing and scoring run without the cyclic garbage collector, and give it back after."""

from __future__ import annotations

import gc

from tests.matching.conftest import TODAY, filler, need, opp
from tracker.matching import Matcher


def test_no_collection_runs_while_the_matcher_works_and_the_collector_is_back_after() -> None:
    collections: list[str] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(phase)

    calls, more, needs = filler(30) + [opp()], [opp("/calls/b")], [need(), need(id="other")]
    counts: list[int] = []

    def working(step):  # the collections while the matcher takes this step
        before = len(collections)
        out = step()
        counts.append(len(collections) - before)
        return out

    threshold = gc.get_threshold()
    gc.set_threshold(1)  # a collection at nearly every allocation, had the collector been on
    gc.callbacks.append(seen)
    try:
        matcher = working(lambda: Matcher(calls, TODAY))
        working(lambda: matcher.upsert(more))
        results = matcher.score_many(needs)
        first = working(lambda: next(results))
        on_between = gc.isenabled()  # not paused while the caller has the results
        rest = working(lambda: list(results))
        subset = working(lambda: matcher.score_subset_many(needs[:1], ["/calls/b"]))
        before = len(collections)
        kept = [[] for _ in range(100_000)]  # the caller's own allocations, with the collector back
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*threshold)
    # with a collection at every allocation: a few as a step starts and ends (thousands unpaused)
    assert len(counts) == 5 and max(counts) < 10 and on_between and len(collections) > before and kept
    assert first[0].opp_key in {"/calls/a", "/calls/b"} and rest and subset[0][0].opp_key == "/calls/b"


def test_a_caller_that_turned_the_collector_off_finds_it_off() -> None:
    gc.disable()
    try:
        Matcher(filler(3), TODAY).score(need())
        assert not gc.isenabled()
    finally:
        gc.enable()
