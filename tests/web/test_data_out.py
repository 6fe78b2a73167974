"""ICS calendar at a secret URL, the JSON API with bearer tokens, the API docs."""

import re

from icalendar import Calendar

from tests.web.conftest import api_token
from tracker.db import session_scope
from tracker.models import Opportunity
from tracker.workdays import subtract_working_days


def seeded_deadline(engine, opp_id: int):  # noqa: ANN001, ANN201
    with session_scope(engine) as s:
        return s.get(Opportunity, opp_id).deadline


def test_calendar_feed_lists_matched_and_bid_deadlines(as_role, seeded, engine):
    with session_scope(engine) as s:
        s.get(Opportunity, seeded["opps"]["youth"]).deadline_time = "17:00"
    client = as_role(None)
    r = client.get(f"/calendar/{seeded['calendar']['viewer']}.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Deadline: Youth Diversion Fund (Home Office)",
                           "Deadline: <script>alert(1)</script> (<b>Evil</b> & Co)",
                           "Start bid: Youth Diversion Fund (for Youth diversion)",
                           "Start bid: <script>alert(1)</script> (for Youth diversion)"}
    start = events["Start bid: Youth Diversion Fund (for Youth diversion)"]
    deadline = seeded_deadline(engine, seeded["opps"]["youth"])
    # N1's 21 preparation days and the default 15 sign-off days, in working days
    assert start["dtstart"].dt == subtract_working_days(deadline, 36)
    assert "21 working days to prepare and 15 for sign-off" in str(start["description"])
    timed = events["Deadline: Youth Diversion Fund (Home Office)"]["dtend"].dt
    assert timed.hour == 17 and str(timed.tzinfo) == "Europe/London"
    assert client.get("/calendar/not-a-real-token-at-all.ics").status_code == 404


def test_calendar_address_can_be_renewed(as_role, seeded):
    client = as_role("viewer")
    old = seeded["calendar"]["viewer"]
    assert old in client.get("/account").text
    client.post_form("/account/calendar")
    assert client.get(f"/calendar/{old}.ics").status_code == 404


def test_api_needs_a_bearer_token(as_role, seeded):
    client = as_role("viewer")
    assert client.get("/api/opportunities").status_code == 401  # a session cookie is not enough
    token = api_token(client)
    anon = as_role(None)
    headers = {"Authorization": f"Bearer {token}"}
    r = anon.get("/api/opportunities?status=open&sort=title", headers=headers)
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 2 and body["items"][0]["title"] == "<script>alert(1)</script>"
    detail = anon.get(f"/api/opportunities/{seeded['opps']['youth']}", headers=headers).json()
    assert detail["matches"][0]["need_id"] == "N1" and detail["revisions"][0]["changes"]
    assert anon.get("/api/needs", headers=headers).json()[0]["id"] == "N1"
    assert len(anon.get("/api/needs/N1/matches", headers=headers).json()) == 2
    assert anon.get("/api/bids", headers=headers).json()[0]["status"] == "interested"
    assert anon.get("/api/me", headers=headers).json()["role"] == "viewer"
    r = anon.post(f"/api/bids/{seeded['bid']}/status", json={"status": "preparing"}, headers=headers)
    assert r.status_code == 403  # viewers read only
    assert anon.get("/api/needs", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_api_staff_can_move_a_bid_and_revoked_tokens_stop(as_role, seeded):
    client = as_role("staff")
    token = api_token(client)
    headers = {"Authorization": f"Bearer {token}"}
    r = client.post(f"/api/bids/{seeded['bid']}/status", json={"status": "applied"}, headers=headers)
    assert r.status_code == 200 and r.json()["status"] == "applied"
    r = client.post(f"/api/bids/{seeded['bid']}/status", json={"status": "interested"}, headers=headers)
    assert r.status_code == 409
    token_id = re.search(r'/account/tokens/(\d+)/revoke', client.get("/account").text).group(1)
    client.post_form(f"/account/tokens/{token_id}/revoke")
    assert client.get("/api/me", headers=headers).status_code == 401


def test_cannot_revoke_someone_elses_token(as_role):
    staff = as_role("staff")
    api_token(staff)
    token_id = re.search(r'/account/tokens/(\d+)/revoke', staff.get("/account").text).group(1)
    assert as_role("viewer").post_form(f"/account/tokens/{token_id}/revoke").status_code == 404


def test_openapi_docs_are_local(as_role):
    client = as_role("viewer")
    page = client.get("/docs").text
    assert "GET /api/opportunities" in page and "cdn" not in page.lower()
    schema = client.get("/openapi.json").json()
    assert "/api/opportunities" in schema["paths"] and "/login" not in schema["paths"]


def test_api_docs_need_sign_in_or_a_token(as_role):
    anonymous = as_role(None)
    r = anonymous.get("/docs", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/docs"
    r = anonymous.get("/openapi.json", follow_redirects=False)
    assert r.status_code == 401 and "paths" not in r.text and r.headers["www-authenticate"] == "Bearer"
    token = api_token(as_role("staff"))
    r = anonymous.get("/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and "/api/me" in r.json()["paths"]
    r = anonymous.get("/openapi.json", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


def test_api_gives_each_area_a_stable_key(as_role, seeded):
    token = api_token(as_role("viewer"))
    anon = as_role(None)
    headers = {"Authorization": f"Bearer {token}"}
    items = anon.get("/api/opportunities?sort=title", headers=headers).json()["items"]
    by_title = {i["title"]: i for i in items}
    assert by_title["Youth Diversion Fund"]["areas"] == ["England"]
    assert by_title["Youth Diversion Fund"]["area_codes"] == ["E92000001"]
    assert by_title["Closed call"]["area_codes"] == []
    need = anon.get("/api/needs", headers=headers).json()[0]
    assert (need["area"], need["area_code"]) == ("Peterborough", "E06000031")
