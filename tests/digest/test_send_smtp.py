"""Sending through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.digest.conftest import ADA, BASE_URL, FAST, NOW, SAM, SECRET, VAL, make_settings
from tests.loopback import refused_port
from tracker.db import session_scope
from tracker.digest import SendOptions, digest_status, send_digests
from tracker.digest.tokens import verify_action
from tracker.digest.transports import SmtpTransport
from tracker.models import Digest, DigestItem, Match, Opportunity

ALL = [ADA, SAM, VAL]


def send(engine, settings, **kw):
    kw.setdefault("options", FAST)
    kw.setdefault("secret", SECRET)
    kw.setdefault("now", NOW)
    return send_digests(engine, settings, **kw)


def rows(engine) -> dict[str, Digest]:
    with session_scope(engine) as s:
        return {d.recipient: d for d in s.exec(select(Digest))}


def items(engine, recipient) -> set[int]:
    with session_scope(engine) as s:
        return set(s.exec(select(DigestItem.match_id).where(DigestItem.recipient == recipient)))


def test_sends_one_parsed_message_per_recipient_with_working_links(engine, seeded, settings, smtp_server):
    report = send(engine, settings)
    got = smtp_server.handler
    assert report.sent == 3 and report.ok and report.transport == "smtp"
    assert sorted(r for _f, rcpts in got.envelopes for r in rcpts) == ALL
    for msg in got.messages:
        assert msg.get_content_type() == "multipart/alternative"
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        assert "New matches" in html and "NEW MATCHES" in text
        assert f"{BASE_URL}/opportunities/" in text
    ada = got.to(ADA)[0]
    text = ada.get_body(("plain",)).get_content()
    tokens = [line.rsplit("/actions/", 1)[1].strip() for line in text.splitlines() if "/actions/" in line]
    assert tokens
    for token in tokens:
        verified = verify_action(SECRET, token)
        assert verified.action in ("interested", "not_relevant", "applied")
    ledger = rows(engine)
    assert {r.status for r in ledger.values()} == {"sent"}
    assert ada["Message-ID"] == ledger[ADA].message_id
    assert items(engine, ADA) == set(ledger[ADA].match_ids) and len(ledger[ADA].match_ids) == 5


def test_second_run_in_the_same_week_sends_nothing(engine, seeded, settings, smtp_server):
    send(engine, settings)
    report = send(engine, settings, now=NOW + timedelta(hours=3))
    assert report.sent == 0 and report.skipped == 3
    assert len(smtp_server.handler.messages) == 3


def test_matches_already_sent_are_not_sent_again(engine, seeded, settings, smtp_server):
    send(engine, settings)
    first = set(rows(engine)[SAM].match_ids)
    with session_scope(engine) as s:  # a new call and match appear during the week
        o = Opportunity(url="https://funder.example/new", title="Brand new youth fund", funder="Trust")
        s.add(o)
        s.flush()
        s.add(Match(need_id="N1", opportunity_id=o.id, score=0.6, eligible=True, reasons=["new"]))
    send(engine, settings, now=NOW + timedelta(days=7))
    second = rows(engine)[SAM]
    assert second.period == "2026-W50"
    assert len(second.match_ids) == 1 and not set(second.match_ids) & first
    last = smtp_server.handler.to(SAM)[-1].get_body(("plain",)).get_content()
    assert "Brand new youth fund" in last and "Youth Diversion Fund\n" not in last


def test_empty_digest_is_not_sent_unless_configured(engine, seeded, tmp_path, smtp_server):
    later = NOW + timedelta(days=400)  # nothing new, nothing closing
    with session_scope(engine) as s:  # and no admin alerts
        from tracker.models import Source

        for src in s.exec(select(Source)):
            src.healthy = True
            s.add(src)
    settings = make_settings(tmp_path, smtp_server.port)
    report = send(engine, settings, now=later)
    assert report.skipped_empty == 3 and report.sent == 0 and smtp_server.handler.messages == []
    assert rows(engine) == {}
    settings = make_settings(tmp_path, smtp_server.port, send_empty=True)
    report = send(engine, settings, now=later)
    assert report.sent == 3
    assert "Nothing new this week" in smtp_server.handler.messages[0].get_body(("plain",)).get_content()


@pytest.mark.parametrize("reply", ["421 4.3.0 Try again later", "432 4.3.2 Too many connections", "drop"])
def test_interrupted_batch_then_rerun_gives_everyone_exactly_one_copy(engine, seeded, settings,
                                                                     smtp_server, reply):
    handler = smtp_server.handler
    handler.reject_after, handler.reply = 1, reply
    report = send(engine, settings)
    assert report.sent == 1 and report.deferred == 2 and not report.ok
    ledger = rows(engine)
    assert sorted(r.status for r in ledger.values()) == ["pending", "pending", "sent"]
    pending = [r for r in ledger.values() if r.status == "pending"]
    assert all(r.attempts == 1 and r.error for r in pending)
    handler.reject_after = None
    report = send(engine, settings, now=NOW + timedelta(hours=1))
    assert report.sent == 2 and report.skipped == 1
    for address in ALL:
        assert len(handler.to(address)) == 1, address
    # the resent digests kept the Message-ID recorded before the first attempt
    after = rows(engine)
    assert {r.recipient: r.message_id for r in pending} == {
        r.recipient: after[r.recipient].message_id for r in pending}
    assert {m["Message-ID"] for m in handler.messages} == {r.message_id for r in after.values()}


def test_permanent_failure_is_recorded_with_the_reply(engine, seeded, settings, smtp_server):
    smtp_server.handler.refuse[SAM] = "550 5.1.1 <sam@council.example>: mailbox unavailable"
    report = send(engine, settings)
    assert report.failed == 1 and report.sent == 2
    sam = rows(engine)[SAM]
    assert sam.status == "failed" and sam.attempts == 1
    assert "550 5.1.1" in sam.error and "mailbox unavailable" in sam.error
    assert items(engine, SAM) == set()
    status = {d["recipient"]: d for d in digest_status(engine)}
    assert status[SAM]["status"] == "failed" and "550" in status[SAM]["error"]
    assert any("FAILED" in line and SAM in line for line in report.lines)
    # not retried blindly in the same period
    assert send(engine, settings).skipped == 3 and len(smtp_server.handler.messages) == 2


def test_crash_mid_send_is_resent_once_after_the_lease(engine, seeded, settings, smtp_server):
    class Crash(BaseException):
        pass

    class CrashingTransport(SmtpTransport):
        def send(self, msg, recipient):
            if recipient == SAM:
                raise Crash  # the process dies here: row stays "sending"
            return super().send(msg, recipient)

    crashing = CrashingTransport.from_settings(settings.smtp)
    with pytest.raises(Crash):
        send(engine, settings, transport=crashing)
    assert {k: v.status for k, v in rows(engine).items()} == {ADA: "sent", SAM: "sending"}
    # a run within the lease leaves the in-flight digest alone (another sender may own it)
    report = send(engine, settings)
    assert report.sent == 1 and SAM not in {r for _f, rc in smtp_server.handler.envelopes for r in rc}
    report = send(engine, settings, options=SendOptions(attempts=1, lease=timedelta(0)))
    assert report.sent == 1
    for address in ALL:
        assert len(smtp_server.handler.to(address)) == 1
    assert rows(engine)[SAM].attempts == 2


def test_two_senders_at_once_never_both_send(engine, seeded, settings, smtp_server):
    reports = []
    start = threading.Barrier(2)

    def run():
        start.wait()
        reports.append(send(engine, settings))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(r.sent for r in reports) == 3
    for address in ALL:
        assert len(smtp_server.handler.to(address)) == 1


def test_unreachable_server_stops_the_batch_and_loses_nothing(engine, seeded, tmp_path):
    with refused_port() as port:  # nothing listens there
        settings = make_settings(tmp_path, port)
        report = send(engine, settings)
    assert report.aborted and "cannot connect" in report.aborted
    assert report.sent == 0 and report.deferred == 1
    assert [r.status for r in rows(engine).values()] == ["pending"]


def test_dry_run_records_and_sends_nothing(engine, seeded, settings, smtp_server):
    report = send(engine, settings, dry_run=True)
    assert report.dry_run and report.sent == 3
    assert smtp_server.handler.messages == [] and rows(engine) == {}
    assert all("would send" in line for line in report.lines)


def test_capped_matches_left_out_are_sent_next_time(engine, seeded, settings, smtp_server):
    send(engine, settings, options=SendOptions(attempts=1, max_per_need=1))
    assert items(engine, ADA) == {seeded["matches"]["youth"], seeded["matches"]["da"]}
    send(engine, settings, now=NOW + timedelta(days=7), options=SendOptions(attempts=1, max_per_need=1))
    assert seeded["matches"]["streets"] in items(engine, ADA)


def test_a_server_refusing_everyone_stops_the_batch_early(engine, seeded, settings, smtp_server):
    smtp_server.handler.reject_after, smtp_server.handler.reply = 0, "451 4.3.0 Temporary failure"
    report = send(engine, settings, options=SendOptions(attempts=2, backoff=0.01, give_up_after=2))
    assert report.deferred == 2 and "2 recipients in a row" in report.aborted
    assert sorted(rows(engine)) == [ADA, SAM]  # val untouched: no row, picked up next run


def test_status_lists_recent_digests(engine, seeded, settings, smtp_server):
    send(engine, settings)
    status = digest_status(engine)
    assert len(status) == 3
    assert set(status[0]) >= {"recipient", "period", "status", "attempts", "matches", "error", "sent_at",
                              "message_id", "subject", "transport"}
    assert {s["status"] for s in status} == {"sent"} and {s["transport"] for s in status} == {"smtp"}
