"""Web replicas: two `tracker serve` processes on one database, each with its own data folder
(two machines behind a proxy) and the shared TRACKER_SECRET_KEY. A sign-in on one is honoured by
the other (signed session cookie; sign-out ends it on both: the session epoch is in the
database), a form's CSRF token from one is accepted by the other, failed sign-ins count on both
together, and a one-click link used on one is refused on the other."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from tests.loopback import served_url, start, stop
from tests.web.conftest import PASSWORD
from tracker.digest.tokens import sign_action
from tracker.models import Match, Need, Opportunity, User
from tracker.users import hash_password

TRACKER = str(Path(sys.executable).with_name("tracker"))
SECRET = "one secret for every replica"
EMAIL = "lead@council.example"


@pytest.fixture
def replicas(tmp_path: Path, db_url: str, engine) -> Iterator[list[str]]:  # noqa: ANN001
    procs = []
    try:
        for name in ("a", "b"):
            env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
            env.update(TRACKER_HOME=str(tmp_path / name), TRACKER_DATABASE_URL=db_url, TRACKER_SECRET_KEY=SECRET,
                       COLUMNS="200")
            procs.append(start([TRACKER, "serve", "--port", "0", "--workers", "1"], env))
        yield [served_url(out) for _, out in procs]
    finally:
        for proc, _ in procs:
            stop(proc)


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:2000]
    return found.group(1)


def _seed(engine) -> int:  # noqa: ANN001
    with Session(engine) as s:
        user = User(email=EMAIL, name="Team lead", role="staff", password_hash=hash_password(PASSWORD))
        s.add_all([user, Need(id="N1", title="Youth diversion", themes=["youth"])])
        opp = Opportunity(url="https://funder.example/youth", title="Youth Fund", themes=["youth"])
        s.add(opp)
        s.flush()
        match = Match(need_id="N1", opportunity_id=opp.id, score=0.9, rank=1, eligible=True, reasons=["youth"])
        s.add(match)
        s.commit()
        return sign_action(SECRET, user.id, "match", match.id, "interested")


def test_a_sign_in_on_one_replica_is_honoured_by_the_other(engine, replicas) -> None:  # noqa: ANN001
    _seed(engine)
    a, b = replicas
    with httpx.Client(timeout=30) as browser:
        assert browser.get(f"{b}/bids", follow_redirects=False).status_code == 303  # not signed in yet
        signed_in = browser.post(f"{a}/login", data={"email": EMAIL, "password": PASSWORD,
                                                     "csrf_token": _csrf(browser.get(f"{a}/login"))})
        assert signed_in.status_code == 303, signed_in.text[:500]
        page = browser.get(f"{b}/bids", follow_redirects=False)
        assert page.status_code == 200 and "Sign out" in page.text, page.text[:500]
        # a form served by one replica is accepted by the other (the CSRF token is in the signed session)
        out = browser.post(f"{a}/logout", data={"csrf_token": _csrf(browser.get(f"{b}/bids"))},
                           follow_redirects=False)
        assert out.status_code == 303
    # a copy of the signed-in cookie kept from before the sign-out no longer works on either
    with httpx.Client(timeout=30) as other:
        other.post(f"{b}/login", data={"email": EMAIL, "password": PASSWORD,
                                       "csrf_token": _csrf(other.get(f"{b}/login"))})
        kept = dict(other.cookies)
        other.post(f"{b}/logout", data={"csrf_token": _csrf(other.get(f"{b}/bids"))})
    with httpx.Client(timeout=30, cookies=kept) as thief:
        assert thief.get(f"{a}/bids", follow_redirects=False).status_code == 303


def test_failed_sign_ins_count_on_every_replica(engine, replicas) -> None:  # noqa: ANN001
    _seed(engine)
    statuses = []
    with httpx.Client(timeout=30) as browser:
        for n in range(6):  # the default is 5 failures per account from one address
            url = replicas[n % 2]
            r = browser.post(f"{url}/login", data={"email": EMAIL, "password": "wrong password",
                                                   "csrf_token": _csrf(browser.get(f"{url}/login"))})
            statuses.append(r.status_code)
    assert statuses == [401] * 5 + [429]


def test_a_one_click_link_used_on_one_replica_is_refused_on_the_other(engine, replicas) -> None:  # noqa: ANN001
    token = _seed(engine)
    a, b = replicas
    with httpx.Client(timeout=30) as browser:
        page = browser.get(f"{a}/actions/{token}")
        assert page.status_code == 200, page.text[:1000]
        done = browser.post(f"{a}/actions/{token}", data={"csrf_token": _csrf(page)})
        assert done.status_code == 200 and "The bid is now interested" in done.text, done.text[:1000]
    with httpx.Client(timeout=30) as browser:
        again = browser.get(f"{b}/actions/{token}")
        assert again.status_code == 409 and "already been used" in again.text
        csrf = _csrf(browser.get(f"{b}/login"))
        replay = browser.post(f"{b}/actions/{token}", data={"csrf_token": csrf})
        assert replay.status_code == 409 and "Nothing was changed" in replay.text
