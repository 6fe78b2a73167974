"""Emails for team work: an assignment (with signed one-click "I'll look" / "not for us"
links, which only show a confirmation until POSTed) and an @mention. Each is recorded
(`TeamMail`) in the same transaction as its assignment or comment, then sent through the
digest's transport (SMTP, Notify or the outbox). One that fails stays queued and the
scheduler retries it; a claim (conditional UPDATE) keeps two senders from sending it twice."""

from __future__ import annotations

import email
import email.policy
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import and_, or_, update
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.digest.tokens import sign_action
from tracker.models import Assignment, Comment, Opportunity, TeamMail, User

MAX_ATTEMPTS = 8  # with the scheduler's retry every 10 minutes: over an hour of a relay's outage
LEASE = timedelta(minutes=10)  # a sender killed mid-send frees its claim after this

log = logging.getLogger("tracker.team")
_env = Environment(loader=PackageLoader("tracker", "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def _message(settings: Settings, to: User, subject: str, template: str, ctx: dict) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())
    msg["From"] = settings.smtp.from_address
    msg["To"] = to.email
    msg["Message-ID"] = make_msgid(domain=settings.smtp.from_address.rpartition("@")[2] or "tracker.local")
    msg.set_content(_env.get_template(f"{template}.txt").render(ctx))
    msg.add_alternative(_env.get_template(f"{template}.html").render(ctx), subtype="html")
    return msg


def assignment_message(settings: Settings, secret: str, assignment: Assignment, opp: Opportunity, assignee: User,
                       by: User, base_url: str) -> EmailMessage:
    base = base_url.rstrip("/")
    links = {action: f"{base}/actions/{sign_action(secret, assignee.id, 'assignment', assignment.id, action)}"
             for action in ("look", "decline")}
    ctx = {"opp": opp, "by": by, "assignee": assignee, "note": assignment.note, "links": links,
           "page": f"{base}/opportunities/{opp.id}"}
    return _message(settings, assignee, f"Please review: {opp.title}", "assignment", ctx)


def mention_message(settings: Settings, comment: Comment, opp: Opportunity, to: User, author: User,
                    base_url: str) -> EmailMessage:
    ctx = {"opp": opp, "author": author, "body": comment.body,
           "page": f"{base_url.rstrip('/')}/opportunities/{opp.id}#comment-{comment.id}"}
    return _message(settings, to, f"{author.name or author.email} mentioned you: {opp.title}", "mention", ctx)


def queue(session: Session, kind: str, msg: EmailMessage, recipient: str) -> TeamMail:
    """Record the message in the caller's transaction: committed with the assignment or comment
    it is about, or not at all."""
    row = TeamMail(kind=kind, recipient=recipient, subject=str(msg["Subject"]), message_id=str(msg["Message-ID"]),
                   message=msg.as_string())
    session.add(row)
    return row


def _claim(session: Session, mail_id: int, now: datetime) -> bool:
    claimable = or_(and_(TeamMail.status.in_(("pending", "failed")), TeamMail.attempts < MAX_ATTEMPTS),
                    and_(TeamMail.status == "sending", TeamMail.claimed_at < now - LEASE))
    done = session.exec(update(TeamMail).where(TeamMail.id == mail_id, claimable)
                        .values(status="sending", claimed_at=now, attempts=TeamMail.attempts + 1))
    session.commit()
    return done.rowcount == 1


@dataclass
class MailReport:
    sent: list[str] = field(default_factory=list)  # recipients
    failed: list[str] = field(default_factory=list)  # not sent this time: kept, with the error


def send_queued(session: Session, settings: Settings, ids: Collection[int] | None = None) -> MailReport:
    """Send the queued messages (those in `ids`, else every one due)."""
    from tracker.digest.send import SendOptions, deliver, make_transport
    from tracker.digest.transports import PermanentError, TransportUnavailable

    now = datetime.now(UTC)
    query = select(TeamMail.id).where(TeamMail.status.in_(("pending", "failed", "sending"))).order_by(TeamMail.id)
    if ids is not None:
        query = query.where(TeamMail.id.in_(list(ids)))
    due = [mail_id for mail_id in session.exec(query) if _claim(session, mail_id, now)]
    report = MailReport()
    if not due:
        return report
    failed = report.failed
    down: str | None = None  # the relay refuses everyone: do not try the rest now
    transport = make_transport(settings)
    try:
        for mail_id in due:
            row = session.get(TeamMail, mail_id)
            if down is not None:
                row.status, row.error = "failed", down
                failed.append(row.recipient)
            else:
                msg = email.message_from_string(row.message, policy=email.policy.default)
                try:
                    deliver(transport, msg, row.recipient, SendOptions(attempts=2, backoff=0.5))
                except Exception as exc:  # noqa: BLE001 - one bad address must not stop the others
                    log.warning("team email to %s not sent (try %d): %s", row.recipient, row.attempts, exc)
                    # A recipient refused for good is not retried; anything else is, later.
                    row.status = "refused" if isinstance(exc, PermanentError) else "failed"
                    row.error = f"{type(exc).__name__}: {exc}"[:500]
                    if isinstance(exc, TransportUnavailable):
                        down = row.error
                    failed.append(row.recipient)
                else:
                    row.status, row.error, row.sent_at = "sent", "", datetime.now(UTC)
                    report.sent.append(row.recipient)
            session.add(row)
            session.commit()
    finally:
        transport.close()
    return report
