"""Digest preferences and unsubscribing from an email: the signed link works without
signing in; RFC 8058 one-click POST unsubscribes with no session or CSRF token; a GET
(what mail scanners do) only asks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.web.conftest import SAM, db_rows
from tracker.db import session_scope
from tracker.digest.build import build_digest, recipients
from tracker.digest.render import render_message
from tracker.models import Need, User


def user(engine, email: str = SAM) -> User:  # noqa: ANN001
    with session_scope(engine) as s:
        row = s.exec(select(User).where(User.email == email)).one()
        s.expunge(row)
        return row


def digest_message(app, engine, email: str = SAM):  # noqa: ANN001, ANN201
    """The digest `email` would be sent, signed with the app's secret."""
    web = app.state.web
    with session_scope(engine) as s:
        who = s.exec(select(User).where(User.email == email)).one()
        content = build_digest(s, who, now=datetime.now(UTC), timezone="Europe/London",
                               base_url="http://testserver", secret=web.secret)
    return render_message(content, from_address="t@council.example", message_id="<m@council.example>",
                          now=datetime.now(UTC))


def one_click_path(msg) -> str:  # noqa: ANN001
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return msg["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])  # RFC 8058 allows either
def test_one_click_post_from_the_header_unsubscribes_without_session_or_csrf(app, engine, encoding):
    path = one_click_path(digest_message(app, engine))
    mail_client = TestClient(app)  # no cookie, no CSRF token: what Gmail or Outlook sends
    if encoding == "multipart":
        r = mail_client.post(path, files={"List-Unsubscribe": (None, "One-Click")})
        assert "multipart/form-data" in r.request.headers["content-type"]
    else:
        r = mail_client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200 and "You are unsubscribed" in r.text
    assert user(engine).digest is False
    with session_scope(engine) as s:
        assert SAM not in [u.email for u in recipients(s)] and recipients(s)  # the others still get theirs


def test_opening_the_unsubscribe_link_only_asks(app, engine):
    path = one_click_path(digest_message(app, engine))
    before = db_rows(engine)
    r = TestClient(app).get(path)
    assert r.status_code == 200 and "Stop your funding digests?" in r.text
    assert 'name="List-Unsubscribe" value="One-Click"' in r.text
    assert db_rows(engine) == before and user(engine).digest is True


def test_a_post_without_the_one_click_body_or_with_a_forged_token_changes_nothing(app, engine):
    path = one_click_path(digest_message(app, engine))
    before = db_rows(engine)
    client = TestClient(app)
    assert client.post(path, data={"something": "else"}).status_code == 400
    forged = path[:-3] + ("xyz" if not path.endswith("xyz") else "abc")
    r = client.post(forged, data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 400 and "not valid" in r.text
    assert db_rows(engine) == before


def test_the_emailed_preferences_link_sets_frequency_and_needs_without_signing_in(app, engine):
    with session_scope(engine) as s:
        s.add(Need(id="N2", title="Domestic abuse support"))
    text = digest_message(app, engine).get_body(("plain",)).get_content()
    link = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Change how often"))
    path = link.removeprefix("http://testserver")
    client = TestClient(app)
    page = client.get(path)
    assert page.status_code == 200 and "Digest settings" in page.text and 'value="weekly" checked' in page.text
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = client.post(path, data={"csrf_token": csrf, "frequency": "daily", "needs": ["N2"]}, follow_redirects=False)
    assert r.status_code == 303
    sam = user(engine)
    assert (sam.digest, sam.digest_frequency, sam.followed_needs) == (True, "daily", ["N2"])
    # the next digest follows them: daily, and only need N2 (which has no new calls yet)
    with session_scope(engine) as s:
        assert SAM not in [u.email for u in recipients(s, "weekly")]
        assert SAM in [u.email for u in recipients(s, "daily")]
    assert "Youth Diversion Fund" not in digest_message(app, engine).get_body(("plain",)).get_content()
    assert client.post(path, data={"csrf_token": csrf, "frequency": "off"}, follow_redirects=False).status_code == 303
    assert user(engine).digest is False
    assert client.post(path, data={"frequency": "weekly"}).status_code == 403  # the form still needs its token


def test_signed_in_preferences_under_the_account(app, engine, as_role):
    client = as_role("staff")
    assert 'href="/account/digest"' in client.get("/account").text
    page = client.get("/account/digest")
    assert page.status_code == 200 and "Needs in your digest" in page.text
    assert client.post_form("/account/digest", {"frequency": "daily", "needs": ["N1"]}).status_code == 303
    assert (user(engine).digest_frequency, user(engine).followed_needs) == ("daily", ["N1"])
    r = client.post_form("/account/digest", {"frequency": "hourly"})
    assert r.status_code == 422 and "how often must be one of weekly, daily, off" in r.text
    assert as_role(None).get("/account/digest", follow_redirects=False).status_code in (302, 303, 401)
