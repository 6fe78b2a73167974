"""What the pages say: current calls first, the team's bid wherever a call is listed,
confirmation before final changes, names instead of ids, one date and number format,
day/month/year date boxes. Confirmation pages and refused requests change nothing."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from tests.web.conftest import TODAY, db_rows
from tracker import format as fmt
from tracker.db import session_scope
from tracker.models import Bid, Match, Opportunity, User


def _titles(page: str) -> list[str]:
    return re.findall(r'<a href="/opportunities/\d+">([^<]+)</a>', page)


def test_default_list_is_open_and_upcoming_soonest_first(as_role, seeded):
    client = as_role("viewer")
    page = client.get("/opportunities").text
    assert "Closed call" not in page and "2</strong> opportunities" in page
    assert _titles(page)[0] == "Youth Diversion Fund"  # closes in 10 days, before the one in 40
    assert '<option selected value="current">Open and upcoming</option>' in page
    assert "Closed call" in client.get("/opportunities?status=closed").text
    page = client.get("/opportunities?status=all").text
    assert "3</strong> opportunities" in page
    assert "status=all" in page.split('rel="next"')[0] or "Page 1 of 1" in page


def test_bid_status_is_shown_wherever_a_call_is_listed(as_role, seeded):
    client = as_role("viewer")
    bid_link = f'href="/bids/{seeded["bid"]}">Bid: interested</a>'
    for path in ("/opportunities", "/needs/N1", f"/opportunities/{seeded['opps']['hostile']}"):
        assert bid_link in client.get(path).text, path
    assert "Bid:" not in client.get(f"/opportunities/{seeded['opps']['youth']}").text.split("Matches")[1]


def test_match_with_a_bid_shows_the_bid_not_interested(as_role, seeded):
    client = as_role("staff")
    page = client.get("/needs/N1").text
    assert f"/matches/{seeded['matches']['hostile']}/interested" not in page
    assert f'href="/bids/{seeded["bid"]}">Bid: interested</a>' in page
    assert f"/matches/{seeded['matches']['youth']}/interested" in page  # no bid yet: the button stays


def test_interested_on_a_call_already_applied_for_says_nothing_changed(as_role, seeded, engine):
    client = as_role("staff")
    client.post_form(f"/bids/{seeded['bid']}/status", {"status": "applied"})
    r = client.post_form(f"/matches/{seeded['matches']['hostile']}/interested", {"back": "/needs/N1"})
    page = client.get(r.headers["location"]).text
    assert "This call already has a bid: it is applied. Nothing changed." in page
    with session_scope(engine) as s:
        assert s.get(Bid, seeded["bid"]).status == "applied"


def test_final_bid_changes_ask_first_and_asking_changes_nothing(as_role, seeded, engine):
    client = as_role("staff")
    bid = seeded["bid"]
    before = db_rows(engine)
    r = client.post_form(f"/bids/{bid}/status", {"status": "withdrawn", "back": "/bids"})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/bids/{bid}/confirm?status=withdrawn")
    page = client.get(r.headers["location"]).text
    assert "Mark this bid withdrawn?" in page and "Yes, mark it withdrawn" in page
    assert 'name="confirmed" value="yes"' in page
    assert db_rows(engine) == before
    assert as_role("viewer").get(r.headers["location"]).status_code == 403
    r = client.post_form(f"/bids/{bid}/status", {"status": "withdrawn", "back": "/bids", "confirmed": "yes"})
    assert r.status_code == 303 and r.headers["location"] == "/bids"
    with session_scope(engine) as s:
        assert s.get(Bid, bid).status == "withdrawn"


def test_status_menu_starts_on_choose_and_an_empty_choice_changes_nothing(as_role, seeded, engine):
    client = as_role("staff")
    page = client.get(f"/bids/{seeded['bid']}").text
    assert '<option value="" selected>Choose a status</option>' in page
    before = db_rows(engine)
    r = client.post_form(f"/bids/{seeded['bid']}/status", {"status": ""})
    assert r.status_code == 422 and "Choose the bid&#39;s new status" in r.text
    assert db_rows(engine) == before


def test_bids_board_shows_need_titles_and_names(as_role, seeded, engine):
    client = as_role("viewer")
    board = client.get("/bids").text
    assert "Need: Youth diversion" in board and "Need: N1" not in board
    assert "Owner: Staff" in board and "sam@council.example</p>" not in board
    with session_scope(engine) as s:
        s.exec(select(User).where(User.email == "sam@council.example")).one().name = ""
    assert "Owner: sam</p>" in client.get("/bids").text  # no name: the email's local part


def test_theme_names_scores_and_dates_read_as_words(as_role, seeded, engine):
    with session_scope(engine) as s:
        s.get(Opportunity, seeded["opps"]["youth"]).themes = ["drugs_alcohol", "youth"]
        s.get(Match, seeded["matches"]["youth"]).score = 78.1
    client = as_role("viewer")
    page = client.get("/opportunities").text
    assert "Drugs and alcohol" in page and "drugs alcohol" not in page
    assert "Violence against women and girls" in page  # vawg
    assert fmt.long_date(TODAY + timedelta(days=10)) in page
    need = client.get("/needs/N1").text
    assert "score 78<" in need and "78.10" not in need


def test_date_boxes_are_checked_on_the_server(as_role, seeded):
    client = as_role("viewer")
    page = client.get("/opportunities?deadline_from-day=31&deadline_from-month=2&deadline_from-year=2027").text
    assert "Deadline from must be a real date" in page and 'value="31"' in page
    page = client.get("/opportunities?deadline_to-day=3&deadline_to-year=2027").text
    assert "Deadline to must include a month" in page
    last = TODAY.replace(day=1) if TODAY.day > 1 else TODAY
    end = TODAY + timedelta(days=20)
    page = client.get(f"/opportunities?deadline_from-day={last.day}&deadline_from-month={last.month}"
                      f"&deadline_from-year={last.year}&deadline_to-day={end.day}&deadline_to-month={end.month}"
                      f"&deadline_to-year={end.year}").text
    assert "There is a problem" not in page
    assert _titles(page) == ["Youth Diversion Fund"]
    assert 'type="date"' not in page
