"""A user's deadline calendar (ICS) at a secret URL, for Outlook and Google Calendar:
calls with an open bid, and calls matching the needs the user follows."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from tracker import clock
from tracker.bids import OPEN_STATUSES
from tracker.models import Bid, Match, Opportunity, User, utcnow
from tracker.web.deps import DB, site_url

router = APIRouter(include_in_schema=False)
LONDON = ZoneInfo("Europe/London")
KEEP_PAST_DAYS = 30


def deadline_opportunities(session: Session, user: User) -> list[tuple[Opportunity, str]]:
    since = clock.today() - timedelta(days=KEEP_PAST_DAYS)
    bid_status = dict(session.exec(select(Bid.opportunity_id, Bid.status)
                                   .where(col(Bid.status).in_(OPEN_STATUSES))).all())
    matched = select(Match.opportunity_id).where(col(Match.eligible).is_(True), col(Match.dismissed).is_(False))
    if user.followed_needs:
        matched = matched.where(col(Match.need_id).in_(user.followed_needs))
    query = select(Opportunity).where(col(Opportunity.deadline) >= since, col(Opportunity.duplicate_of_id).is_(None),
                                      col(Opportunity.id).in_(matched) | col(Opportunity.id).in_(list(bid_status)))
    return [(o, bid_status.get(o.id, "matched")) for o in session.exec(query.order_by(col(Opportunity.deadline)))]


def build_calendar(rows: list[tuple[Opportunity, str]], base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Funding tracker//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Funding deadlines")
    cal.add("x-wr-timezone", "Europe/London")
    stamp = utcnow()
    for opp, why in rows:
        event = Event()
        event.add("uid", f"deadline-{opp.id}@funding-tracker")
        event.add("dtstamp", stamp)
        event.add("summary", f"Deadline: {opp.title}" + (f" ({opp.funder})" if opp.funder else ""))
        if opp.deadline_time:
            end = datetime.combine(opp.deadline, time.fromisoformat(opp.deadline_time), LONDON)
            event.add("dtstart", end - timedelta(hours=1))
            event.add("dtend", end)
        else:
            event.add("dtstart", opp.deadline)
            event.add("dtend", opp.deadline + timedelta(days=1))
        event.add("description", f"{why}. {opp.url}\n{base_url}/opportunities/{opp.id}")
        event.add("url", f"{base_url}/opportunities/{opp.id}")
        cal.add_component(event)
    return cal.to_ical()


@router.get("/calendar/{token}.ics")
def calendar_feed(request: Request, token: str, session: DB) -> Response:
    if len(token) < 16:
        raise HTTPException(404)
    user = session.exec(select(User).where(User.calendar_token == token)).first()
    if user is None or not user.active:
        raise HTTPException(404)
    # the feed was subscribed to at the address the account page showed: its events link there too
    body = build_calendar(deadline_opportunities(session, user), site_url(request))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=900",
                             "Content-Disposition": 'inline; filename="deadlines.ics"'})
