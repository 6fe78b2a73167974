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


def test_dashboard_shows_the_bid_on_listed_calls(as_role, seeded):
    page = as_role("viewer").get("/").text
    assert f'href="/bids/{seeded["bid"]}">Bid: interested</a>' in page


def test_source_can_be_changed_and_paused(as_role, seeded, engine):
    client = as_role("admin")
    source = seeded["source"]
    page = client.get(f"/sources/{source}/edit").text
    assert 'value="trust-site"' in page and "Save changes" in page
    r = client.post_form(f"/sources/{source}", {"name": "Fen Valley PCC", "kind": "html",
                                                "url": "https://funder.example/grants", "schedule": "0 8 * * 1"})
    assert r.status_code == 303
    page = client.get(f"/sources/{source}").text
    assert "Fen Valley PCC" in page and "every Monday at 08:00" in page
    r = client.post_form(f"/sources/{source}", {"name": "Fen Valley PCC", "kind": "html", "url": "ftp://x"})
    assert r.status_code == 422 and "There is a problem" in r.text
    form = {"name": "Fen Valley PCC", "kind": "html", "url": "https://funder.example/grants"}
    client.post_form(f"/sources/{source}", {**form, "frequency": "daily", "time": "05:45"})
    assert "every day at 05:45" in client.get(f"/sources/{source}").text
    assert '<option selected value="daily">' in client.get(f"/sources/{source}/edit").text
    r = client.post_form(f"/sources/{source}", {**form, "frequency": "weekly", "day": "friday", "time": "noon"})
    assert r.status_code == 422 and "Schedule: Time: noon is not a time of day" in r.text
    client.post_form(f"/sources/{source}/enabled", {})
    assert "Resume crawling" in client.get(f"/sources/{source}").text


def test_removing_a_source_asks_first_and_keeps_its_calls(as_role, seeded, engine):
    from tracker.models import Source

    client = as_role("admin")
    source = seeded["source"]
    before = db_rows(engine)
    page = client.get(f"/sources/{source}/remove").text
    assert "Remove the source trust-site?" in page
    assert "The 1 call it found stay in the tracker, with their matches, bids and history" in page
    assert db_rows(engine) == before
    r = client.post_form(f"/sources/{source}/remove")
    assert r.status_code == 303
    assert "Its 1 call stay in the tracker." in client.get("/sources").text
    with session_scope(engine) as s:
        assert s.get(Source, source) is None
        youth = s.get(Opportunity, seeded["opps"]["youth"])
        assert youth.source_id is None and youth.title == "Youth Diversion Fund"
    assert "Youth Diversion Fund" in client.get("/opportunities").text


def test_a_source_from_the_config_file_cannot_be_changed_on_the_web(as_role, seeded, engine):
    from tracker.models import Source

    with session_scope(engine) as s:
        s.get(Source, seeded["source"]).origin = "config"
    client = as_role("admin")
    before = db_rows(engine)
    r = client.post_form(f"/sources/{seeded['source']}/remove")
    assert r.status_code == 409 and "declared in the config file" in r.text
    assert db_rows(engine) == before
    assert "change or remove it there" in client.get(f"/sources/{seeded['source']}").text


def test_switching_a_user_off_asks_first(as_role, seeded, engine):
    client = as_role("admin")
    val = seeded["users"]["viewer"]
    before = db_rows(engine)
    r = client.post_form(f"/users/{val}", {"role": "viewer", "name": "Val", "active": "false"})
    assert r.status_code == 303 and r.headers["location"] == f"/users/{val}/disable"
    page = client.get(r.headers["location"]).text
    assert "Switch off val@council.example?" in page and "Yes, switch this account off" in page
    assert db_rows(engine) == before
    assert client.post_form(f"/users/{val}/active", {"active": "false"}).status_code == 303
    with session_scope(engine) as s:
        assert not s.get(User, val).active
    assert "switched off" in client.get(f"/users/{val}").text


def test_people_set_their_own_name(as_role, seeded):
    client = as_role("staff")
    client.post_form("/account/name", {"name": "  Sam   Patel "})
    assert "Your name is now shown as Sam Patel." in client.get("/account").text
    assert "Owner: Sam Patel" in client.get("/bids").text


def test_schedules_are_in_words_with_a_simple_form(as_role, seeded, engine):
    from tracker.models import JobControl

    client = as_role("admin")
    page = client.get("/schedules").text
    assert "every day at 06:00" in page  # the default crawl
    assert "every Monday at 08:00" in page  # the weekly digest
    r = client.post_form("/schedules/crawl:trust-site", {"frequency": "weekly", "day": "wednesday",
                                                         "time": "07:30"})
    assert r.status_code == 303
    with session_scope(engine) as s:
        assert s.get(JobControl, "crawl:trust-site").schedule == "30 7 * * wed"
    page = client.get("/schedules").text
    assert "every Wednesday at 07:30" in page
    before = db_rows(engine)
    r = client.post_form("/schedules/crawl:trust-site", {"frequency": "daily", "time": "25:00"})
    assert r.status_code == 422 and "Time: 25:00 is not a time of day like 06:00 or 17:30" in r.text
    assert db_rows(engine) == before
