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
