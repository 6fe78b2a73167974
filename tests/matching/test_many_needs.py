"""Many needs scored at once give what each need scored alone gives."""

from __future__ import annotations

import random
from dataclasses import replace

from tests.matching.conftest import TODAY, filler, need, opp
from tracker.matching import Matcher


def test_every_need_at_once_matches_each_need_alone() -> None:
    rng = random.Random(3)
    themes = ["youth", "serious_violence", "heritage", "drugs_alcohol", "community_safety"]
    calls = filler(8) + [
        opp(f"/calls/{i}", title=rng.choice(["Knife crime fund", "Mentoring grants", "Chapel repairs"]),
            themes=rng.sample(themes, rng.randint(0, 2)), areas=rng.choice([[], ["England"], ["Cumbria"]]),
            eligible_org_types=rng.sample(["charity", "local_authority", "police"], rng.randint(0, 2)),
            amount_max=rng.choice([None, 1000, 80000]), duplicate_of="/calls/0" if i % 9 == 5 else None)
        for i in range(40)]
    needs = [need(), need(id="cctv", title="CCTV for Lincoln Road", themes=[], area="Cumbria", prep_days=60),
             need(id="drugs", title="County lines drugs", themes=["drugs_alcohol"], partners=[], amount_min=None),
             need(id="no-words", title="", description="", themes=[])]
    alone, together = Matcher(calls, TODAY), Matcher(calls, TODAY)
    new = [replace(c, key=c.key + "/v2", title=c.title + " round two") for c in calls[10:30]]
    alone.upsert(new)
    together.upsert(new)
    keys = [c.key for c in new] + ["/calls/3", "/calls/missing"]
    expected = [alone.score_subset(n, keys) for n in needs]
    assert together.score_subset_many(needs, keys) == expected
    assert any(r.eligible for rs in expected for r in rs) and any(not r.eligible for rs in expected for r in rs)
    assert together.score_subset_many([], keys) == []


def test_needs_scored_a_few_at_a_time_match_each_need_alone_and_the_subset_of_every_call() -> None:
    rng = random.Random(5)
    calls = filler(6) + [
        opp(f"/calls/{i}", title=rng.choice(["Knife crime fund", "Mentoring grants", "Chapel repairs"]),
            themes=rng.sample(["youth", "serious_violence", "heritage"], rng.randint(0, 2)),
            areas=rng.choice([[], ["England"], ["Cumbria"]]), amount_max=rng.choice([None, 1000, 80000]))
        for i in range(30)]
    needs = [need(), need(id="cctv", title="CCTV for Lincoln Road", themes=[], area="Cumbria"),
             need(id="heritage", title="Chapel roof", themes=["heritage"], partners=[])]
    for changed in (False, True):  # every row live; a call replaced and one removed
        one_pass, need_by_need = Matcher(calls, TODAY), Matcher(calls, TODAY)
        need_by_need.CELLS_PER_PASS = 1  # a pass per need
        for m in (one_pass, need_by_need):
            if changed:
                m.upsert([replace(calls[8], title="Knife crime fund round two")])
                m.remove(["/calls/9"])
        together = list(one_pass.score_many(needs))
        assert together == list(need_by_need.score_many(needs)) == [need_by_need.score(n) for n in needs]
        live = list(one_pass.table.row_of)
        assert together == [one_pass.score_subset(n, live) for n in needs]
        assert ("/calls/9" in {r.opp_key for rs in together for r in rs}) is not changed
        assert all(any(r.rank for r in rs) for rs in together)
    assert list(one_pass.score_many([])) == []
