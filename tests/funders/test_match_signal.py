"""The funder's grant record as a ranking signal: a small bonus with its reason, figures
from the real Power to Change file, and the need's ask checked against the largest grant."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from tests.funders.loader import load
from tracker.format import money
from tracker.funder_history import BONUS_PER_GRANT, MAX_BONUS
from tracker.grants.stats import area_codes
from tracker.matches import run_matching
from tracker.models import FunderLink, Match, Need, Opportunity

TODAY = date(2026, 12, 2)
PTC = "Power to Change Trust"


def local_figures(grants: list[dict], place: str) -> tuple[int, int, int, int]:
    """Count, median, min and max of the file's grants in the place, computed from the raw file."""
    codes = area_codes(place)
    amounts = [round(g["amountAwarded"]) for g in grants if g.get("recipientDistrictGeoCode") in codes
               or codes & {b.get("geoCode") for b in g.get("beneficiaryLocation", [])}]
    return len(amounts), round(statistics.median(amounts)), min(amounts), max(amounts)


@pytest.fixture
def session(engine):
    with Session(engine) as s:
        yield s


def _two_calls(s: Session) -> dict[str, int]:
    """Two calls alike in every way but their funder."""
    common = dict(summary="Grants for community businesses that bring people together and reduce isolation.",
                  deadline=TODAY + timedelta(days=400), amount_min=500, amount_max=5000,
                  eligible_org_types=["local_authority", "charity"], areas=["England"], themes=["community_cohesion"])
    ptc = Opportunity(url="https://f.example/ptc", title="Community business fund", funder=PTC, **common)
    other = Opportunity(url="https://f.example/other", title="Community business fund", funder="Anon Trust", **common)
    s.add_all([ptc, other])
    s.commit()
    return {"ptc": ptc.id, "other": other.id}


def _need(s: Session, area: str, amount_max: int = 20000) -> Need:
    need = Need(id="N1", title="Community businesses", description="Community businesses that bring people together",
                themes=["community_cohesion"], area=area, amount_min=1000, amount_max=amount_max,
                partners=["charity"])
    s.add(need)
    s.commit()
    return need


def test_grants_here_add_a_small_bonus_with_its_reason(session) -> None:
    grants = load(session, "power-to-change-grants.json", PTC)
    ids = _two_calls(session)
    _need(session, "Cambridgeshire")
    run_matching(session, TODAY)
    session.commit()
    rows = {m.opportunity_id: m for m in session.exec(select(Match))}
    ptc, other = rows[ids["ptc"]], rows[ids["other"]]
    n, median, _, _ = local_figures(grants, "Cambridgeshire")
    assert n == 12
    assert ptc.score == pytest.approx(min(100.0, other.score + min(MAX_BONUS, BONUS_PER_GRANT * n)), abs=0.11)
    assert (ptc.rank, other.rank) == (1, 2)
    line = next(r for r in ptc.reasons if r.startswith("this funder made"))
    assert line == f"this funder made {n} grants in Cambridgeshire, latest 2018, median {money(median)}"
    assert not any(r.startswith("this funder made") for r in other.reasons)
    # the run stored the link it used
    assert session.get(FunderLink, "power to change trust").org_id == "GB-CHC-1159982"


def test_ask_above_the_largest_grant_here_is_said(session) -> None:
    grants = load(session, "power-to-change-grants.json", PTC)
    ids = _two_calls(session)
    _need(session, "Peterborough", amount_max=50000)
    run_matching(session, TODAY)
    session.commit()
    ptc = session.exec(select(Match).where(Match.opportunity_id == ids["ptc"])).one()
    n, _, _, largest = local_figures(grants, "Peterborough")
    assert n == 2 and largest < 50000
    assert f"asks £50,000; this funder's largest grant here is {money(largest)}" in ptc.reasons


def test_no_grants_imported_changes_nothing(session) -> None:
    ids = _two_calls(session)
    _need(session, "Peterborough")
    run_matching(session, TODAY)
    session.commit()
    rows = {m.opportunity_id: m for m in session.exec(select(Match))}
    assert rows[ids["ptc"]].score == rows[ids["other"]].score
    assert session.exec(select(FunderLink)).first() is None
