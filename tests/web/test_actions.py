"""One-click digest links: GET confirms, POST acts once; tampered/expired → a clear page."""

from datetime import timedelta

import time_machine
from sqlmodel import select

from tracker.db import session_scope
from tracker.digest.tokens import sign_action
from tracker.models import Bid, Decision, Match


def _link(app, user_id, kind, item, action):  # noqa: ANN001, ANN202
    return "/actions/" + sign_action(app.state.web.secret, user_id, kind, item, action)


def _confirm(client, path):  # noqa: ANN001, ANN202
    import re

    page = client.get(path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return page, token.group(1) if token else ""


def test_get_only_confirms_and_post_acts_once(app, as_role, seeded, engine):
    client = as_role(None)  # from an email: no session needed
    path = _link(app, seeded["users"]["staff"], "match", seeded["matches"]["youth"], "not_relevant")
    page, csrf = _confirm(client, path)
    assert page.status_code == 200 and "Dismiss as not relevant?" in page.text and "Youth Diversion Fund" in page.text
    with session_scope(engine) as s:
        assert not s.get(Match, seeded["matches"]["youth"]).dismissed  # a scanner's GET changes nothing
    r = client.post(path, data={"csrf_token": csrf})
    assert r.status_code == 200 and "Dismissed as not relevant" in r.text
    with session_scope(engine) as s:
        assert s.get(Match, seeded["matches"]["youth"]).dismissed
        decision = s.exec(select(Decision)).one()  # the link names its reason: recorded as a no-bid decision
        assert (decision.decision, decision.reason, decision.need_id) == ("no_bid", "not_relevant", "N1")
        assert decision.user_id == seeded["users"]["staff"]
    r = client.post(path, data={"csrf_token": csrf})
    assert r.status_code == 409 and "already been used" in r.text
    assert client.get(path).status_code == 409


def test_interested_and_applied_create_or_advance_a_bid(app, as_role, seeded, engine):
    client = as_role(None)
    staff = seeded["users"]["staff"]
    for action in ("interested", "applied"):
        path = _link(app, staff, "match", seeded["matches"]["youth"], action)
        _, csrf = _confirm(client, path)
        assert client.post(path, data={"csrf_token": csrf}).status_code == 200
    path = _link(app, staff, "bid", seeded["bid"], "applied")
    _, csrf = _confirm(client, path)
    assert "now applied" in client.post(path, data={"csrf_token": csrf}).text
    with session_scope(engine) as s:
        bids = {b.opportunity_id: b.status for b in s.exec(select(Bid))}
    assert bids == {seeded["opps"]["youth"]: "applied", seeded["opps"]["hostile"]: "applied"}


def test_tampered_expired_and_viewer_links(app, as_role, seeded):
    client = as_role(None)
    path = _link(app, seeded["users"]["staff"], "match", seeded["matches"]["youth"], "interested")
    tampered = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    r = client.get(tampered)
    assert r.status_code == 400 and "not valid" in r.text
    _, csrf = _confirm(client, "/login")
    assert client.post(tampered, data={"csrf_token": csrf}).status_code == 400
    with time_machine.travel(timedelta(days=15)):
        r = client.get(path)
        assert r.status_code == 400 and "expired" in r.text
    viewer = _link(app, seeded["users"]["viewer"], "match", seeded["matches"]["youth"], "interested")
    assert client.get(viewer).status_code == 403


def test_post_without_csrf_is_refused(app, as_role, seeded, engine):
    client = as_role(None)
    path = _link(app, seeded["users"]["staff"], "match", seeded["matches"]["youth"], "not_relevant")
    client.get(path)
    assert client.post(path, data={}).status_code == 403
    with session_scope(engine) as s:
        assert not s.get(Match, seeded["matches"]["youth"]).dismissed
