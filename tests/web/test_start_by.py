"""Start-by dates on the call and need pages: working days back from the deadline for the
need's preparation and the sign-off lead time; a passed start-by is flagged tight, not hidden."""

import re
from datetime import timedelta

from tests.web.conftest import TODAY
from tracker.db import session_scope
from tracker.format import long_date
from tracker.models import Need, Opportunity
from tracker.workdays import subtract_working_days


def _section(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start:start + 1500]


def test_call_page_gives_the_start_by_date_per_need(as_role, seeded, engine):
    with session_scope(engine) as s:
        s.get(Need, "N1").prep_days = 5
        s.get(Opportunity, seeded["opps"]["youth"]).deadline = TODAY + timedelta(days=90)
    page = as_role("viewer").get(f"/opportunities/{seeded['opps']['youth']}").text
    listed = _section(page, 'id="start-by"')
    expected = subtract_working_days(TODAY + timedelta(days=90), 5 + 15)
    assert long_date(expected) in listed and "Youth diversion" in listed
    assert "5 working days to prepare and 15 for sign-off" in listed and "tight" not in listed


def test_a_call_past_its_start_by_date_is_flagged_tight_and_still_listed(as_role, seeded):
    client = as_role("staff")
    page = client.get(f"/opportunities/{seeded['opps']['youth']}").text  # 10 days left, 21 + 15 needed
    assert re.search(r'<span class="tag tag-red">tight</span> \d+ \w+ \d{4} for', _section(page, 'id="start-by"'))
    need_page = client.get("/needs/N1").text
    ranked = need_page[need_page.index('id="ranked"'):]
    assert "Youth Diversion Fund" in ranked and "tight" in ranked
    assert "21 working days, then 15 for sign-off" in need_page


def test_a_call_without_a_deadline_has_no_start_by(as_role, seeded, engine):
    with session_scope(engine) as s:
        s.get(Opportunity, seeded["opps"]["youth"]).deadline = None
        s.get(Opportunity, seeded["opps"]["youth"]).rolling = True
    page = as_role("viewer").get(f"/opportunities/{seeded['opps']['youth']}").text
    assert 'id="start-by"' not in page


def test_the_sign_off_lead_time_comes_from_the_config(settings, engine, seeded, crawler):
    from tests.web.conftest import login
    from tracker.web import create_app

    settings.planning.signoff_working_days = 0
    with session_scope(engine) as s:
        s.get(Opportunity, seeded["opps"]["youth"]).deadline = TODAY + timedelta(days=90)
    page = login(create_app(settings), "val@council.example").get(f"/opportunities/{seeded['opps']['youth']}").text
    expected = subtract_working_days(TODAY + timedelta(days=90), 21)
    assert long_date(expected) in _section(page, 'id="start-by"')
