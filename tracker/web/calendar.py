"""A user's deadline calendar (ICS) at a secret URL, for Outlook and Google Calendar:
calls with an open bid, and calls matching the needs the user follows; each with its
deadline and, per need, an all-day "Start bid: " event on its start-by date (tracker.startby)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from tracker import clock
from tracker.bids import OPEN_STATUSES
from tracker.format import long_date
from tracker.models import Bid, Match, Need, Opportunity, User, utcnow
from tracker.startby import StartBy, start_by
from tracker.web.deps import DB, site_url, state

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


def start_rows(session: Session, user: User, opps: list[Opportunity],
               signoff_days: int) -> list[tuple[Opportunity, Need | None, StartBy]]:
    """A start-by date for each listed call and each need it is planned for: the need of an
    open bid on it, and the followed needs it matches."""
    by_id = {o.id: o for o in opps}
    pairs: set[tuple[int, str | None]] = set()
    for opp_id, need_id in session.exec(select(Bid.opportunity_id, Bid.need_id).where(
            col(Bid.status).in_(OPEN_STATUSES), col(Bid.opportunity_id).in_(list(by_id)))):
        pairs.add((opp_id, need_id))
    matched = select(Match.opportunity_id, Match.need_id).where(
        col(Match.eligible).is_(True), col(Match.dismissed).is_(False), col(Match.opportunity_id).in_(list(by_id)))
    if user.followed_needs:
        matched = matched.where(col(Match.need_id).in_(user.followed_needs))
    pairs.update(session.exec(matched).all())
    with_need = {o for o, n in pairs if n is not None}  # a bid for no particular need: only if nothing else
    pairs = {(o, n) for o, n in pairs if n is not None or o not in with_need}
    needs = {n.id: n for n in session.exec(select(Need).where(col(Need.id).in_({n for _, n in pairs if n})))}
    rows = []
    for opp_id, need_id in sorted(pairs, key=lambda p: (p[0], p[1] or "")):
        need = needs.get(need_id) if need_id else None
        planned = start_by(by_id[opp_id].deadline, need.prep_days if need else 0, signoff_days)
        if planned is not None:
            rows.append((by_id[opp_id], need, planned))
    return rows


def _start_event(opp: Opportunity, need: Need | None, planned: StartBy, base_url: str, stamp) -> Event:  # noqa: ANN001
    event = Event()
    event.add("uid", f"startby-{opp.id}-{need.id if need else 'call'}@funding-tracker")
    event.add("dtstamp", stamp)
    event.add("summary", f"Start bid: {opp.title}" + (f" (for {need.title})" if need else ""))
    event.add("dtstart", planned.day)
    event.add("dtend", planned.day + timedelta(days=1))
    event.add("description", f"Start by {long_date(planned.day)}: {planned.explain()}. {opp.url}\n"
                             f"{base_url}/opportunities/{opp.id}")
    event.add("url", f"{base_url}/opportunities/{opp.id}")
    return event


def build_calendar(rows: list[tuple[Opportunity, str]], base_url: str,
                   starts: list[tuple[Opportunity, Need | None, StartBy]] = ()) -> bytes:  # type: ignore[assignment]
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
    for opp, need, planned in starts:
        cal.add_component(_start_event(opp, need, planned, base_url, stamp))
    return cal.to_ical()


@router.get("/calendar/{token}.ics")
def calendar_feed(request: Request, token: str, session: DB) -> Response:
    if len(token) < 16:
        raise HTTPException(404)
    user = session.exec(select(User).where(User.calendar_token == token)).first()
    if user is None or not user.active:
        raise HTTPException(404)
    # the feed was subscribed to at the address the account page showed: its events link there too
    rows = deadline_opportunities(session, user)
    starts = start_rows(session, user, [o for o, _ in rows], state(request).settings.planning.signoff_working_days)
    body = build_calendar(rows, site_url(request), starts)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=900",
                             "Content-Disposition": 'inline; filename="deadlines.ics"'})
