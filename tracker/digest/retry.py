"""`tracker digest retry`: resend the digests of one week that failed or were left pending.

Each is claimed by the same conditional UPDATE as a normal run (failed/pending → sending),
so two retries, or a retry and a send, never both send it; it goes out with the Message-ID
recorded for it, and a recipient whose digest was delivered is never sent a second copy."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from tracker import clock
from tracker.config import Settings
from tracker.db import session_scope
from tracker.digest.build import DELIVERED
from tracker.digest.format import period_for
from tracker.digest.send import CLAIMABLE, Batch, SendOptions, SendReport
from tracker.digest.transports import Transport
from tracker.models import Digest, User

WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_week(text: str) -> str:
    """A period as the digests name it, e.g. 2026-W48; ValueError naming the input if not."""
    week = text.strip().upper()
    if not WEEK.match(week):
        raise ValueError(f"--week {text!r}: expected an ISO week such as 2026-W48")
    return week


def parse_day(text: str) -> str:
    """A daily digest's period, e.g. 2026-12-02; ValueError naming the input if not."""
    day = text.strip()
    try:
        if DAY.match(day):
            return date.fromisoformat(day).isoformat()
    except ValueError:
        pass
    raise ValueError(f"--day {text!r}: expected a date such as 2026-12-02")


def retry_digests(engine: Engine, settings: Settings, now: datetime | None = None, *,
                  period: str | None = None, recipient: str | None = None,
                  transport: Transport | None = None, options: SendOptions | None = None,
                  secret: str | None = None) -> SendReport:
    """Resend `period`'s (default: this week's) failed or pending digests, optionally only
    `recipient`'s. The content is built now, as for any resend: what is new since the
    recipient's last delivered digest."""
    now = now or clock.now()
    period = period or period_for(now, settings.digest.timezone)
    with session_scope(engine) as s:
        stmt = (select(Digest, User).join(User, col(Digest.user_id) == col(User.id), isouter=True)
                .where(Digest.period == period).order_by(Digest.recipient))
        if recipient:
            stmt = stmt.where(Digest.recipient == recipient.strip().lower())
        rows = list(s.exec(stmt))
        # Later by when it was recorded: a daily period ('2026-12-02') and a weekly one
        # ('2026-W49') do not sort as text, and a recipient may switch between them.
        delivered = list(s.exec(select(Digest.recipient, Digest.period, Digest.created_at).where(
            col(Digest.status).in_(DELIVERED), Digest.period != period).order_by(Digest.created_at)))
    batch = Batch(engine, settings, now, period, transport, options, secret, claimable=(*CLAIMABLE, "failed"))
    report, users = batch.report, []
    for digest, user in rows:
        later = [p for r, p, at in delivered if r == digest.recipient and at > digest.created_at]
        why = _not_resent(digest, user, later[-1] if later else None)
        if why:
            report.skipped += 1
            report.lines.append(f"{digest.recipient}: {why}, not resent")
        else:
            users.append(user)
    if not rows:
        who = f" for {recipient}" if recipient else ""
        report.lines.append(f"no digest recorded{who} in {period}: nothing to retry")
    return batch.run(users)


def _not_resent(digest: Digest, user: User | None, later: str | None) -> str:
    if digest.status in DELIVERED:
        return "already delivered"
    if later:  # its news went out in that later digest, which lists all since the last delivered one
        return f"superseded by the digest of {later}, which was delivered"
    if user is None or not (user.active and user.digest):
        return "no longer receives digests"
    return ""
