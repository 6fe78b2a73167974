"""Sending through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import re
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
from tracker.models import Digest, DigestItem, Match, Opportunity, User

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
        assert "New for you" in html and "NEW FOR YOU" in text
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


def test_each_digest_carries_only_its_recipients_own_action_links(engine, seeded, settings, smtp_server):
    """A batch renders a card once and reuses it for every digest that shows it: the action
    links in it must still be each recipient's own, the same in both parts, and nobody else's."""
    send(engine, settings)
    with session_scope(engine) as s:
        ids = {u.email: u.id for u in s.exec(select(User))}
    tokens: dict[str, set[str]] = {}
    for msg, (_f, (rcpt,)) in zip(smtp_server.handler.messages, smtp_server.handler.envelopes, strict=True):
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        found = [set(re.findall(r"/actions/([A-Za-z0-9_\-]+)", part)) for part in (text, html)]
        assert found[0] == found[1], rcpt
        assert all(verify_action(SECRET, t).user_id == ids[rcpt] for t in found[0]), rcpt
        tokens[rcpt] = found[0]
    assert tokens[ADA] and tokens[SAM] and not tokens[VAL]  # val is a viewer
    assert not tokens[ADA] & tokens[SAM]
    shared = {"Youth Diversion Fund", "Safer Streets round 6"}  # N1's calls: in both digests
    for rcpt in (ADA, SAM):
        text = smtp_server.handler.to(rcpt)[0].get_body(("plain",)).get_content()
        assert all(title in text for title in shared)


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
    assert "Nothing new:" in smtp_server.handler.messages[0].get_body(("plain",)).get_content()


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


def at_once(run, times: int = 2) -> list:
    """run()'s results from `times` threads released together."""
    results, start = [], threading.Barrier(times)

    def go():
        start.wait()
        results.append(run())

    threads = [threading.Thread(target=go) for _ in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_senders_at_once_never_both_send(engine, seeded, settings, smtp_server):
    reports = at_once(lambda: send(engine, settings))
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


@pytest.mark.parametrize("refusal", [
    "554 5.7.1 <{address}>: Relay access denied",  # Postfix, relaying not allowed for us
    "550 Relay not permitted",  # no enhanced status code at all
])
def test_relay_refusing_every_recipient_stops_the_run_and_loses_no_digest(engine, seeded, settings,
                                                                          smtp_server, refusal):
    handler = smtp_server.handler
    handler.refuse_all = refusal
    report = send(engine, settings)
    assert report.failed == 0 and report.deferred == 2 and "same refusal" in report.aborted
    assert handler.rcpts == [ADA, SAM]  # stopped at the second try, not burning through all three
    assert {r: d.status for r, d in rows(engine).items()} == {ADA: "pending", SAM: "pending"}
    assert "Relay" in rows(engine)[ADA].error
    recorded = {r: d.message_id for r, d in rows(engine).items()}
    handler.refuse_all = None  # the relay settings are fixed
    report = send(engine, settings, now=NOW + timedelta(hours=2))
    assert report.sent == 3 and report.ok
    got = handler.message_ids()
    assert {r: len(ids) for r, ids in got.items()} == dict.fromkeys(ALL, 1)
    assert all(got[r] == [mid] for r, mid in recorded.items())


def test_sender_refused_stops_at_the_first_message(engine, seeded, settings, smtp_server):
    smtp_server.handler.mail_reply = "553 5.7.1 <tracker@council.example>: Sender address rejected: not owned"
    report = send(engine, settings)
    assert report.failed == 0 and report.deferred == 1
    assert "sender tracker@council.example refused: 553" in report.aborted
    assert [d.status for d in rows(engine).values()] == ["pending"]
    smtp_server.handler.mail_reply = None
    assert send(engine, settings).sent == 3
    assert {r: len(ids) for r, ids in smtp_server.handler.message_ids().items()} == dict.fromkeys(ALL, 1)


def test_message_refused_for_everyone_at_data_stops_the_run(engine, seeded, settings, smtp_server):
    handler = smtp_server.handler
    handler.reject_after, handler.reply = 0, "554 5.7.0 Message rejected: unauthenticated relay"
    report = send(engine, settings)
    assert report.failed == 0 and report.deferred == 2 and report.aborted
    assert sorted(d.status for d in rows(engine).values()) == ["pending", "pending"]


def test_a_bare_refusal_counts_against_the_recipient_once_another_is_accepted(engine, seeded, settings,
                                                                              smtp_server):
    smtp_server.handler.refuse[ADA] = "550 Mailbox unavailable"  # first in the run, no enhanced code
    report = send(engine, settings)
    assert report.failed == 1 and report.sent == 2 and not report.aborted
    assert rows(engine)[ADA].status == "failed" and "550 Mailbox unavailable" in rows(engine)[ADA].error


def test_a_lone_bare_refusal_is_kept_pending_not_failed(engine, seeded, settings, smtp_server):
    from tracker.digest import retry_digests

    smtp_server.handler.refuse[SAM] = "550 5.1.1 no such mailbox"
    send(engine, settings)
    smtp_server.handler.refuse_all = "550 Access denied"  # then the relay is misconfigured
    report = retry_digests(engine, settings, NOW, recipient=SAM, options=FAST, secret=SECRET)
    # nothing else went through in this run to show the refusal is sam's own
    assert report.failed == 0 and report.deferred == 1 and not report.ok
    assert any("left pending" in line for line in report.lines)
    assert rows(engine)[SAM].status == "pending" and rows(engine)[SAM].error == "550 Access denied"


def test_two_bad_addresses_refused_alike_do_not_hold_back_the_others(engine, seeded, settings, smtp_server):
    handler = smtp_server.handler
    handler.refuse = {ADA: "550 No such user here", SAM: "550 No such user here"}
    first = send(engine, settings)
    assert first.aborted and VAL not in rows(engine)  # looks like a server refusing everyone
    second = send(engine, settings, now=NOW + timedelta(hours=1))
    # those refused before go last: val is accepted first, which shows the refusals are theirs
    assert handler.rcpts[2:] == [VAL, ADA, SAM]
    assert second.sent == 1 and second.failed == 2 and not second.aborted
    assert {r: d.status for r, d in rows(engine).items()} == {ADA: "failed", SAM: "failed", VAL: "sent"}


def test_retry_resends_failed_digests_once_with_their_message_id(engine, seeded, settings, smtp_server):
    from tracker.digest import retry_digests

    handler = smtp_server.handler
    handler.refuse = {SAM: "550 5.1.1 <sam@council.example>: mailbox unavailable",
                      VAL: "550 5.1.1 <val@council.example>: mailbox unavailable"}
    send(engine, settings)
    failed = rows(engine)
    assert failed[SAM].status == failed[VAL].status == "failed"
    handler.refuse = {}  # the mailboxes were created
    report = retry_digests(engine, settings, NOW + timedelta(hours=1), recipient=SAM, options=FAST, secret=SECRET)
    assert report.sent == 1 and report.ok
    assert handler.message_ids()[SAM] == [failed[SAM].message_id]
    report = retry_digests(engine, settings, NOW + timedelta(hours=2), options=FAST, secret=SECRET)
    assert report.sent == 1 and report.skipped == 2  # val now; ada and sam were delivered
    again = retry_digests(engine, settings, NOW + timedelta(hours=3), options=FAST, secret=SECRET)
    assert again.sent == 0 and again.skipped == 3
    assert handler.message_ids() == {r: [d.message_id] for r, d in rows(engine).items()}
    assert rows(engine)[SAM].attempts == 2 and items(engine, SAM) == set(rows(engine)[SAM].match_ids)


def test_retry_of_an_earlier_week_keeps_its_period_and_message_id(engine, seeded, settings, smtp_server):
    from tracker.digest import retry_digests

    smtp_server.handler.refuse[SAM] = "550 5.1.1 no such mailbox"
    send(engine, settings)
    before = rows(engine)[SAM]
    smtp_server.handler.refuse = {}
    report = retry_digests(engine, settings, NOW + timedelta(days=8), period=before.period, options=FAST,
                           secret=SECRET)
    assert report.sent == 1 and report.period == before.period == "2026-W49"
    msg = smtp_server.handler.to(SAM)[0]
    assert msg["Message-ID"] == before.message_id and msg["X-Tracker-Digest"] == before.period


def test_retry_skips_a_week_superseded_by_a_later_delivered_digest(engine, seeded, settings, smtp_server):
    from tracker.digest import retry_digests

    smtp_server.handler.refuse[SAM] = "550 5.1.1 no such mailbox"
    send(engine, settings)
    smtp_server.handler.refuse = {}
    with session_scope(engine) as s:  # something new, so next week's digest is not empty
        o = Opportunity(url="https://funder.example/next", title="Next week's fund", funder="Trust")
        s.add(o)
        s.flush()
        s.add(Match(need_id="N1", opportunity_id=o.id, score=0.6, eligible=True))
    send(engine, settings, now=NOW + timedelta(days=7))  # next week's digest reaches sam
    report = retry_digests(engine, settings, NOW + timedelta(days=7), period="2026-W49", options=FAST,
                           secret=SECRET)
    assert report.sent == 0 and any("superseded by the digest of 2026-W50" in line for line in report.lines)


def test_two_retries_at_once_send_one_copy(engine, seeded, settings, smtp_server):
    from tracker.digest import retry_digests

    smtp_server.handler.refuse[SAM] = "550 5.1.1 no such mailbox"
    send(engine, settings)
    smtp_server.handler.refuse = {}
    reports = at_once(lambda: retry_digests(engine, settings, NOW, options=FAST, secret=SECRET))
    assert sum(r.sent for r in reports) == 1
    assert len(smtp_server.handler.to(SAM)) == 1


def test_weekly_job_fails_loudly_when_the_server_refuses_everyone(engine, seeded, settings, smtp_server):
    from jobs import tasks

    smtp_server.handler.refuse_all = "554 5.7.1 Relay access denied"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    tasks.configure(settings, engine)
    with pytest.raises(RuntimeError, match="refuses everyone"):
        tasks.weekly_digest("run-now")
