"""The decision record: bid / no bid per call and need with a reason, who and when; shown on
the call and in lists; dismissing a match asks for a reason; the record as CSV."""

import csv
import io

from sqlmodel import select

from tests.web.conftest import HOSTILE
from tracker.db import session_scope
from tracker.models import Decision, Match


def _decisions(engine) -> list[Decision]:  # noqa: ANN001
    with session_scope(engine) as s:
        rows = s.exec(select(Decision).order_by(Decision.id)).all()
        for r in rows:
            s.expunge(r)
        return rows


def test_staff_record_a_bid_decision_shown_on_the_call_and_in_lists(as_role, seeded, engine):
    client = as_role("staff")
    opp = seeded["opps"]["youth"]
    form = client.get(f"/opportunities/{opp}/decide").text
    assert 'value="bid:strong_fit"' in form and 'value="no_bid:too_tight"' in form
    r = client.post_form(f"/opportunities/{opp}/decisions",
                         {"need_id": "N1", "choice": "bid:council_priority", "note": "fits the plan"})
    assert r.status_code == 303 and r.headers["location"] == f"/opportunities/{opp}#decisions"
    [row] = _decisions(engine)
    assert (row.need_id, row.decision, row.reason, row.note) == ("N1", "bid", "council_priority", "fits the plan")
    page = as_role("viewer").get(f"/opportunities/{opp}").text
    listed = page[page.index('id="decision-list"'):]
    assert "A council priority" in listed and "fits the plan" in listed and "Staff" in listed
    assert "Decided: bid" in as_role("viewer").get("/opportunities").text
    assert "Decided: bid" in as_role("viewer").get("/needs/N1").text


def test_a_later_decision_replaces_the_earlier_one_which_stays_in_the_history(as_role, seeded, engine):
    client = as_role("staff")
    opp = seeded["opps"]["youth"]
    client.post_form(f"/opportunities/{opp}/decisions", {"need_id": "N1", "choice": "bid:strong_fit"})
    client.post_form(f"/opportunities/{opp}/decisions",
                     {"need_id": "N1", "choice": "no_bid:no_capacity", "note": "team on leave"})
    page = client.get(f"/opportunities/{opp}").text
    current = page[page.index('id="decision-list"'):page.index("Earlier decisions")]
    assert "No capacity to write the bid" in current and "Strong fit" not in current
    assert "Strong fit with the need" in page[page.index("Earlier decisions"):]
    with session_scope(engine) as s:  # no bid for a matched need dismisses the match
        assert s.get(Match, seeded["matches"]["youth"]).dismissed


def test_a_decision_needs_a_listed_reason_and_other_needs_a_note(as_role, seeded, engine):
    client = as_role("staff")
    opp = seeded["opps"]["youth"]
    for data, message in (({"choice": ""}, "Choose bid or no bid"),
                          ({"choice": "bid:too_tight"}, "Choose a reason from the list"),
                          ({"choice": "no_bid:other", "note": "  "}, "Say why in the note"),
                          ({"choice": "bid:strong_fit", "need_id": "nope"}, "Choose a need from the list")):
        r = client.post_form(f"/opportunities/{opp}/decisions", data)
        assert r.status_code == 422 and message in r.text, data
    r = client.post_form(f"/opportunities/{opp}/decisions", {"choice": "no_bid:other", "note": HOSTILE})
    assert r.status_code == 303
    assert [d.need_id for d in _decisions(engine)] == [None]
    page = client.get(f"/opportunities/{opp}").text
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_dismissing_a_match_asks_for_the_reason(as_role, seeded, engine):
    client = as_role("staff")
    match = seeded["matches"]["youth"]
    need_page = client.get("/needs/N1").text
    assert f'href="/matches/{match}/dismiss?back=/needs/N1"' in need_page.replace("%2F", "/")
    r = client.post_form(f"/matches/{match}/dismiss", {"back": "/needs/N1"})  # no reason: asked, nothing changes
    assert r.status_code == 303 and r.headers["location"].startswith(f"/matches/{match}/dismiss")
    form = client.get(r.headers["location"]).text
    assert "Why is this not for us?" in form and "bid:strong_fit" not in form and "no_bid:too_small" in form
    with session_scope(engine) as s:
        assert not s.get(Match, match).dismissed
    r = client.post_form(f"/matches/{match}/dismiss", {"choice": "bid:strong_fit"})
    assert r.status_code == 422
    r = client.post_form(f"/matches/{match}/dismiss", {"choice": "no_bid:other"})
    assert r.status_code == 422 and "Say why" in r.text
    r = client.post_form(f"/matches/{match}/dismiss", {"choice": "no_bid:not_eligible", "back": "/needs/N1"})
    assert r.status_code == 303 and r.headers["location"] == "/needs/N1"
    [row] = _decisions(engine)
    assert (row.decision, row.reason, row.need_id) == ("no_bid", "not_eligible", "N1")
    page = client.get("/needs/N1").text
    assert "dismissed by sam@council.example: We are not eligible" in page


def test_viewers_cannot_open_the_decision_forms(as_role, seeded):
    viewer = as_role("viewer")
    assert viewer.get(f"/opportunities/{seeded['opps']['youth']}/decide").status_code == 403
    assert viewer.get(f"/matches/{seeded['matches']['youth']}/dismiss").status_code == 403
    assert "Record a decision" not in viewer.get(f"/opportunities/{seeded['opps']['youth']}").text


def test_the_decision_record_as_csv_neutralises_formulas(as_role, seeded):
    staff = as_role("staff")
    staff.post_form(f"/opportunities/{seeded['opps']['hostile']}/decisions",
                    {"need_id": "N1", "choice": "no_bid:other", "note": "=HYPERLINK(\"http://x\")"})
    r = as_role("viewer").get("/decisions.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(r.text)))
    assert row["note"] == "'=HYPERLINK(\"http://x\")" and row["title"] == HOSTILE
    assert (row["decision"], row["reason_text"], row["decided_by"], row["need_title"]) == (
        "no_bid", "Other (say why)", "sam@council.example", "Youth diversion")
    assert as_role(None).get("/decisions.csv", follow_redirects=False).status_code == 303
