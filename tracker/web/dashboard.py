"""The dashboard: new matches this week, closing soon, bids by status, unhealthy sources."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import col, func, select

from tracker import clock
from tracker.bids import OPEN_STATUSES, STATUSES, bid_for_need, bids_by_call
from tracker.models import Bid, Digest, Match, Need, Opportunity, Source, utcnow
from tracker.web.deps import DB, Viewer, render

router = APIRouter(include_in_schema=False)
CLOSING_DAYS = 14


@router.get("/")
def dashboard(request: Request, session: DB, user: Viewer) -> Response:
    today = clock.today()
    week_ago = utcnow() - timedelta(days=7)
    new_matches = session.exec(
        select(Match, Opportunity, Need).join(Opportunity, Opportunity.id == Match.opportunity_id)
        .join(Need, Need.id == Match.need_id)
        .where(col(Match.eligible).is_(True), col(Match.dismissed).is_(False), col(Match.first_matched_at) >= week_ago,
               col(Opportunity.duplicate_of_id).is_(None))
        .order_by(col(Match.score).desc()).limit(20)
    ).all()
    interesting = select(Match.opportunity_id).where(col(Match.eligible).is_(True), col(Match.dismissed).is_(False))
    bid_opps = select(Bid.opportunity_id).where(col(Bid.status).in_(OPEN_STATUSES))
    closing = session.exec(
        select(Opportunity).where(col(Opportunity.deadline) >= today,
                                  col(Opportunity.deadline) <= today + timedelta(days=CLOSING_DAYS),
                                  col(Opportunity.id).in_(interesting) | col(Opportunity.id).in_(bid_opps),
                                  col(Opportunity.duplicate_of_id).is_(None))
        .order_by(col(Opportunity.deadline)).limit(20)
    ).all()
    counts = dict(session.exec(select(Bid.status, func.count()).group_by(Bid.status)).all())
    bids = bids_by_call(session, [o.id for _, o, _ in new_matches] + [o.id for o in closing])
    ctx = {"new_matches": new_matches, "closing": closing, "today": today, "bids": bids,
           "bid_for_need": bid_for_need,
           "bid_counts": [(s, counts.get(s, 0)) for s in STATUSES], "unhealthy": [], "failed_digests": []}
    if user.role == "admin":
        ctx["unhealthy"] = session.exec(select(Source).where(col(Source.healthy).is_(False))
                                        .order_by(Source.name)).all()
        ctx["failed_digests"] = session.exec(select(Digest).where(Digest.status == "failed")
                                             .order_by(col(Digest.id).desc()).limit(10)).all()
    return render(request, "dashboard.html", ctx)
