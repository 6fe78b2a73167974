"""Team work on a call: assign with signed one-click email answers, comments with
@mentions that email the person, following a call (its changes come in the digest)."""

import email
import re
from datetime import UTC, datetime, timedelta
from email import policy

from sqlmodel import select

from tests.web.conftest import HOSTILE
from tracker.db import session_scope
from tracker.digest.build import build_digest
from tracker.models import Assignment, Comment, Follow, OpportunityRevision, User


def _mail(settings, to: str) -> list:  # noqa: ANN001
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(settings.outbox_dir.glob(f"{to}-*.eml"))]


def test_assign_emails_signed_one_click_answers(as_role, seeded, engine, settings):
    admin = as_role("admin")
    opp = seeded["opps"]["hostile"]
    r = admin.post_form(f"/opportunities/{opp}/assign", {"assignee_id": str(seeded["users"]["staff"]),
                                                          "need_id": "N1", "note": "worth a look?"})
    assert r.status_code == 303 and r.headers["location"] == f"/opportunities/{opp}#team"
    [msg] = _mail(settings, "sam@council.example")
    assert msg["Subject"] == f"Please review: {HOSTILE}"
    html = msg.get_body(("html",)).get_content()
    assert "&lt;script&gt;" in html and HOSTILE not in html
    text = msg.get_body(("plain",)).get_content()
    look = re.search(r"I'll look:\s+\S+(/actions/\S+)", text).group(1)
    anon = as_role(None)  # from the email: a GET only asks
    page = anon.get(look)
    assert page.status_code == 200 and "Tell the team you&#39;ll look at this call?" in page.text
    with session_scope(engine) as s:
        row = s.exec(select(Assignment).where(Assignment.opportunity_id == opp)).one()
        assert row.status == "asked" and row.note == "worth a look?"
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = anon.post(look, data={"csrf_token": csrf})
    assert done.status_code == 200 and "will look at it" in done.text
    assert anon.post(look, data={"csrf_token": csrf}).status_code == 409  # once
    call = admin.get(f"/opportunities/{opp}").text
    assert "looking at it" in call[call.index('id="assignments"'):]


def test_the_assignee_answers_on_the_page_and_nobody_else_can(as_role, seeded, engine):
    assignment = seeded["assignment"]
    assert as_role("admin").post_form(f"/assignments/{assignment}/answer", {"action": "look"}).status_code == 403
    staff = as_role("staff")
    page = staff.get(f"/opportunities/{seeded['opps']['youth']}").text
    assert f'action="/assignments/{assignment}/answer"' in page
    assert staff.post_form(f"/assignments/{assignment}/answer", {"action": "maybe"}).status_code == 422
    assert staff.post_form(f"/assignments/{assignment}/answer", {"action": "decline"}).status_code == 303
    with session_scope(engine) as s:
        row = s.get(Assignment, assignment)
        assert row.status == "declined" and row.answered_at is not None


def test_only_staff_can_be_asked(as_role, seeded, settings):
    admin = as_role("admin")
    opp = seeded["opps"]["youth"]
    for who in (str(seeded["users"]["viewer"]), "", "999999", "not a number"):
        assert admin.post_form(f"/opportunities/{opp}/assign", {"assignee_id": who}).status_code == 422, who
    assert not list(settings.outbox_dir.glob("*.eml"))  # nobody was emailed


def test_comments_with_mentions_email_the_people_named(as_role, seeded, engine, settings):
    staff = as_role("staff")
    opp = seeded["opps"]["youth"]
    body = f"@ada and @val@council.example: budget first? {HOSTILE} (not @nobody, not me @sam)"
    r = staff.post_form(f"/opportunities/{opp}/comments", {"body": body})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/opportunities/{opp}#comment-")
    with session_scope(engine) as s:
        comment = s.exec(select(Comment)).one()
        ids = {u.email: u.id for u in s.exec(select(User))}
        assert sorted(comment.mentioned) == sorted([ids["ada@council.example"], ids["val@council.example"]])
    [to_ada] = _mail(settings, "ada@council.example")
    assert len(_mail(settings, "val@council.example")) == 1 and not _mail(settings, "sam@council.example")
    assert to_ada["Subject"] == "Staff mentioned you: Youth Diversion Fund"
    assert "&lt;script&gt;" in to_ada.get_body(("html",)).get_content()
    page = as_role("viewer").get(f"/opportunities/{opp}").text
    assert HOSTILE not in page and "budget first? &lt;script&gt;" in page
    assert 'id="comment-body"' not in page  # viewers read comments but do not write them
    assert staff.post_form(f"/opportunities/{opp}/comments", {"body": "   "}).status_code == 422


def test_followers_get_the_calls_changes_in_their_digest(as_role, seeded, engine):
    viewer = as_role("viewer")
    closed = seeded["opps"]["closed"]  # matches no need and has no bid: only a follower hears of it
    assert viewer.post_form(f"/opportunities/{closed}/follow", {"follow": "true"}).status_code == 303
    assert "Stop following" in viewer.get(f"/opportunities/{closed}").text
    with session_scope(engine) as s:
        s.add(OpportunityRevision(opportunity_id=closed, seen_at=datetime.now(UTC),
                                  changes={"amount_max": [5000, 9000]}))

    def changed_titles(email_address: str) -> list[str]:
        with session_scope(engine) as s:
            user = s.exec(select(User).where(User.email == email_address)).one()
            content = build_digest(s, user, now=datetime.now(UTC) + timedelta(minutes=1), timezone="Europe/London",
                                   base_url="https://t.example", secret="k")
            return [e.title for e in content.changed]

    assert "Closed call" in changed_titles("val@council.example")
    assert "Closed call" not in changed_titles("sam@council.example")
    viewer.post_form(f"/opportunities/{closed}/follow", {"follow": "false"})
    with session_scope(engine) as s:
        assert s.exec(select(Follow)).all() == []
    assert "Closed call" not in changed_titles("val@council.example")


def test_a_comment_on_a_bid_shows_on_the_bid_and_the_call(as_role, seeded, engine, settings):
    staff = as_role("staff")
    opp, bid = seeded["opps"]["hostile"], seeded["bid"]
    r = staff.post_form(f"/opportunities/{opp}/comments", {"body": "@ada draft attached", "bid_id": str(bid)})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/bids/{bid}#comment-")
    assert "@ada draft attached" in staff.get(f"/bids/{bid}").text
    call = staff.get(f"/opportunities/{opp}").text
    assert "@ada draft attached" in call and f'on <a href="/bids/{bid}">the bid</a>' in call
    assert len(_mail(settings, "ada@council.example")) == 1
    other = seeded["opps"]["youth"]  # the bid is not on this call
    assert staff.post_form(f"/opportunities/{other}/comments", {"body": "x", "bid_id": str(bid)}).status_code == 422


def test_a_team_email_that_cannot_be_sent_is_kept_and_sent_once_by_the_retry_job(as_role, seeded, engine, settings):
    """The mail server is down while Ada assigns a call: the assignment stands, the email waits,
    and the scheduler's retry sends it exactly once when the server is back."""
    from jobs import tasks
    from tracker.models import TeamMail

    outbox = settings.outbox_dir
    outbox.parent.mkdir(parents=True, exist_ok=True)
    outbox.write_text("a file where the outbox folder should be: every send fails")
    admin = as_role("admin")
    opp = seeded["opps"]["youth"]
    r = admin.post_form(f"/opportunities/{opp}/assign", {"assignee_id": str(seeded["users"]["staff"])})
    assert r.status_code == 303
    assert "could not be sent yet and will be retried" in admin.get(r.headers["location"]).text
    with session_scope(engine) as s:
        mail = s.exec(select(TeamMail)).one()
        assert (mail.status, mail.kind, mail.recipient) == ("failed", "assignment", "sam@council.example")
        latest = s.exec(select(Assignment).order_by(Assignment.id.desc())).first()
        assert (latest.opportunity_id, latest.status) == (opp, "asked")
    outbox.unlink()
    tasks.configure(settings, engine)
    assert tasks.team_mail_retry(trigger="test") == "1 team email(s) sent"
    assert tasks.team_mail_retry(trigger="test") == "no team email waiting"  # sent once, not again
    [msg] = _mail(settings, "sam@council.example")
    assert msg["Message-ID"] == mail.message_id
    with session_scope(engine) as s:
        assert s.exec(select(TeamMail)).one().status == "sent"
