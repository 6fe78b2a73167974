"""Web fixtures: the app on a migrated database (SQLite, and PostgreSQL when configured)
with named users and a little data; signed-in TestClients per role. The seeded source is
the demo funder web on loopback, so "Run now" runs the real crawl job."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from jobs.crawl_runner import CrawlOutcome, SourceResult
from tests.loopback import wait_until
from tracker.db import session_scope
from tracker.demo.server import serve_site
from tracker.models import Assignment, Bid, BidEvent, JobRun, Match, Need, Opportunity, OpportunityRevision, Source
from tracker.users import add_user
from tracker.web import create_app

PASSWORD = "correct horse battery"
ADA, SAM, VAL = "ada@council.example", "sam@council.example", "val@council.example"
EMAILS = {"admin": ADA, "staff": SAM, "viewer": VAL}
HOSTILE = "<script>alert(1)</script>"
TODAY = date.today()


@dataclass
class FakeCrawler:
    """Stands in for jobs.crawl_runner.run_crawl in the preview: records calls, returns canned
    calls (a hostile title among them)."""

    calls: list = field(default_factory=list)

    def __call__(self, settings, names, **kw):  # noqa: ANN001, ANN204
        self.calls.append((names, kw))
        found = [{"title": HOSTILE, "url": "https://funder.example/calls/1", "deadline": "2030-01-31",
                  "amount_min": 1000, "amount_max": 5000, "status": "open", "areas": ["England"]}]
        return CrawlOutcome(results=[SourceResult(name="preview", status="ok", pages=2, calls=1)], calls=found)


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with test-sized costs: the same code path, a fraction of the time."""
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    import tracker.users

    monkeypatch.setattr(tracker.users, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


@pytest.fixture(scope="session")
def funder_site() -> Iterator[str]:
    """The bundled demo funder web on 127.0.0.1 (port 0, bound by the server)."""
    with serve_site() as server:
        yield server.url


def finished_run(engine, job_id: str, timeout: float = 120) -> JobRun:  # noqa: ANN001
    """The job's run record once the run has ended."""
    def done() -> JobRun | None:
        with session_scope(engine) as s:
            run = s.exec(select(JobRun).where(JobRun.job_id == job_id)).first()
            if run is not None and run.finished_at is not None:
                s.expunge(run)
                return run
            return None

    return wait_until(done, timeout, f"a finished run of {job_id}")


def db_rows(engine) -> dict[str, list[tuple]]:  # noqa: ANN001
    """Every row of every tracker table, in key order: equal snapshots mean nothing changed."""
    from sqlmodel import SQLModel

    with engine.connect() as conn:
        return {name: [tuple(row) for row in conn.execute(table.select().order_by(*table.primary_key.columns))]
                for name, table in SQLModel.metadata.tables.items()}


def background_jobs() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(("job-", "crawl-"))]


@pytest.fixture
def seeded(engine, funder_site) -> dict:
    """ada (admin), sam (staff), val (viewer); a source; calls incl. a hostile title; need
    N1 with matches; a bid. Returns ids."""
    with session_scope(engine) as s:
        users = {role: add_user(s, email, role, PASSWORD, name=role.title(), digest=True)
                 for role, email in EMAILS.items()}
        source = Source(name="trust-site", kind="html", url=funder_site + "/fenvalley-pcc/funding/index.html")
        need = Need(id="N1", title="Youth diversion", themes=["youth"], keywords=["youth"])
        s.add_all([source, need])
        s.flush()
        opps = {
            "youth": Opportunity(url="https://funder.example/youth", title="Youth Diversion Fund",
                                 funder="Home Office", source_id=source.id, deadline=TODAY + timedelta(days=10),
                                 amount_min=5000, amount_max=50000, themes=["youth"], areas=["England"],
                                 summary="<p>Good <strong>work</strong></p><script>alert(2)</script>"),
            "hostile": Opportunity(url="https://funder.example/x", title=HOSTILE, funder="<b>Evil</b> & Co",
                                   deadline=TODAY + timedelta(days=40), themes=["vawg"], areas=["Peterborough"]),
            "closed": Opportunity(url="https://funder.example/old", title="Closed call", status="closed",
                                  deadline=TODAY - timedelta(days=3), funder="Home Office"),
        }
        s.add_all(opps.values())
        s.flush()
        matches = {
            "youth": Match(need_id="N1", opportunity_id=opps["youth"].id, score=0.9, rank=1, eligible=True,
                           reasons=["Theme: youth", "Area: Peterborough is covered"]),
            "hostile": Match(need_id="N1", opportunity_id=opps["hostile"].id, score=0.5, rank=2, eligible=True,
                             reasons=["<i>reason</i> <script>x</script>"]),
        }
        s.add_all(matches.values())
        s.add(OpportunityRevision(opportunity_id=opps["youth"].id, changes={"deadline": ["2027-03-01", "2027-03-14"]}))
        bid = Bid(opportunity_id=opps["hostile"].id, need_id="N1", status="interested", owner_id=users["staff"].id)
        s.add(bid)
        s.flush()
        s.add(BidEvent(bid_id=bid.id, user_id=users["staff"].id, to_status="interested", note="bid created"))
        assignment = Assignment(opportunity_id=opps["youth"].id, need_id="N1", assignee_id=users["staff"].id,
                                assigned_by_id=users["admin"].id)
        s.add(assignment)
        s.flush()
        return {"assignment": assignment.id, "users": {r: u.id for r, u in users.items()},
                "opps": {k: o.id for k, o in opps.items()},
                "matches": {k: m.id for k, m in matches.items()}, "bid": bid.id, "source": source.id,
                "calendar": {r: u.calendar_token for r, u in users.items()}}


@pytest.fixture
def crawler() -> FakeCrawler:
    return FakeCrawler()


@pytest.fixture
def app(settings, engine, seeded, crawler):  # noqa: ANN201
    application = create_app(settings)
    web = application.state.web
    web.run_crawl = crawler
    yield application
    # A "Run now" runs its job in a thread: it ends here, before the database goes away
    # (this fixture is torn down before `engine`, which it depends on).
    for thread in threading.enumerate():
        if thread.name in background_jobs():
            thread.join(120)
            assert not thread.is_alive(), f"{thread.name} still running after 120 s"


def csrf_of(client: TestClient, path: str = "/login") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Browser(TestClient):
    """A TestClient that remembers the CSRF token of its session."""

    csrf: str = ""

    def post_form(self, path: str, data: dict | None = None, **kw):  # noqa: ANN201
        return self.post(path, data={"csrf_token": self.csrf, **(data or {})}, follow_redirects=False, **kw)


def login(app, email: str | None) -> Browser:  # noqa: ANN001
    client = Browser(app)
    client.csrf = csrf_of(client)
    if email:
        r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": client.csrf},
                        follow_redirects=False)
        assert r.status_code == 303, r.text
        client.csrf = csrf_of(client, "/account")
    return client


def api_token(client: Browser) -> str:
    """A new API token of the signed-in user, as the account page shows it once."""
    client.post_form("/account/tokens", {"name": "script"})
    return re.search(r'id="new-token">([^<]+)<', client.get("/account").text).group(1)


@pytest.fixture
def as_role(app):  # noqa: ANN201
    """as_role("staff") → a signed-in client; as_role(None) → anonymous."""
    return lambda role: login(app, EMAILS[role] if role else None)
