"""Each hard rule makes a call ineligible, and says so first."""

from __future__ import annotations

from datetime import date

from tests.matching.conftest import TODAY, filler, need, opp
from tracker.matching import Matcher, MatchResult


def result(o, n=None, **matcher_kw) -> MatchResult:
    rs = Matcher([o, *filler()], TODAY, **matcher_kw).score(n or need())
    return next(r for r in rs if r.opp_key == o.key)


def test_eligible_call_is_ranked_with_all_reasons() -> None:
    r = result(opp())
    assert r.eligible and r.rank == 1 and not r.too_tight
    assert r.reasons == [
        "themes youth + serious violence",
        "covers Peterborough",
        "council may apply",
        "£5,000 to £50,000 overlaps £20,000 to £60,000",
        "closes 14 March 2027 (108 days)",
    ]
    assert 0 < r.score <= 100


def test_other_area_is_ineligible() -> None:
    r = result(opp(areas=["Cumbria"]))
    assert not r.eligible and r.rank is None
    assert r.reasons[0] == "not open to Peterborough (Cumbria only)"


def test_area_through_the_tree_and_aliases() -> None:
    assert result(opp(areas=["Cambs"])).eligible
    assert result(opp(areas=["East of England"])).reasons[1] == "covers Peterborough"


def test_no_area_stated_is_allowed_with_a_caveat() -> None:
    r = result(opp(areas=[]))
    assert r.eligible
    assert "area not stated: assumed open nationally, check" in r.reasons


def test_part_of_the_need_area_is_allowed_with_a_caveat() -> None:
    r = result(opp(areas=["Fenland"]), need(area="Cambridgeshire"))
    assert r.eligible
    assert "covers only part of Cambridgeshire (Fenland)" in r.reasons


def test_closed_by_status_or_by_past_deadline() -> None:
    assert result(opp(status="closed")).reasons[0] == "closed"
    r = result(opp(deadline=date(2026, 11, 1)))
    assert not r.eligible and r.reasons[0] == "closed"


def test_too_tight_is_shown_not_hidden() -> None:
    r = result(opp(deadline=date(2026, 12, 5)))
    assert not r.eligible and r.too_tight and r.rank is None
    assert r.reasons[0] == "too tight: closes in 9 days, needs 21 days to prepare"
    assert result(opp(deadline=date(2026, 12, 5)), need(prep_days=5)).eligible


def test_applicant_excluded_and_no_partner() -> None:
    r = result(opp(eligible_org_types=["charity"], excluded_org_types=["local_authority"]), need(partners=[]))
    assert not r.eligible
    assert r.reasons[0] == "local authorities excluded"


def test_open_only_to_others() -> None:
    r = result(opp(eligible_org_types=["university"]))
    assert not r.eligible
    assert r.reasons[0] == "open only to universities"


def test_council_may_apply_via_a_partner() -> None:
    r = result(opp(eligible_org_types=["charity", "community_group"], excluded_org_types=["local_authority"]))
    assert r.eligible
    assert "council may apply via a charity partner" in r.reasons


def test_via_a_partner_names_the_partners_each_call_takes() -> None:
    """Calls that take the same partners share the words; each names only the ones it takes,
    whatever else it lists, and a partner type the vocabulary lacks is read by name."""
    calls = filler() + [
        opp("/calls/c1", eligible_org_types=["charity", "school"]),
        opp("/calls/c2", eligible_org_types=["charity", "university"], excluded_org_types=["police"]),
        opp("/calls/p", eligible_org_types=["police", "university"]),
        opp("/calls/both", eligible_org_types=["police", "charity"]),
        opp("/calls/both-but-one", eligible_org_types=["police", "charity"], excluded_org_types=["charity"]),
        opp("/calls/co-op", eligible_org_types=["charity", "arts_co_op"]),
    ]
    needs = [need(partners=["police", "charity"]), need(id="co-op", partners=["charity", "arts_co_op"])]
    got = [{r.opp_key: next((x for x in r.reasons if "may apply" in x), None) for r in rs}
           for rs in Matcher(calls, TODAY, max_results=None).score_many(needs)]
    assert got[0]["/calls/c1"] == got[0]["/calls/c2"] == "council may apply via a charity partner"
    assert got[0]["/calls/p"] == got[0]["/calls/both-but-one"] == "council may apply via a police partner"
    assert got[0]["/calls/both"] == "council may apply via a police or charity partner"
    assert got[1]["/calls/co-op"] == "council may apply via a charity or arts co op partner"
    assert got[1]["/calls/both"] == got[1]["/calls/c2"] == "council may apply via a charity partner"


def test_partner_excluded_too() -> None:
    r = result(opp(eligible_org_types=["charity"], excluded_org_types=["local_authority", "charity"]))
    assert not r.eligible


def test_unknown_eligibility_is_allowed_with_a_caveat() -> None:
    r = result(opp(eligible_org_types=[]))
    assert r.eligible
    assert "who may apply is not stated: check the council qualifies" in r.reasons


def test_maximum_below_the_need_minimum() -> None:
    r = result(opp(amount_min=None, amount_max=10000))
    assert not r.eligible
    assert r.reasons[0] == "at most £10,000, below the £20,000 needed"


def test_total_pot_below_the_need_minimum() -> None:
    r = result(opp(amount_min=None, amount_max=None, total_pot=15000))
    assert not r.eligible


def test_several_failures_all_listed() -> None:
    r = result(opp(status="closed", areas=["Cheshire"]))
    assert r.reasons[:2] == ["closed", "not open to Peterborough (Cheshire only)"]


def test_rolling_and_upcoming_wording() -> None:
    assert "rolling: no fixed deadline" in result(opp(deadline=None, rolling=True)).reasons
    up = result(opp(status="upcoming", opens=date(2027, 7, 1), deadline=date(2027, 9, 30)))
    assert up.eligible
    assert "upcoming: opens 1 July 2027, closes 30 September 2027 (308 days)" in up.reasons
    tbc = result(opp(status="upcoming", deadline=None))
    assert "upcoming: opening soon, dates to be confirmed" in tbc.reasons


def test_amount_wording() -> None:
    assert "from £20,001 overlaps £20,000 to £60,000" in result(opp(amount_min=20001, amount_max=None)).reasons
    big = result(opp(amount_min=1_200_000, amount_max=1_350_000))
    assert "£1,200,000 to £1,350,000 does not fit £20,000 to £60,000" in big.reasons


def test_unknown_applicant_type_with_no_list() -> None:
    r = result(opp(eligible_org_types=[]), need(applicant="parish_meeting", partners=[]))
    assert not r.eligible and r.reasons[0] == "parish meetings not eligible"


def test_needs_scored_one_after_another_get_what_each_gets_alone() -> None:
    """Verdicts shared between needs with the same area, applicant, sums or preparation time
    are made once per matcher: a later need with other values must not get the earlier ones,
    and calls added since must be judged too."""
    calls = filler() + [
        opp("/calls/soon", deadline=date(2026, 12, 10)),
        opp("/calls/big", amount_min=100000, amount_max=200000),
        opp("/calls/charities", eligible_org_types=["charity"]),
        opp("/calls/cumbria", areas=["Cumbria"]),
        opp("/calls/pot", amount_min=None, amount_max=None, total_pot=15000),
    ]
    needs = [
        need(prep_days=5),
        need(id="n2", prep_days=30),  # /calls/soon is now too tight
        need(id="n3", area="Cumbria", amount_min=150000, amount_max=None),
        need(id="n4", partners=[], applicant="charity"),
        need(id="n5", amount_min=None),
        need(prep_days=5),
    ]
    shared = Matcher(calls, TODAY)
    together = [shared.score(n) for n in needs]
    assert together == [Matcher(calls, TODAY).score(n) for n in needs]
    assert {r.opp_key for r in together[1] if r.too_tight} == {"/calls/soon"}
    assert not any(r.too_tight for r in together[0])

    added = [opp("/calls/new", deadline=date(2026, 11, 29), areas=["Peterborough"])]
    shared.upsert(added)
    fresh = Matcher(calls + added, TODAY, max_results=None)
    for n in needs:
        got = {r.opp_key: r for r in shared.score(n)}
        assert got["/calls/new"] == {r.opp_key: r for r in fresh.score(n)}["/calls/new"]
    assert {r.opp_key: r for r in shared.score(needs[0])}["/calls/new"].too_tight
