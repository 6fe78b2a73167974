"""Linking a call's funder to a 360Giving funding organisation: by registration number in
its calls' text, by name (exact key, then near names with a confidence), admins' choices."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tracker.funder_links import (
    MIN_CONFIDENCE,
    LinkError,
    clear_link,
    confirm_link,
    current_link,
    name_confidence,
    refresh_links,
    set_link,
)
from tracker.grants.names import name_key
from tracker.models import FunderLink, FundingOrg, Opportunity


def org(org_id: str, name: str, charity: str | None = None, company: str | None = None) -> FundingOrg:
    return FundingOrg(id=org_id, name=name, name_key=name_key(name), charity_number=charity, company_number=company)


@pytest.fixture
def session(engine):
    with Session(engine) as s:
        s.add_all([
            org("GB-CHC-327114", "Lloyds Bank Foundation for England and Wales", charity="327114"),
            org("GB-CHC-1159982", "Power to Change Trust", charity="1159982"),
            org("GB-COH-04530979", "Somerset Community Foundation", company="04530979"),
            org("GB-CHC-1096892", "Leeds Community Foundation"),
            org("GB-CHC-200051", "Esmee Fairbairn Foundation"),
        ])
        s.commit()
        yield s


def call(s: Session, funder: str, body: str = "", n: int = 1) -> Opportunity:
    opp = Opportunity(url=f"https://f.example/{name_key(funder).replace(' ', '-')}/{n}", title="A call",
                      funder=funder, body=body)
    s.add(opp)
    s.commit()
    return opp


def test_exact_name_is_certain(session) -> None:
    link = current_link(session, "The Esmée Fairbairn Foundation")
    assert (link.org_id, link.method, link.confidence) == ("GB-CHC-200051", "name", 1.0)


def test_number_on_the_page_beats_the_name(session) -> None:
    # the call calls its funder by a short name that is close to another funder's
    call(session, "Lloyds Foundation", body="Lloyds Bank Foundation for England & Wales. Registered charity no. 327114")
    link = current_link(session, "Lloyds Foundation")
    assert (link.org_id, link.method, link.confidence) == ("GB-CHC-327114", "charity-number", 1.0)


def test_company_number_finds_the_funder_by_its_number(session) -> None:
    call(session, "SCF", body="Somerset Community Foundation is a company limited by guarantee, number 4530979.")
    link = current_link(session, "SCF")
    assert (link.org_id, link.method) == ("GB-COH-04530979", "company-number")


def test_a_number_of_no_imported_funder_falls_back_to_the_name(session) -> None:
    call(session, "Power to Change", body="Charity number 1234567 (our applicant's)")
    link = current_link(session, "Power to Change")
    assert link.org_id == "GB-CHC-1159982" and link.method == "name"
    assert MIN_CONFIDENCE <= link.confidence < 1.0  # "Power to Change" is within "Power to Change Trust"


def test_near_names_have_a_confidence_and_far_ones_no_link(session) -> None:
    near = current_link(session, "Lloyds Bank Foundation")
    assert near.org_id == "GB-CHC-327114" and MIN_CONFIDENCE <= near.confidence < 1.0
    assert current_link(session, "Home Office") is None
    # a generic name as near to two funders links to neither
    assert current_link(session, "Community Foundation") is None
    # confidence falls as names drift apart
    assert name_confidence("leeds community foundation", "leeds community foundation") == 1.0
    assert name_confidence("leeds community foundation", "leeds comunity foundation") > name_confidence(
        "leeds community foundation", "somerset community foundation")


def test_refresh_stores_guesses_and_keeps_confirmed_links(session) -> None:
    call(session, "Power to Change")
    call(session, "Lloyds Bank Foundation")
    set_link(session, "Lloyds Bank Foundation", "GB-CHC-1096892", "ada@council.example")  # an admin's (odd) choice
    session.commit()
    refresh_links(session)
    session.commit()
    stored = {r.funder_key: r for r in session.exec(select(FunderLink))}
    assert stored["power to change"].org_id == "GB-CHC-1159982" and not stored["power to change"].confirmed
    kept = stored["lloyds bank foundation"]
    assert (kept.org_id, kept.confirmed, kept.confirmed_by) == ("GB-CHC-1096892", True, "ada@council.example")


def test_confirm_fix_clear(session) -> None:
    confirm_link(session, "Power to Change", "ada@council.example")
    link = current_link(session, "power to change")  # the same key, however the call writes it
    assert (link.org_id, link.confirmed, link.confirmed_by) == ("GB-CHC-1159982", True, "ada@council.example")
    set_link(session, "Power to Change", None, "ada@council.example")  # "no 360Giving data"
    link = current_link(session, "Power to Change")
    assert link.org_id is None and link.confirmed
    assert clear_link(session, "Power to Change")  # back to guessing
    assert current_link(session, "Power to Change").confirmed is False
    with pytest.raises(LinkError, match="GB-CHC-999"):
        set_link(session, "Power to Change", "GB-CHC-999", "ada@council.example")
    with pytest.raises(LinkError, match="no link to confirm"):
        confirm_link(session, "Home Office", "ada@council.example")
