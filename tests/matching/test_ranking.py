"""Ranking sanity, synonyms, duplicates and incremental re-scoring."""

from __future__ import annotations

from datetime import date

from tests.matching.conftest import TODAY, filler, need, opp
from tracker.matching import Matcher, NeedSpec, match_all, themes_in

ARTS = dict(title="Arts Project Grants", summary="Grants for theatre, music and visual arts projects.",
            text="Artists, arts organisations and councils may apply.", themes=["arts_culture"])


def ranked(results):
    return [r.opp_key for r in sorted((r for r in results if r.rank), key=lambda r: r.rank)]


def test_youth_violence_call_outranks_an_arts_call() -> None:
    rs = Matcher([opp("/arts", **ARTS), opp("/youth"), *filler()], TODAY).score(need())
    assert ranked(rs)[0] == "/youth"
    scores = {r.opp_key: r.score for r in rs}
    assert scores["/youth"] > scores.get("/arts", 0)


def test_direct_beats_via_partner() -> None:
    partner = opp("/partner", eligible_org_types=["charity"], excluded_org_types=["local_authority"])
    rs = Matcher([partner, opp("/direct"), *filler()], TODAY).score(need())
    assert ranked(rs) == ["/direct", "/partner"]


def test_amount_fit_breaks_a_tie() -> None:
    rs = Matcher([opp("/huge", amount_min=500_000, amount_max=900_000), opp("/fits"), *filler()], TODAY)
    assert ranked(rs.score(need()))[:2] == ["/fits", "/huge"]


def test_synonyms_in_the_need_prose() -> None:
    assert "serious_violence" in themes_in("knife crime in the city")
    assert "exploitation" in themes_in("cuckooing of vulnerable adults")
    assert "organised_crime" in themes_in("teenagers running county lines")
    # A need with no stated themes still finds the call through its words.
    plain = need(themes=[], description="Stop knife crime among teenagers")
    rs = Matcher([opp("/arts", **ARTS), opp("/youth"), *filler()], TODAY).score(plain)
    top = rs[0]
    assert top.opp_key == "/youth" and top.reasons[0].startswith("themes ")


def test_opportunity_without_themes_gets_them_from_its_text() -> None:
    bare = opp("/bare", themes=[], title="Knife Crime Fund", summary="For teenagers at risk")
    r = next(r for r in Matcher([bare, *filler()], TODAY).score(need()) if r.opp_key == "/bare")
    assert "serious violence" in r.reasons[0]


def test_irrelevant_calls_are_not_matches() -> None:
    rs = Matcher([opp("/youth"), *filler()], TODAY).score(need())
    assert [r.opp_key for r in rs] == ["/youth"]


def test_duplicates_are_scored_but_not_ranked() -> None:
    primary, copy = opp("/owner"), opp("/aggregator", duplicate_of="/owner")
    rs = Matcher([copy, primary, *filler()], TODAY).score(need())
    by_key = {r.opp_key: r for r in rs}
    assert by_key["/owner"].rank == 1
    assert by_key["/aggregator"].rank is None and by_key["/aggregator"].eligible
    assert "same call as /owner" in by_key["/aggregator"].reasons


def test_duplicate_of_a_missing_primary_is_ranked() -> None:
    rs = Matcher([opp("/aggregator", duplicate_of="/gone"), *filler()], TODAY).score(need())
    assert rs[0].rank == 1


def test_subset_equals_full_scoring_on_the_subset() -> None:
    opps = [opp(f"/c{i}", deadline=date(2027, 1 + i % 12, 10), amount_max=30000 + 1000 * i,
                themes=[["youth"], ["serious_violence", "youth"], ["heritage"]][i % 3]) for i in range(30)]
    m = Matcher(opps, TODAY)
    n = need()
    full = {r.opp_key: r for r in m.score(n)}
    keys = [f"/c{i}" for i in range(0, 30, 4)]
    sub = {r.opp_key: r for r in m.score_subset(n, keys)}
    assert set(sub) == {k for k in keys if k in full}
    for k, r in sub.items():
        assert (r.score, r.eligible, r.reasons) == (full[k].score, full[k].eligible, full[k].reasons)


def test_upsert_then_subset_matches_a_fresh_full_score() -> None:
    base = [opp(f"/c{i}", title=f"Youth fund {i}") for i in range(10)] + filler()
    m = Matcher(base, TODAY)
    n = need()
    m.score(n)
    changed = opp("/c3", title="Youth fund 3", status="closed")
    new = opp("/new", title="Knife crime fund", amount_max=40000)
    m.upsert([changed, new])
    sub = {r.opp_key: r for r in m.score_subset(n, ["/c3", "/new"])}
    full = {r.opp_key: r for r in m.score(n)}
    assert sub["/c3"].reasons[0] == "closed" and not sub["/c3"].eligible
    for k in ("/c3", "/new"):
        assert (sub[k].score, sub[k].eligible) == (full[k].score, full[k].eligible)
    assert sum(r.opp_key == "/c3" for r in full.values()) == 1


def test_remove() -> None:
    m = Matcher([opp("/a"), opp("/b"), *filler()], TODAY)
    m.remove(["/a"])
    assert [r.opp_key for r in m.score(need())] == ["/b"]


def test_match_all_skips_inactive_needs() -> None:
    needs = [need(), NeedSpec(id="off", title="x", themes=["youth"], active=False)]
    rs = match_all(needs, [opp(), *filler()], TODAY)
    assert {r.need_id for r in rs} == {"youth-violence"}


def test_scores_are_bounded_and_rounded() -> None:
    for r in Matcher([opp(), opp("/arts", **ARTS), *filler()], TODAY).score(need()):
        assert 0 <= r.score <= 100 and round(r.score, 1) == r.score


def test_an_umbrella_theme_alone_is_not_on_purpose() -> None:
    """A call sharing only the umbrella theme (community safety) with the need ranks below one
    sharing a specific theme the need states, even when the umbrella call names it first."""
    nd = need(id="vawg", title="Safer nights out for women", description="Women walking home late at night.",
              themes=["vawg", "community_safety"], amount_min=None, amount_max=None)
    umbrella = opp("/umbrella", title="Community Safety Sport Pilot", summary="Sport sessions for teenagers.",
                   text="Community safety partners and councils may apply.",
                   themes=["community_safety", "sport_physical_activity", "youth"])
    specific = opp("/specific", title="Victim support services", summary="Support for victims of crime.",
                   text="Charities and councils may apply.", themes=["victims", "vawg"])
    scores = {r.opp_key: r.score for r in Matcher([umbrella, specific, *filler()], TODAY).score(nd)}
    assert scores["/specific"] > scores.get("/umbrella", 0)


def test_a_call_sharing_no_theme_says_which_of_the_needs_words_it_uses() -> None:
    """At most three (of the need's words, as it spells them), the words that weigh most in the call first."""
    needy = need(title="Allotments", description="Gardening plots, Allotments and composting for tenants.",
                 themes=["heritage"], keywords=[])
    calls = [
        opp("/garden", title="Composting and gardening", summary="Gardening, gardening and composting.",
            text="Plots for tenants.", themes=["environment_climate"]),
        opp("/one", title="Tenants fund", summary="For tenants.", text="Any tenants group.", themes=["youth"]),
        opp("/none", title="Swimming pools", summary="Pool repairs.", text="Pools.",
            themes=["sport_physical_activity"]),
        *filler(),
    ]
    got = {r.opp_key: r.reasons for r in Matcher(calls, TODAY, min_relevance=0.0, max_results=None).score(needy)}
    assert "no shared theme; mentions gardening, composting, plots" in got["/garden"]
    assert "no shared theme; mentions tenants" in got["/one"]
    assert "no shared theme" in got["/none"]
