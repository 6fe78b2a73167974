"""Who could lead the bid: local recipients funded for the same themes, best first; the
need's shortlist."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from tests.funders.grants import local_grants
from tracker.models import Need
from tracker.partners import PartnerError, add_partner, remove_partner, shortlist, suggest_partners

TODAY = date(2026, 12, 2)


@pytest.fixture
def session(engine):
    with Session(engine) as s:
        s.add_all(local_grants())
        s.add(Need(id="N1", title="Youth diversion", themes=["youth", "serious_violence"], area="Peterborough"))
        s.commit()
        yield s


def test_local_recipients_on_the_themes_ranked_by_relevance_and_recency(session) -> None:
    need = session.get(Need, "N1")
    found = suggest_partners(session, need, need.themes, TODAY)
    assert [c.name for c in found] == ["Peterborough Youth Trust", "Fenland Youth Outreach", "Millfield Mentors"]
    trust = found[0]
    assert trust.grants == 2 and trust.themes == ["youth", "serious_violence"]
    assert trust.charity_number == "1111111"
    assert trust.latest_award["date"] == date(2025, 5, 1) and trust.latest_award["amount"] == 20000
    assert trust.funded_for[0].startswith("Detached youth work")
    # the same theme, funded in 2018 rather than 2024, ranks lower; Leeds is not in the area;
    # the domestic abuse charity and the pub are not on these themes
    assert found[1].score > found[2].score


def test_the_calls_themes_widen_the_search(session) -> None:
    need = session.get(Need, "N1")
    found = suggest_partners(session, need, [*need.themes, "domestic_abuse"], TODAY)
    assert "Safe Homes Peterborough" in [c.name for c in found]


def test_shortlist_add_remove(session) -> None:
    need = session.get(Need, "N1")
    add_partner(session, need, "GB-CHC-1111111", "sam@council.example")
    add_partner(session, need, "GB-CHC-1111111", "sam@council.example")  # again: no second row
    assert [(p.name, p.added_by) for p in shortlist(session, "N1")] == [("Peterborough Youth Trust",
                                                                        "sam@council.example")]
    with pytest.raises(PartnerError, match="GB-CHC-9"):
        add_partner(session, need, "GB-CHC-9", None)
    assert remove_partner(session, need, "GB-CHC-1111111")
    assert not remove_partner(session, need, "GB-CHC-1111111")
    assert shortlist(session, "N1") == []
