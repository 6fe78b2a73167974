"""Emails for team work: an assignment (with signed one-click "I'll look" / "not for us"
links, which only show a confirmation until POSTed) and an @mention. Sent through the
digest's transport (SMTP, Notify or the outbox); a failure is logged, never lost silently,
and does not undo the comment or assignment."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import make_msgid

from jinja2 import Environment, PackageLoader, select_autoescape

from tracker.config import Settings
from tracker.digest.tokens import sign_action
from tracker.models import Assignment, Comment, Opportunity, User

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


def send(settings: Settings, messages: list[tuple[EmailMessage, str]]) -> list[str]:
    """Send each (message, recipient); returns the recipients that failed (logged)."""
    from tracker.digest.send import SendOptions, deliver, make_transport

    if not messages:
        return []
    failed = []
    transport = make_transport(settings)
    try:
        for msg, recipient in messages:
            try:
                deliver(transport, msg, recipient, SendOptions(attempts=2, backoff=0.5))
            except Exception:  # noqa: BLE001 - one bad address must not stop the others
                log.exception("team email to %s not sent", recipient)
                failed.append(recipient)
    finally:
        transport.close()
    return failed
