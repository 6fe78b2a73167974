"""Daily reminders to a bid's owner for bids still 'interested' or 'preparing': one on the
bid's start-by date (tracker.startby: deadline less the need's preparation days and the
sign-off lead time, in working days), then one each when the call closes in 7, 3 or 1 days."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.utils import make_msgid

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, select

from tracker.config import Settings
from tracker.format import long_date
from tracker.models import Bid, Need, Opportunity, ReminderSent, User
from tracker.startby import StartBy, start_by

THRESHOLDS = (1, 3, 7)
START_BY = 0  # ReminderSent.threshold of the start-by reminder (the others are days before the deadline)
OPEN_STATUSES = ("interested", "preparing")
# HTML templates are autoescaped; the subject and plain-text ones are not (they are not HTML).
_env = Environment(loader=PackageLoader("tracker", "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def threshold_for(days_left: int) -> int | None:
    """The smallest threshold the call is within (2 days left → the 3-day reminder)."""
    return next((t for t in THRESHOLDS if 0 <= days_left <= t), None)


def start_due(planned: StartBy | None, days_left: int, today: date) -> bool:
    """The start-by reminder is due from the start-by date until the 7-day reminder takes over."""
    return planned is not None and planned.day <= today and days_left > max(THRESHOLDS)


def render_reminder(bid: Bid, opp: Opportunity, owner: User, days: int, settings: Settings,
                    planned: StartBy | None = None) -> EmailMessage:
    """The deadline reminder, or the start-by one when `planned` is given."""
    ctx = {"bid": bid, "opp": opp, "owner": owner, "days": days, "planned": planned,
           "start_by": long_date(planned.day) if planned else "", "why": planned.explain() if planned else "",
           "deadline": long_date(opp.deadline),
           "link": f"{settings.digest.base_url.rstrip('/')}/opportunities/{opp.id}"}
    msg = EmailMessage()
    msg["Subject"] = " ".join(_env.get_template("reminder.subject.txt").render(ctx).split())
    msg["From"] = settings.smtp.from_address
    msg["To"] = owner.email
    msg["Message-ID"] = make_msgid(domain=settings.smtp.from_address.rpartition("@")[2] or "tracker.local")
    msg.set_content(_env.get_template("reminder.txt").render(ctx))
    msg.add_alternative(_env.get_template("reminder.html").render(ctx), subtype="html")
    return msg


def send_reminders(engine: Engine, settings: Settings, today: date, transport=None) -> list[str]:  # noqa: ANN001
    """Send due reminders; each (bid, threshold) is claimed in the database before the
    email goes out, so a reminder is never sent twice (a failed send releases the claim)."""
    from tracker.digest.send import make_transport

    transport = transport or make_transport(settings)
    sent: list[str] = []
    failed: list[str] = []
    with Session(engine) as session:
        rows = session.exec(select(Bid, Opportunity, User, Need.prep_days)
                            .outerjoin(Need, Need.id == Bid.need_id)
                            .where(Bid.opportunity_id == Opportunity.id, Bid.owner_id == User.id)
                            .where(Bid.status.in_(OPEN_STATUSES), Opportunity.deadline.is_not(None))).all()
    try:
        _send_due(engine, settings, today, transport, rows, sent, failed)
    finally:
        transport.close()
    if failed:
        raise RuntimeError(f"{len(failed)} reminder(s) not sent (will retry): " + "; ".join(failed))
    return sent


def _send_due(engine: Engine, settings: Settings, today: date, transport, rows, sent: list[str],  # noqa: ANN001
              failed: list[str]) -> None:
    from tracker.digest.send import SendOptions, deliver

    for bid, opp, owner, prep_days in rows:
        days = (opp.deadline - today).days
        threshold = threshold_for(days)
        planned = start_by(opp.deadline, prep_days, settings.planning.signoff_working_days)
        if threshold is None and start_due(planned, days, today):
            threshold = START_BY
        else:
            planned = None
        if threshold is None or not owner.active:
            continue
        try:
            with Session(engine) as session:
                session.add(ReminderSent(bid_id=bid.id, threshold=threshold, recipient=owner.email))
                session.commit()
        except IntegrityError:
            continue  # already reminded at this threshold
        try:
            deliver(transport, render_reminder(bid, opp, owner, days, settings, planned), owner.email,
                    SendOptions())
        except Exception as exc:  # one bad address must not stop the other reminders
            with Session(engine) as session:
                session.exec(delete(ReminderSent).where(ReminderSent.bid_id == bid.id,
                                                        ReminderSent.threshold == threshold))
                session.commit()
            failed.append(f"{owner.email}: {exc}")
            continue
        sent.append(f"{owner.email}: {opp.title} " + (f"(start by {planned.day})" if planned else f"({days} days)"))
