"""Opportunities, needs, bids: the pages staff use, and escaping of scraped strings."""

import csv
import io

from sqlmodel import select

from tests.web.conftest import HOSTILE
from tracker.db import session_scope
from tracker.models import Bid, BidEvent, Match, Need


def test_hostile_title_is_text_everywhere(as_role, seeded):
    client = as_role("staff")
    for path in ("/opportunities", f"/opportunities/{seeded['opps']['hostile']}", "/needs/N1", "/bids",
                 f"/bids/{seeded['bid']}"):
        page = client.get(path).text
        assert "<script>alert(1)</script>" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
    page = client.get(f"/opportunities/{seeded['opps']['hostile']}").text
    assert "<b>Evil</b>" not in page and "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in page
    assert "<script>x</script>" not in page


def test_summary_keeps_only_safe_formatting(as_role, seeded):
    page = as_role("viewer").get(f"/opportunities/{seeded['opps']['youth']}").text
    assert "<strong>work</strong>" in page
    assert "alert(2)" not in page.split("Summary")[1].split("Bids")[0] or "<script>alert(2)" not in page
    assert "<script>alert(2)</script>" not in page


def test_security_headers(as_role):
    r = as_role("viewer").get("/opportunities")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert "HX-Request" in r.headers["vary"]


def test_opportunity_filters_sort_and_pages(as_role, seeded):
    client = as_role("viewer")
    page = client.get("/opportunities?status=all").text
    assert "3</strong> opportunities" in page
    page = client.get("/opportunities?status=closed").text
    assert "Closed call" in page and "Youth Diversion Fund" not in page
    page = client.get("/opportunities?q=diversion").text
    assert "Youth Diversion Fund" in page and "Closed call" not in page
    page = client.get("/opportunities?theme=vawg").text
    assert "1</strong> opportunity" in page and "&lt;script&gt;" in page
    page = client.get("/opportunities?area=Peterborough").text  # England covers Peterborough
    assert "2</strong> opportunities" in page
    page = client.get("/opportunities?area=Cambridge").text
    assert "1</strong> opportunity" in page and "Youth Diversion Fund" in page
    # an area takes in every place inside it: the Peterborough call is in Cambridgeshire and the police area
    for area in ("Cambridgeshire", "Cambs", "Cambridgeshire+Constabulary+area", "East+of+England"):
        page = client.get(f"/opportunities?area={area}").text
        assert "2</strong> opportunities" in page, area
    page = client.get("/opportunities?area=Thames+Valley").text
    assert "1</strong> opportunity" in page and "Youth Diversion Fund" in page
    page = client.get("/opportunities?funder=Home+Office&sort=title&status=all").text
    assert page.index("Closed call") < page.index("Youth Diversion Fund")
    page = client.get("/opportunities?min_amount=10000").text
    assert "1</strong> opportunity" in page
    page = client.get("/opportunities?need=N1").text
    assert "2</strong> opportunities" in page
    page = client.get("/opportunities?per_page=1&page=2&sort=deadline&status=all").text
    assert "Page 2 of 3" in page and 'rel="prev"' in page and 'rel="next"' in page
    bad = client.get("/opportunities?page=abc&deadline_from=notadate&min_amount=lots&sort=;drop")
    assert bad.status_code == 200


def test_opportunity_detail_shows_everything(as_role, seeded):
    page = as_role("staff").get(f"/opportunities/{seeded['opps']['youth']}").text
    for text in ("Youth Diversion Fund", "Home Office", "£5,000 to £50,000", "https://funder.example/youth",
                 "trust-site", "2027-03-01", "2027-03-14", "Theme: youth", "Youth diversion", "Mark applied"):
        assert text in page, text
    assert as_role("viewer").get("/opportunities/99999").status_code == 404


def test_viewer_sees_no_action_buttons(as_role, seeded):
    page = as_role("viewer").get(f"/opportunities/{seeded['opps']['youth']}").text
    assert "Mark applied" not in page and "Not relevant" not in page


def test_mark_applied_from_opportunity_creates_bid_with_history(as_role, seeded, engine):
    client = as_role("staff")
    opp = seeded["opps"]["youth"]
    r = client.post_form(f"/opportunities/{opp}/bid", {"status": "applied", "need_id": "N1"})
    assert r.status_code == 303
    r = client.post_form(f"/opportunities/{opp}/bid", {"status": "interested", "need_id": "N1"})
    with session_scope(engine) as s:
        bids = s.exec(select(Bid).where(Bid.opportunity_id == opp)).all()
        assert [b.status for b in bids] == ["applied"]  # interested again does not move it back
        events = s.exec(select(BidEvent).where(BidEvent.bid_id == bids[0].id)).all()
        assert [(e.from_status, e.to_status) for e in events] == [(None, "applied")]
        assert events[0].user_id == seeded["users"]["staff"]


def test_bid_board_status_changes_and_history(as_role, seeded, engine):
    client = as_role("staff")
    bid = seeded["bid"]
    for status in ("preparing", "applied", "awarded"):
        form = {"status": status, "back": "/bids", "confirmed": "yes"}
        assert client.post_form(f"/bids/{bid}/status", form).status_code == 303
    r = client.post_form(f"/bids/{bid}/status", {"status": "interested"})
    assert r.status_code == 400 and "cannot become interested" in r.text
    client.post_form(f"/bids/{bid}", {"amount_requested": "20,000", "amount_awarded": "15000", "notes": "yes",
                                      "owner_id": str(seeded["users"]["admin"])})
    page = client.get(f"/bids/{bid}").text
    for text in ("interested → preparing", "preparing → applied", "applied → awarded", "£20,000", "£15,000",
                 "amount requested: - → 20000", "<td data-label=\"Who\">Staff</td>", "<dd>Admin</dd>"):
        assert text in page, text
    board = client.get("/bids").text
    assert 'id="awarded"' in board and "Awarded (1)" in board
    rows = list(csv.DictReader(io.StringIO(client.get("/bids.csv").content.decode("utf-8-sig"))))
    assert rows[0]["status"] == "awarded" and rows[0]["amount_awarded"] == "15000"
    assert rows[0]["title"] == HOSTILE  # CSV holds the raw text; it is data, not markup


def test_dismiss_sticks_and_interested_restores(as_role, seeded, engine):
    from tracker import clock
    from tracker.matches import run_matching

    client = as_role("staff")
    match_id = seeded["matches"]["youth"]
    form = {"back": "/needs/N1", "choice": "no_bid:too_small"}
    assert client.post_form(f"/matches/{match_id}/dismiss", form).status_code == 303
    with session_scope(engine) as s:
        run_matching(s, clock.today())  # a re-score must not bring it back
    with session_scope(engine) as s:
        assert s.get(Match, match_id).dismissed and s.get(Match, match_id).dismissed_by == "sam@council.example"
    page = client.get("/needs/N1").text
    assert "Dismissed as not relevant" in page
    client.post_form(f"/matches/{match_id}/interested")
    with session_scope(engine) as s:
        assert not s.get(Match, match_id).dismissed
        assert s.exec(select(Bid).where(Bid.opportunity_id == seeded["opps"]["youth"])).one().status == "interested"


def test_need_create_edit_archive(as_role, engine):
    client = as_role("staff")
    form = {"id": "cctv", "title": "CCTV upgrade", "description": "Cameras <b>now</b>", "keywords": "cctv, cameras",
            "themes": ["situational_prevention", "crime_prevention"], "area": "Peterborough",
            "applicant": "local_authority", "partners": ["police"], "amount_min": "£10,000", "amount_max": "50000",
            "prep_days": "30", "owner": "Sam"}
    r = client.post_form("/needs", form)
    assert r.status_code == 303 and r.headers["location"] == "/needs/cctv"
    with session_scope(engine) as s:
        need = s.get(Need, "cctv")
        assert need.keywords == ["cctv", "cameras"] and need.amount_min == 10000 and need.partners == ["police"]
    assert "Cameras &lt;b&gt;now&lt;/b&gt;" in client.get("/needs/cctv").text
    r = client.post_form("/needs", form)
    assert r.status_code == 422 and "already exists" in r.text
    r = client.post_form("/needs/cctv", {**form, "themes": ["not_a_theme"]})
    assert r.status_code == 422 and "unknown theme" in r.text
    r = client.post_form("/needs/cctv", {**form, "amount_min": "9", "amount_max": "1"})
    assert r.status_code == 422 and "above amount_max" in r.text
    r = client.post_form("/needs/cctv", {**form, "title": "CCTV renewal"})
    assert r.status_code == 303
    client.post_form("/needs/cctv/archive")
    with session_scope(engine) as s:
        need = s.get(Need, "cctv")
        assert need.title == "CCTV renewal" and not need.active
    assert 'href="/needs/cctv"' not in client.get("/needs").text
    assert 'href="/needs/cctv"' in client.get("/needs?archived=true").text


def test_dashboard(as_role, seeded):
    page = as_role("admin").get("/").text
    assert "New matches this week" in page and "Youth Diversion Fund" in page
    assert "Closing in the next 14 days" in page and "Unhealthy sources" in page
    assert "Unhealthy sources" not in as_role("viewer").get("/").text


def test_opportunities_csv_follows_filters(as_role, seeded):
    text = as_role("viewer").get("/opportunities.csv?funder=Home+Office&status=all").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["title"] for r in rows} == {"Youth Diversion Fund", "Closed call"}
    assert rows[0]["source"] in ("trust-site", "")


def test_error_pages_leak_nothing(app, as_role, monkeypatch):
    from fastapi.testclient import TestClient

    import tracker.web.dashboard as dashboard

    def boom(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("secret internal detail")

    client = as_role("viewer")
    monkeypatch.setattr(dashboard, "render", boom)
    quiet = TestClient(app, raise_server_exceptions=False)
    quiet.cookies = client.cookies
    r = quiet.get("/")
    assert r.status_code == 500 and "Something went wrong" in r.text
    assert "secret internal detail" not in r.text and "Traceback" not in r.text
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "Page not found" in r.text


def test_scraped_links_are_only_http(as_role, seeded, engine):
    from tracker.models import Opportunity

    with session_scope(engine) as s:
        s.get(Opportunity, seeded["opps"]["hostile"]).url = "javascript:alert(1)"
    page = as_role("viewer").get(f"/opportunities/{seeded['opps']['hostile']}").text
    assert 'href="javascript:' not in page and 'href="#"' in page
