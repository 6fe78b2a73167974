"""Fixtures for digest tests: a migrated SQLite database with named users, needs, calls,
matches and bids; a real aiosmtpd server on a loopback port it binds itself."""

from __future__ import annotations

import email
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage

import pytest

from tests.loopback import LoopbackSMTP
from tracker.config import DigestSettings, Settings, SmtpSettings
from tracker.db import make_engine, session_scope, upgrade
from tracker.digest.send import SendOptions
from tracker.models import Bid, Match, Need, Opportunity, OpportunityRevision, Source, User

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday, 08:00 in London
TODAY = NOW.date()
SECRET = "test-secret-key"
BASE_URL = "https://tracker.example"
FAST = SendOptions(attempts=3, backoff=0.01, max_delay=0.02)
HOSTILE_TITLES = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
ADA, SAM, VAL = "ada@council.example", "sam@council.example", "val@council.example"


@dataclass
class Collector:
    """An aiosmtpd handler that keeps what it accepts. `reject_after` accepted messages it
    answers `reply` (or drops the connection when reply is "drop"); `refuse` maps a
    recipient to an RCPT reply such as "550 5.1.1 No such user"; `refuse_all` answers every
    RCPT ("{address}" is filled in) and `mail_reply` every MAIL FROM, as a misconfigured
    relay would. `rcpts` lists every RCPT asked for, accepted or not."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    rcpts: list[str] = field(default_factory=list)
    reject_after: int | None = None
    reply: str = "421 4.3.0 Service shutting down"
    refuse: dict[str, str] = field(default_factory=dict)
    refuse_all: str | None = None
    mail_reply: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: ANN001, ANN201
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201
        self.rcpts.append(address)
        if self.refuse_all:
            return self.refuse_all.format(address=address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        with self.lock:
            if self.reject_after is not None and len(self.messages) >= self.reject_after:
                if self.reply == "drop":
                    server.transport.close()
                    return "421 closing"
                return self.reply
            msg = email.message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append(msg)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 Message accepted"

    def message_ids(self) -> dict[str, list[str]]:
        """The Message-ID of every copy accepted, per recipient."""
        out: dict[str, list[str]] = {}
        for msg, (_f, rcpts) in zip(self.messages, self.envelopes, strict=True):
            for r in rcpts:
                out.setdefault(r, []).append(msg["Message-ID"])
        return out

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m, (_f, rcpts) in zip(self.messages, self.envelopes, strict=True) if address in rcpts]


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = LoopbackSMTP(handler)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def engine(db_url):
    """The root conftest's db_url: SQLite in tmp_path, and PostgreSQL too when
    TRACKER_TEST_DATABASE_URL is set."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


def make_settings(tmp_path, port: int | None = None, **digest) -> Settings:
    smtp = SmtpSettings(host="127.0.0.1" if port else "", port=port or 25, security="none",
                        from_address="tracker@council.example", timeout=5)
    return Settings(data_dir=tmp_path / "data", smtp=smtp,
                    digest=DigestSettings(base_url=BASE_URL, **digest))


@pytest.fixture
def settings(tmp_path, smtp_server) -> Settings:
    return make_settings(tmp_path, smtp_server.port)


def opp(title: str, days: int | None, **kw) -> Opportunity:
    kw.setdefault("funder", "Safer Communities Trust")
    kw.setdefault("amount_min", 5000)
    kw.setdefault("amount_max", 50000)
    return Opportunity(url=f"https://funder.example/{abs(hash(title))}", title=title,
                       deadline=TODAY + timedelta(days=days) if days is not None else None, **kw)


@pytest.fixture
def seeded(engine) -> dict:
    """Users ada (admin, all needs), sam (staff, follows N1), val (viewer, all needs);
    una (unsubscribed) and old (inactive) get nothing. Returns ids by name."""
    ids: dict = {}
    with session_scope(engine) as s:
        s.add_all([
            User(email=ADA, name="Ada Admin", role="admin"),
            User(email=SAM, name="Sam Staff", role="staff", followed_needs=["N1"]),
            User(email=VAL, name="Val Viewer", role="viewer"),
            User(email="una@council.example", role="staff", digest=False),
            User(email="old@council.example", role="staff", active=False),
            Need(id="N1", title="Youth diversion"),
            Need(id="N2", title="Domestic abuse support"),
            Need(id="N3", title="Retired need", active=False),
            Source(name="trust-site", kind="html", url="https://funder.example/"),
            Source(name="broken-feed", kind="rss", url="https://broken.example/feed", healthy=False,
                   health_note="0 calls found in the last 3 crawls"),
        ])
        calls = {
            "youth": opp("Youth Diversion Fund", 104, funder="Home Office"),
            "streets": opp("Safer Streets round 6", 10, amount_min=None, amount_max=20000),
            "hostile1": opp(HOSTILE_TITLES[0], 40, funder="<b>Evil</b> & Co",
                            summary="<p>Good <strong>work</strong></p><script>alert(2)</script>"
                                    "<img src=x onerror=alert(3)>"),
            "hostile2": opp(HOSTILE_TITLES[1], 50),
            "dismissed": opp("Dismissed call", 30),
            "ineligible": opp("Ineligible call", 30),
            "da": opp("Domestic Abuse Safe Accommodation", 60, funder="MHCLG"),
            "retired": opp("Call for retired need", 60),
            "closed": opp("Closed call", -3, status="closed"),
            "bidcall": opp("Community Safety Partnership Grant", 7),
        }
        s.add_all(calls.values())
        s.flush()
        matches = {
            "youth": Match(need_id="N1", opportunity_id=calls["youth"].id, score=0.9, eligible=True,
                           reasons=["Theme: youth diversion", "Area: Peterborough is covered"]),
            "streets": Match(need_id="N1", opportunity_id=calls["streets"].id, score=0.7, eligible=True,
                             reasons=["Keyword: anti-social behaviour"]),
            "hostile1": Match(need_id="N1", opportunity_id=calls["hostile1"].id, score=0.5, eligible=True,
                              reasons=["<i>reason</i> from <script>x</script>"]),
            "hostile2": Match(need_id="N2", opportunity_id=calls["hostile2"].id, score=0.4, eligible=True),
            "dismissed": Match(need_id="N1", opportunity_id=calls["dismissed"].id, score=0.95,
                               eligible=True, dismissed=True),
            "ineligible": Match(need_id="N1", opportunity_id=calls["ineligible"].id, score=0.8),
            "da": Match(need_id="N2", opportunity_id=calls["da"].id, score=0.8, eligible=True,
                        reasons=["Theme: domestic abuse"]),
            "retired": Match(need_id="N3", opportunity_id=calls["retired"].id, score=0.9, eligible=True),
            "closed": Match(need_id="N1", opportunity_id=calls["closed"].id, score=0.9, eligible=True),
        }
        s.add_all(matches.values())
        s.add(OpportunityRevision(opportunity_id=calls["youth"].id, seen_at=NOW - timedelta(days=2),
                                  changes={"deadline": ["2027-03-01", "2027-03-14"],
                                           "amount_max": [40000, 50000]}))
        s.add(Bid(opportunity_id=calls["bidcall"].id, status="preparing"))
        s.add(Bid(opportunity_id=calls["da"].id, status="applied"))
        s.flush()
        ids["calls"] = {k: v.id for k, v in calls.items()}
        ids["matches"] = {k: v.id for k, v in matches.items()}
    return ids
