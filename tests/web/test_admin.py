"""Users and digest subscriptions, schedules, digests (admin)."""

from sqlmodel import select

from tests.web.conftest import PASSWORD, finished_run
from tracker.db import session_scope
from tracker.models import JobControl, User


def test_admin_adds_and_edits_users(as_role, seeded, engine):
    client = as_role("admin")
    r = client.post_form("/users", {"email": "New@Council.example", "role": "staff", "password": "long enough pw",
                                    "digest": "true"})
    assert r.status_code == 303
    r = client.post_form("/users", {"email": "new@council.example", "role": "staff", "password": "long enough pw"})
    assert r.status_code == 422 and "already exists" in r.text
    r = client.post_form("/users", {"email": "x@council.example", "role": "boss", "password": "long enough pw"})
    assert r.status_code == 422
    val = seeded["users"]["viewer"]
    r = client.post_form(f"/users/{val}", {"role": "staff", "active": "true", "digest": "true",
                                           "followed_needs": ["N1", "nope"]})
    assert r.status_code == 303
    with session_scope(engine) as s:
        user = s.get(User, val)
        assert user.role == "staff" and user.followed_needs == ["N1"]
        assert s.exec(select(User).where(User.email == "new@council.example")).one().digest


def test_last_admin_cannot_be_demoted(as_role, seeded):
    client = as_role("admin")
    r = client.post_form(f"/users/{seeded['users']['admin']}", {"role": "staff", "active": "true"})
    assert r.status_code == 422 and "last active admin" in r.text


def test_password_reset_signs_the_user_out(as_role, seeded):
    viewer = as_role("viewer")
    as_role("admin").post_form(f"/users/{seeded['users']['viewer']}",
                               {"role": "viewer", "active": "true", "password": "a brand new password"})
    assert viewer.get("/", follow_redirects=False).status_code == 303
    anon = as_role(None)
    r = anon.post("/login", data={"email": "val@council.example", "password": PASSWORD, "csrf_token": anon.csrf})
    assert r.status_code == 401


def test_schedules_pause_and_validated_cron(as_role, engine, settings):
    client = as_role("admin")
    page = client.get("/schedules").text
    assert "digest:weekly" in page and "crawl:trust-site" in page
    r = client.post_form("/schedules/digest:weekly", {"schedule": "61 25 * * *"})
    assert r.status_code == 422 and "There is a problem" in r.text
    r = client.post_form("/schedules/crawl:trust-site", {"paused": "true", "schedule": "0 5 * * 1-5"})
    assert r.status_code == 303
    with session_scope(engine) as s:
        control = s.get(JobControl, "crawl:trust-site")
        assert control.paused and control.schedule == "0 5 * * 1-5"
    assert client.post_form("/schedules/no-such-job", {}).status_code == 404
    assert "No digests yet" in client.get("/digests").text
    assert client.post_form("/schedules/digest:weekly/run").status_code == 303
    # Run now sends the real weekly digest (no SMTP configured: to the outbox folder).
    run = finished_run(engine, "digest:weekly")
    assert (run.outcome, run.trigger) == ("ok", "run-now"), run.detail
    outbox = sorted(p.name for p in settings.outbox_dir.rglob("*.eml"))
    assert outbox, run.detail
    ledger = client.get("/digests").text
    assert "No digests yet" not in ledger and "ada@council.example" in ledger
