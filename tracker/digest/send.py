"""Sending with an exactly-once ledger.

Per recipient and period (ISO week in the digest timezone) there is one Digest row. It is
written as `pending` (stable Message-ID, subject, match ids) and claimed by a conditional
UPDATE (pending → sending) in one transaction before anything is sent, so two senders
never both send it; after the server accepts the message it is marked `sent` (or
`outbox`) together with its DigestItem rows in one transaction. Transient failures put
it back to `pending` for the next run; a recipient's permanent refusal marks it `failed`
with the server's reply, while a server refusing everyone (sender refused, or the same 5xx
for every recipient: see digest.refusals) stops the run and leaves the rows pending.
`tracker digest retry` claims failed rows (failed → sending, conditionally) and resends
them with the same Message-ID. A row left in `sending` by a crashed process is re-claimed
after a lease (default 15 minutes) and resent with the same Message-ID: the one message
that was in flight at a crash is delivered at least once, never dropped (at most one
duplicate, with the same Message-ID); every other recipient exactly once."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, insert, literal, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from tracker import clock
from tracker.config import Settings
from tracker.db import session_scope
from tracker.digest.build import MAX_PER_NEED, DigestContent, build_digest, recipients
from tracker.digest.format import frequency_of, period_for
from tracker.digest.mime import Mail
from tracker.digest.refusals import RefusalJudge, Verdict
from tracker.digest.render import Blocks, new_message_id, render_mail
from tracker.digest.tokens import load_secret
from tracker.digest.transports import (
    OutboxTransport,
    PermanentError,
    SmtpTransport,
    TransientError,
    Transport,
    TransportUnavailable,
)
from tracker.models import Digest, DigestItem, Match, User, utcnow

CLAIMABLE = ("pending",)  # statuses a normal run may claim and send; `digest retry` adds "failed"


@dataclass
class SendOptions:
    attempts: int = 4  # tries per message for transient failures
    backoff: float = 2.0  # first wait in seconds, doubled each time
    max_delay: float = 60.0
    pace: float = 0.0  # seconds between messages (Exchange Online takes ~30 a minute: 2.0)
    lease: timedelta = timedelta(minutes=15)  # after this a `sending` row is presumed crashed
    give_up_after: int = 5  # consecutive recipients with transient failures: the server is unwell, stop
    max_per_need: int = MAX_PER_NEED


@dataclass
class SendReport:
    period: str
    transport: str
    dry_run: bool = False
    sent: int = 0
    outbox: int = 0
    failed: int = 0  # permanent: recorded as failed with the reply
    deferred: int = 0  # transient: left pending for the next run
    skipped_empty: int = 0
    skipped: int = 0  # already delivered this period, or being sent by another run
    aborted: str = ""  # why the batch stopped early (server unreachable, auth refused)
    outbox_dir: Path | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.failed or self.deferred or self.aborted)

    def summary(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        parts = [f"{self.sent} {verb}", f"{self.failed} failed", f"{self.deferred} to retry",
                 f"{self.skipped_empty} empty not sent", f"{self.skipped} already done"]
        if self.outbox:
            parts.insert(1, f"{self.outbox} written to outbox {self.outbox_dir} (no SMTP configured)")
        text = f"Digest {self.period} via {self.transport}: " + ", ".join(parts)
        return text + (f". Stopped early: {self.aborted}" if self.aborted else "")


def make_transport(settings: Settings) -> Transport:
    """GOV.UK Notify if TRACKER_NOTIFY_API_KEY is set, else SMTP if configured, else the outbox."""
    key = os.environ.get("TRACKER_NOTIFY_API_KEY", "")
    if key:
        from tracker.digest.notify import DEFAULT_BASE_URL, NotifyTransport

        notify = getattr(settings, "notify", None)
        template = os.environ.get("TRACKER_NOTIFY_TEMPLATE_ID") or getattr(notify, "template_id", "")
        base = os.environ.get("TRACKER_NOTIFY_BASE_URL") or getattr(notify, "base_url", "") or DEFAULT_BASE_URL
        if not template:
            raise ValueError("TRACKER_NOTIFY_API_KEY is set but no Notify template id "
                             "(TRACKER_NOTIFY_TEMPLATE_ID): make a template with subject ((subject)) "
                             "and body ((body))")
        return NotifyTransport(key, template, base)
    if settings.smtp.configured:
        return SmtpTransport.from_settings(settings.smtp)
    return OutboxTransport(settings.outbox_dir)


def deliver(transport: Transport, msg: EmailMessage | Mail, recipient: str, options: SendOptions) -> str:
    """Send with retries and exponential backoff on transient failures; the last error is raised."""
    delay = options.backoff
    for attempt in range(1, options.attempts + 1):
        try:
            return transport.send(msg, recipient)
        except (TransientError, TransportUnavailable) as exc:
            if (isinstance(exc, TransportUnavailable) and not exc.transient) or attempt == options.attempts:
                raise
        time.sleep(min(delay, options.max_delay))
        delay *= 2
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Claim:
    """A Digest row this run has claimed (moved to `sending`)."""

    id: int
    recipient: str
    message_id: str


def _rows(engine: Engine, period: str) -> dict[str, Any]:
    """Each recipient's Digest row for the period (id, status, message_id, error), read once
    a run. A row another run changes after this is still safe: the claim decides."""
    with engine.connect() as conn:
        stmt = select(Digest.id, Digest.recipient, Digest.status, Digest.message_id, Digest.error).where(
            Digest.period == period)
        return {r.recipient: r for r in conn.execute(stmt)}


def _record_and_claim(engine: Engine, content: DigestContent, msg: Mail, transport: str,
                      lease: timedelta, claimable: tuple[str, ...] = CLAIMABLE) -> Claim | None:
    """In one transaction: the recipient's Digest row for the period, created as pending
    (Message-ID, subject, match ids) if there is none, then claimed by a conditional UPDATE
    pending (or another `claimable` status) → sending, or a `sending` row whose lease ran
    out. None if another run has it."""
    table = Digest.__table__
    subject = str(msg["Subject"])
    for attempt in (1, 2):
        try:
            with engine.begin() as conn:
                row = conn.execute(select(Digest.id, Digest.message_id).where(
                    Digest.recipient == content.email, Digest.period == content.period)).first()
                if row is None:
                    created = conn.execute(insert(table).values(
                        recipient=content.email, user_id=content.user_id, period=content.period,
                        message_id=str(msg["Message-ID"]), subject=subject, status="pending", attempts=0,
                        error="", match_ids=content.match_ids, created_at=utcnow(), transport=""))
                    row = (created.inserted_primary_key[0], str(msg["Message-ID"]))
                claimed = utcnow()
                claim = (
                    update(table)
                    .where(table.c.id == row[0],
                           table.c.status.in_(claimable)
                           | ((table.c.status == "sending") & (table.c.claimed_at < claimed - lease)))
                    .values(status="sending", claimed_at=claimed, attempts=table.c.attempts + 1,
                            match_ids=content.match_ids, subject=subject, transport=transport)
                )
                won = conn.execute(claim).rowcount == 1
            return Claim(row[0], content.email, row[1]) if won else None
        except IntegrityError:  # PostgreSQL: another sender inserted the row first; look again
            if attempt == 2:
                raise
    return None


def _finish(engine: Engine, row: Claim, status: str, error: str, now: datetime,
            match_ids: list[int] | None = None, expect: str | None = None) -> bool:
    """Record the outcome (if the row is still in status `expect`, when given; False if it
    was not); for a delivery, add the DigestItems in the same transaction."""
    table = Digest.__table__
    with engine.begin() as conn:
        values: dict = {"status": status, "error": error[:2000]}
        if match_ids is not None:
            values["sent_at"] = now
        where = [table.c.id == row.id] + ([table.c.status == expect] if expect else [])
        if conn.execute(update(table).where(*where).values(**values)).rowcount != 1:
            return False
        if match_ids:  # each match still there and not yet recorded for the recipient, in one statement
            done = select(DigestItem.id).where(DigestItem.recipient == row.recipient,
                                               DigestItem.match_id == Match.id)
            new = select(literal(row.id), literal(row.recipient), Match.id).where(
                col(Match.id).in_(match_ids), ~exists(done)).order_by(Match.id)
            conn.execute(insert(DigestItem.__table__).from_select(["digest_id", "recipient", "match_id"], new))
    return True


def _drop_pending(engine: Engine, row_id: int) -> None:
    """A pending (never accepted) digest that has become empty: forget it."""
    with engine.begin() as conn:
        conn.execute(delete(Digest.__table__).where(Digest.__table__.c.id == row_id,
                                                    Digest.__table__.c.status == "pending"))


SKIP = {"sent": "already sent this period", "outbox": "already written to the outbox this period",
        "failed": "failed permanently earlier this period (`tracker digest retry` resends it)"}


def send_digests(engine: Engine, settings: Settings, now: datetime | None = None, dry_run: bool = False,
                 *, transport: Transport | None = None, options: SendOptions | None = None,
                 secret: str | None = None, frequency: str = "weekly") -> SendReport:
    """Build, record and send the digest for the period containing `now` (its ISO week, or
    its day for `frequency="daily"`) to each recipient who chose that frequency."""
    now = now or clock.now()
    period = period_for(now, settings.digest.timezone, frequency)
    with session_scope(engine) as s:
        users = recipients(s, frequency)
        tried = set(s.exec(select(Digest.recipient).where(
            Digest.period == period, col(Digest.status) == "pending", col(Digest.error) != "")))
    # Recipients refused or deferred earlier this period go last, so that two bad addresses
    # refused alike (which look like a server refusing everyone) cannot hold the rest back.
    users.sort(key=lambda u: u.email in tried)
    batch = Batch(engine, settings, now, period, transport, options, secret, dry_run=dry_run)
    return batch.run(users)


class Batch:
    """One run over a list of recipients for one period, through one transport. Statuses in
    `claimable` (besides pending) may be claimed and resent: `failed` for `digest retry`."""

    def __init__(self, engine: Engine, settings: Settings, now: datetime, period: str,
                 transport: Transport | None = None, options: SendOptions | None = None,
                 secret: str | None = None, *, dry_run: bool = False,
                 claimable: tuple[str, ...] = CLAIMABLE) -> None:
        self.engine, self.settings, self.now, self.claimable = engine, settings, now, claimable
        self.options = options or SendOptions(pace=settings.digest.pace)
        self.transport = transport or make_transport(settings)
        self.secret = secret if secret is not None else load_secret(settings)
        self.skip = {k: v for k, v in SKIP.items() if k not in claimable}
        self.report = SendReport(period, self.transport.name, dry_run)
        if isinstance(self.transport, OutboxTransport):
            self.report.outbox_dir = self.transport.directory
        self.refusals: RefusalJudge[Claim] = RefusalJudge()
        self.existing: dict[str, Any] = {}
        self.cache: dict = {}  # team-wide digest sections, read once per batch
        self.blocks = Blocks()  # cards and entries, rendered once per batch

    def run(self, users: list[User]) -> SendReport:
        report = self.report
        self.existing = _rows(self.engine, report.period)
        if not report.dry_run:
            self.transport.open()
        try:
            streak = 0
            for user in users:
                if report.aborted:
                    break
                deferred = report.deferred
                self.one(user)
                streak = streak + 1 if report.deferred > deferred else 0
                if streak >= self.options.give_up_after:
                    report.aborted = f"{streak} recipients in a row not sent; the rest wait for the next run"
                if self.options.pace and not report.dry_run:
                    time.sleep(self.options.pace)
        finally:
            if not report.dry_run:
                self.transport.close()
        for row, reply in self.refusals.held:
            report.deferred += 1
            report.lines.append(f"{row.recipient}: refused ({reply}); left pending: the server accepted no "
                                "other message in this run, so it may be refusing everyone")
        return report

    def one(self, user: User) -> None:
        cfg, email, report = self.settings.digest, user.email, self.report
        existing = self.existing.get(email)
        if existing is not None and existing.status in self.skip:
            report.skipped += 1
            report.lines.append(f"{email}: {self.skip[existing.status]} {existing.error}".rstrip())
            return
        with session_scope(self.engine) as s:
            content = build_digest(s, user, now=self.now, timezone=cfg.timezone, base_url=cfg.base_url,
                                   secret=self.secret, max_per_need=self.options.max_per_need, cache=self.cache,
                                   frequency=frequency_of(report.period),
                                   signoff_days=self.settings.planning.signoff_working_days)
        content.period = report.period  # `digest retry --week` resends an earlier week's row
        if content.is_empty and not cfg.send_empty:
            report.skipped_empty += 1
            report.lines.append(f"{email}: nothing new, not sent")
            if existing is not None and not report.dry_run:
                _drop_pending(self.engine, existing.id)
            return
        from_address = self.settings.smtp.from_address
        message_id = existing.message_id if existing else new_message_id(from_address, report.period, user.id)
        msg = render_mail(content, from_address=from_address, message_id=message_id, now=self.now,
                          prefix=cfg.subject_prefix, blocks=self.blocks)
        if report.dry_run:
            report.sent += 1
            report.lines.append(f"{email}: would send \"{msg['Subject']}\"")
            return
        row = _record_and_claim(self.engine, content, msg, self.transport.name, self.options.lease,
                                self.claimable)
        if row is None:
            report.skipped += 1
            report.lines.append(f"{email}: being sent by another run, or already sent")
            return
        if row.message_id != message_id:  # another run created the row in between
            msg.replace_header("Message-ID", row.message_id)
        try:
            reply = deliver(self.transport, msg, email, self.options)
        except PermanentError as exc:
            self.refused(row, exc.reply)
            return
        except (TransientError, TransportUnavailable) as exc:
            _finish(self.engine, row, "pending", exc.reply, self.now)
            report.deferred += 1
            report.lines.append(f"{email}: not sent, will retry next run: {exc.reply}")
            if isinstance(exc, TransportUnavailable):
                report.aborted = exc.reply
            return
        except Exception as exc:  # unexpected: keep the row retryable and say so
            _finish(self.engine, row, "pending", f"{type(exc).__name__}: {exc}", self.now)
            report.deferred += 1
            report.lines.append(f"{email}: not sent, error: {type(exc).__name__}: {exc}")
            return
        status = "outbox" if self.transport.name == "outbox" else "sent"
        _finish(self.engine, row, status, "", self.now, content.match_ids)
        setattr(report, status, getattr(report, status) + 1)
        report.lines.append(f"{email}: {status}, {content.new_count} new calls ({reply})")
        for held, held_reply in self.refusals.accept():
            self.failed(held, held_reply, expect="pending")

    def refused(self, row: Claim, reply: str) -> None:
        """A 5xx for this recipient: failed, held until the server takes another message, or
        (the same refusal as one held) the server refusing everyone: stop, keep all pending."""
        verdict = self.refusals.judge(row, reply)
        if verdict is Verdict.FAILED:
            self.failed(row, reply)
            return
        _finish(self.engine, row, "pending", reply, self.now)
        if verdict is Verdict.HELD:
            return
        held = [r for r, _reply in self.refusals.held] + [row]
        self.refusals.held.clear()
        self.report.deferred += len(held)
        for r in held:
            self.report.lines.append(f"{r.recipient}: not sent, will retry: the server refuses every recipient")
        self.report.aborted = (f"the server gave {len(held)} recipients the same refusal ({reply}) and accepted "
                               "none: it refuses everyone, not these addresses; all left pending for "
                               "`tracker digest send` once the server settings are fixed")

    def failed(self, row: Claim, reply: str, expect: str | None = None) -> None:
        if not _finish(self.engine, row, "failed", reply, self.now, expect=expect):
            return  # another run has claimed it since it was held
        self.report.failed += 1
        self.report.lines.append(f"{row.recipient}: FAILED (permanent) {reply}")


def digest_status(engine: Engine, limit: int = 50) -> list[dict]:
    """The most recent digests, newest first, for `tracker digest status`."""
    with session_scope(engine) as s:
        newest = (col(Digest.created_at).desc(), col(Digest.id).desc())
        rows = s.exec(select(Digest).order_by(*newest).limit(limit))
        return [
            {"id": r.id, "recipient": r.recipient, "period": r.period, "status": r.status,
             "attempts": r.attempts, "matches": len(r.match_ids or []), "subject": r.subject,
             "message_id": r.message_id, "transport": r.transport, "error": r.error,
             "created_at": r.created_at, "sent_at": r.sent_at}
            for r in rows
        ]


def retry_hints(rows: list[dict]) -> dict[str, int]:
    """Digests not delivered (failed, or left pending) per period, for `digest status`."""
    hints: dict[str, int] = {}
    for row in rows:
        if row["status"] in ("failed", "pending"):
            hints[row["period"]] = hints.get(row["period"], 0) + 1
    return hints
