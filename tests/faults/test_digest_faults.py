"""Digest delivery under faults: the real `tracker digest send` / `digest retry` commands
against a real SMTP server (aiosmtpd) on loopback that answers 4xx, 5xx per recipient or for
everyone, drops the connection at DATA, or has the sender killed with SIGKILL at a point
picked from a printed seed. Each recipient must end with exactly one digest (one
Message-ID at the server).

The ledger is at-least-once for the one message in flight at a crash (tracker.digest.send):
a kill after the server took the message but before the sender recorded it leaves the row
`sending`; after the lease it is resent with the same Message-ID, so that recipient sees
one duplicate of the same message and nobody else sees any. Set TRACKER_FAULT_SEED to
replay a run."""

from __future__ import annotations

import os
import random
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update
from sqlmodel import col, select

from tests.digest.conftest import Collector
from tracker.db import session_scope
from tracker.digest.format import period_for
from tracker.models import Digest, Match, Need, Opportunity, User, utcnow

TRACKER = str(Path(sys.executable).with_name("tracker"))
PEOPLE = [f"r{i}@council.example" for i in range(1, 6)]
BASE_SEED = int(os.environ.get("TRACKER_FAULT_SEED") or secrets.randbelow(1_000_000))
RELAY_DENIED = "554 5.7.1 <{address}>: Relay access denied"


class LoopbackSMTP(Controller):
    """aiosmtpd on 127.0.0.1 on a port the kernel picks as it binds, read back after start()."""

    def __init__(self, handler: object) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=0)

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class FaultyServer(Collector):
    """Collector plus one-shot faults by DATA number (`fail_data`: a reply, or "drop") and
    a kill plan: SIGKILL the sender at the k-th MAIL FROM, or at the k-th DATA right after
    storing the message and before answering it (the server has it; the sender never hears)."""

    fail_data: dict[int, str] = field(default_factory=dict)
    kill_at: tuple[str, int] | None = None
    proc: subprocess.Popen | None = None
    mails: int = 0
    datas: int = 0

    def _kill(self) -> None:
        assert self.proc is not None
        self.kill_at = None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)  # dead before this handler answers

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: ANN001, ANN201
        self.mails += 1
        if self.kill_at == ("mail", self.mails):
            self._kill()
        return await super().handle_MAIL(server, session, envelope, address, mail_options)

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        self.datas += 1
        fault = self.fail_data.pop(self.datas, None)
        if fault == "drop":
            server.transport.close()
            return "421 closing"
        if fault:
            return fault
        reply = await super().handle_DATA(server, session, envelope)
        if self.kill_at == ("data", self.datas):
            self._kill()
        return reply


@dataclass
class Run:
    code: int
    out: str


@pytest.fixture
def server():
    handler = FaultyServer()
    controller = LoopbackSMTP(handler)
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


@pytest.fixture
def tracker(tmp_path, db_url, engine, server):
    """Runs the real `tracker` command against this database and SMTP server, with five
    digest recipients who each have one new match."""
    handler, port = server
    config = tmp_path / "config.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                      'from_address = "tracker@council.example"\ntimeout = 10\n'
                      '[digest]\nbase_url = "https://tracker.example"\n', encoding="utf-8")
    env = dict(os.environ, TRACKER_HOME=str(tmp_path / "home"), TRACKER_DATABASE_URL=db_url,
               TRACKER_CONFIG=str(config), TRACKER_SECRET_KEY="fault-test-secret", COLUMNS="250")
    with session_scope(engine) as s:
        s.add(Need(id="N1", title="Youth diversion"))
        opp = Opportunity(url="https://funder.example/youth", title="Youth Diversion Fund", funder="Home Office",
                          deadline=utcnow().date() + timedelta(days=60))
        s.add(opp)
        s.flush()
        s.add(Match(need_id="N1", opportunity_id=opp.id, score=0.9, eligible=True, reasons=["Theme: youth"]))
        s.add_all(User(email=e, role="staff") for e in PEOPLE)

    def run(*args: str) -> Run:
        proc = subprocess.Popen([TRACKER, "digest", *args], env=env, cwd=tmp_path, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        handler.proc = proc
        out, _ = proc.communicate(timeout=180)
        return Run(proc.returncode, out)

    return run


def ledger(engine) -> dict[str, Digest]:
    with session_scope(engine) as s:
        return {d.recipient: d for d in s.exec(select(Digest))}


def lease_runs_out(engine) -> None:
    """What 15 minutes without the crashed sender would do: its claim becomes stale."""
    with session_scope(engine) as s:
        s.exec(update(Digest).where(col(Digest.status) == "sending")  # type: ignore[call-overload]
               .values(claimed_at=utcnow() - timedelta(hours=1)))


def assert_one_message_id_each(engine, handler: FaultyServer, why: str) -> dict[str, list[str]]:
    got, rows = handler.message_ids(), ledger(engine)
    assert sorted(got) == PEOPLE, why
    for person in PEOPLE:
        assert set(got[person]) == {rows[person].message_id}, f"{why}: {person} got {got[person]}"
        assert rows[person].status == "sent", f"{why}: {person} is {rows[person].status}"
    return got


@pytest.mark.parametrize("round_", range(2))
@pytest.mark.parametrize("command", ["send", "retry"])
def test_kill_9_at_a_seeded_point_then_rerun_gives_one_message_each(engine, tracker, server, command, round_):
    handler, _port = server
    seed = BASE_SEED * 10 + round_ * 2 + (command == "retry")
    rng = random.Random(seed)
    todo = PEOPLE
    if command == "retry":  # first some digests fail for good, then the mailboxes appear
        todo = sorted(rng.sample(PEOPLE, 3))
        handler.refuse = {p: f"550 5.1.1 <{p}>: no such user" for p in todo}
        assert tracker("send").code == 1
        assert {p for p, d in ledger(engine).items() if d.status == "failed"} == set(todo)
        handler.refuse = {}
    phase, k = rng.choice(["mail", "data"]), rng.randint(1, len(todo))
    why = f"seed {seed} (TRACKER_FAULT_SEED={BASE_SEED}): digest {command} killed at {phase} of message {k}"
    print(why)
    before = len(handler.messages)
    handler.mails, handler.datas, handler.kill_at = 0, 0, (phase, k)
    killed = tracker(command)
    assert killed.code == -signal.SIGKILL, f"{why}: {killed.out}"
    in_flight = [p for p, d in ledger(engine).items() if d.status == "sending"]
    assert in_flight == [todo[k - 1]], why

    again = tracker(command)  # within the lease the in-flight one is left to its (dead) owner
    assert again.code == 0 and "being sent by another run" in again.out, f"{why}: {again.out}"
    lease_runs_out(engine)
    last = tracker(command)
    assert last.code == 0 and f"{todo[k - 1]}: sent" in last.out, f"{why}: {last.out}"
    assert tracker("retry").code == 0 and tracker("send").code == 0  # nothing left: no new copy
    got = assert_one_message_id_each(engine, handler, why)
    sent_in_this_phase = {p: len(ids) for p, ids in got.items()}
    # at-least-once for the message in flight: killed after the server stored it → one duplicate
    duplicate = todo[k - 1] if phase == "data" else None
    assert sent_in_this_phase == {p: 2 if p == duplicate else 1 for p in PEOPLE}, why
    assert len(handler.messages) - before == len(todo) + (duplicate is not None), why


@pytest.mark.parametrize(("fault", "tries"), [("rcpt", 2), ("mail", 1), ("data", 2)])
def test_server_refusing_everyone_then_fixed_sends_each_digest_once(engine, tracker, server, fault, tries):
    handler, _port = server
    if fault == "rcpt":
        handler.refuse_all = RELAY_DENIED
    elif fault == "mail":
        handler.mail_reply = "553 5.7.1 Sender address rejected: not owned by user"
    else:
        handler.reject_after, handler.reply = 0, "554 5.7.1 Message refused: relaying not allowed"
    first = tracker("send")
    assert first.code == 1 and "Stopped early" in first.out and "0 failed" in first.out, first.out
    assert handler.mails == tries  # stopped at once, not burning through five recipients
    rows = ledger(engine)
    assert {d.status for d in rows.values()} == {"pending"} and len(rows) == tries
    status = tracker("status")
    week = period_for(utcnow(), "Europe/London")
    assert f"tracker digest retry --week {week}" in status.out, status.out

    handler.refuse_all, handler.mail_reply, handler.reject_after = None, None, None  # relay fixed
    fixed = tracker("send")
    assert fixed.code == 0 and "5 sent" in fixed.out, fixed.out
    assert {p: d.message_id for p, d in ledger(engine).items() if p in rows} == {
        p: d.message_id for p, d in rows.items()}  # the Message-IDs recorded before the refusal
    assert "0 sent" in tracker("retry").out
    got = assert_one_message_id_each(engine, handler, fault)
    assert {p: len(ids) for p, ids in got.items()} == dict.fromkeys(PEOPLE, 1)
    assert "not delivered" not in tracker("status").out


def test_one_refused_recipient_is_failed_and_retry_sends_it_once(engine, tracker, server):
    handler, _port = server
    handler.refuse = {PEOPLE[1]: f"550 5.1.1 <{PEOPLE[1]}>: Recipient address rejected: User unknown"}
    first = tracker("send")
    assert first.code == 1 and "4 sent, 1 failed" in first.out, first.out
    status = tracker("status").out
    assert "failed" in status and "User unknown" in status and "tracker digest retry --week" in status
    again = tracker("send")
    assert "failed permanently earlier this period" in again.out and "0 sent" in again.out
    handler.refuse = {}  # the mailbox was created
    retry = tracker("retry", "--recipient", PEOPLE[1])
    assert retry.code == 0 and f"{PEOPLE[1]}: sent" in retry.out, retry.out
    assert "0 sent" in tracker("retry").out and "0 sent" in tracker("retry", "--recipient", PEOPLE[1]).out
    got = assert_one_message_id_each(engine, handler, "per-recipient 5xx")
    assert {p: len(ids) for p, ids in got.items()} == dict.fromkeys(PEOPLE, 1)
    assert ledger(engine)[PEOPLE[1]].attempts == 2


@pytest.mark.parametrize("fault", ["451 4.3.0 Temporary local problem", "drop"])
def test_transient_fault_at_data_is_retried_and_sends_each_digest_once(engine, tracker, server, fault):
    handler, _port = server
    handler.fail_data = {2: fault}  # the second message: 4xx, or the connection dropped at DATA
    done = tracker("send")
    assert done.code == 0 and "5 sent" in done.out, done.out
    got = assert_one_message_id_each(engine, handler, fault)
    assert {p: len(ids) for p, ids in got.items()} == dict.fromkeys(PEOPLE, 1)
    assert ledger(engine)[PEOPLE[1]].attempts == 1  # retried within the one claim


def test_retry_rejects_a_malformed_week_in_one_line(tracker):
    done = tracker("retry", "--week", "48")
    assert done.code == 2 and done.out.strip() == "error: --week '48': expected an ISO week such as 2026-W48"
