"""One short line per call in the digest on the funder's published grants in the need's area
and nationally; nothing added for a funder with no 360Giving data."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from tests.digest.conftest import ADA, BASE_URL, NOW, SECRET
from tests.funders.grants import LEEDS, PETERBOROUGH, grant
from tracker.db import session_scope
from tracker.digest.build import build_digest, recipients
from tracker.digest.render import render_parts
from tracker.funder_links import refresh_links
from tracker.grants.names import name_key
from tracker.models import FundingOrg, Match, Opportunity

HOME_OFFICE = "GB-GOR-PB1"


def _build(engine):  # noqa: ANN001, ANN202
    with session_scope(engine) as s:
        user = next(u for u in recipients(s) if u.email == ADA)
        return build_digest(s, user, now=NOW, timezone="Europe/London", base_url=BASE_URL, secret=SECRET)


def _grants(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as s:
        s.add(FundingOrg(id=HOME_OFFICE, name="Home Office", name_key=name_key("Home Office")))
        s.add_all([grant(f"ho{i}", f"Recipient {i}", f"GB-CHC-{i}", "Youth work", date(2020 + i, 1, 1), amount,
                         funder=HOME_OFFICE, funder_name="Home Office", district=district)
                   for i, (amount, district) in enumerate([(4000, PETERBOROUGH), (9000, PETERBOROUGH),
                                                           (20000, PETERBOROUGH), (50000, LEEDS), (1000, LEEDS)])])
        s.flush()
        refresh_links(s)  # as the match run after an import does
        youth = s.exec(select(Opportunity).where(Opportunity.title == "Youth Diversion Fund")).one()
        match = s.exec(select(Match).where(Match.opportunity_id == youth.id, Match.need_id == "N1")).one()
        match.reasons = [*match.reasons, "this funder made 3 grants in Peterborough, latest 2022, median £9,000"]
        s.add(match)


def test_the_funders_record_is_one_line_per_call(engine, seeded) -> None:
    without = _build(engine)
    _grants(engine)
    content = _build(engine)
    youth = next(c for c in content.cards if c.title == "Youth Diversion Fund")
    assert youth.funder_line == "Funder's record: 3 grants in Peterborough, latest 2022, median £9,000; 5 nationally"
    # the matcher's reason says the same: the card says it once
    assert not any(r.startswith("this funder made") for r in youth.reasons)
    others = [c for c in content.cards if c.funder != "Home Office"]
    assert others and all(c.funder_line == "" for c in others)
    _, text, html = render_parts(content)
    assert youth.funder_line in " ".join(text.split()) and youth.funder_line in html  # text wraps at 78
    # the digest grows by about that one line (the dropped reason gives some back)
    grown = len(html.encode()) - len(render_parts(without)[2].encode())
    assert 0 < grown < 200
