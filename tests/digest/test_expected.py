"""The digest's "expected to open soon": closed funds forecast to reopen within three months
whose earlier rounds matched the recipient's needs, with the evidence."""

import re
from datetime import date

from sqlmodel import select

from tests.digest.conftest import ADA
from tests.digest.test_build import build
from tracker.db import session_scope
from tracker.digest.render import render_parts
from tracker.models import Bid, Match, Opportunity


def _fund(engine, title: str, month: int, need: str | None) -> None:  # noqa: ANN001
    """Rounds opening in `month` of 2025 and 2026, both closed; the latest matched to `need`."""
    with session_scope(engine) as s:
        for year in (2025, 2026):
            opp = Opportunity(url=f"https://f.example/{title.replace(' ', '-')}-{year}", title=f"{title} {year}",
                              funder="Watch <Trust>", status="closed", opens=date(year, month, 5),
                              deadline=date(year, month, 28))
            s.add(opp)
            s.flush()
            if need and year == 2026:
                s.add(Match(need_id=need, opportunity_id=opp.id, score=0.4, eligible=False))


def test_expected_section_lists_funds_for_the_recipients_needs(engine, seeded):
    _fund(engine, "Night Watch Grants", 1, "N1")  # expected January 2027: soon, and matched
    _fund(engine, "Harvest Grants", 9, "N1")  # September 2027: too far off
    _fund(engine, "Unrelated Grants", 2, None)  # soon, but never matched a need
    _fund(engine, "Bid Grants", 1, None)
    with session_scope(engine) as s:  # the team bid on an earlier round for N2 (ADA follows every need)
        first = s.exec(select(Opportunity).where(Opportunity.title == "Bid Grants 2025")).one()
        s.add(Bid(opportunity_id=first.id, need_id="N2", status="unsuccessful"))
    content = build(engine, ADA)
    assert [e.title for e in content.expected] == ["Bid Grants 2026", "Night Watch Grants 2026"]
    assert content.expected[0].notes[2] == "For: Domestic abuse support"
    entry = content.expected[1]
    assert entry.notes[:2] == ["Likely to reopen around January 2027", "Opened January 2025, January 2026"]
    subject, text, html = render_parts(content)
    assert "EXPECTED TO OPEN SOON" in text and "Likely to reopen around January 2027" in text
    assert re.search(r"<h2[^>]*>Expected to open soon</h2>", html)
    assert "Watch &lt;Trust&gt;" in html and "Watch <Trust>" not in html


def test_no_expected_section_without_a_forecast(engine, seeded):
    content = build(engine, ADA)
    assert content.expected == []
    assert "EXPECTED TO OPEN SOON" not in render_parts(content)[1]
