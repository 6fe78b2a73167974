"""The bids board: status changes along the state machine, details, history, CSV."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from tracker.bids import (
    CONFIRM_STATUSES,
    STATUSES,
    BidError,
    allowed_next,
    change_status,
    history,
    mark,
    mark_interested,
    update_details,
)
from tracker.bounds import INT_MAX, DbInt, db_int
from tracker.csvout import write_csv
from tracker.format import money
from tracker.models import Bid, Comment, Match, Need, Opportunity, User
from tracker.web.deps import DB, Staff, Viewer, flash, get_or_404, render, safe_next
from tracker.web.opportunities import csv_response

router = APIRouter(include_in_schema=False)
CSV_FIELDS = ("id", "status", "opportunity_url", "title", "funder", "deadline", "need_id", "owner",
              "amount_requested", "amount_awarded", "notes", "feedback", "created_at", "updated_at")


def board_rows(session: Session) -> list[tuple[Bid, Opportunity]]:
    return list(session.exec(select(Bid, Opportunity).join(Opportunity, Opportunity.id == Bid.opportunity_id)
                             .order_by(col(Opportunity.deadline).is_(None), col(Opportunity.deadline), col(Bid.id))))


def _owners(session: Session) -> dict[int, User]:
    return {u.id: u for u in session.exec(select(User))}


@router.get("/bids")
def board(request: Request, session: DB, user: Viewer) -> Response:
    rows = board_rows(session)
    columns = {s: [(b, o) for b, o in rows if b.status == s] for s in STATUSES}
    return render(request, "bids.html", {"columns": columns, "owners": _owners(session),
                                         "need_titles": dict(session.exec(select(Need.id, Need.title)).all()),
                                         "allowed_next": allowed_next})


@router.get("/bids.csv")
def bids_csv(request: Request, session: DB, user: Viewer) -> Response:
    owners = _owners(session)
    rows = ({"id": b.id, "status": b.status, "opportunity_url": o.url, "title": o.title, "funder": o.funder,
             "deadline": o.deadline.isoformat() if o.deadline else None, "need_id": b.need_id,
             "owner": owners[b.owner_id].email if b.owner_id in owners else None,
             "amount_requested": b.amount_requested,
             "amount_awarded": b.amount_awarded, "notes": b.notes, "feedback": b.feedback,
             "created_at": b.created_at.isoformat(), "updated_at": b.updated_at.isoformat()}
            for b, o in board_rows(session))
    return csv_response(write_csv(CSV_FIELDS, rows), "bids.csv")


@router.get("/bids/{bid_id}")
def bid_detail(request: Request, bid_id: DbInt, session: DB, user: Viewer) -> Response:
    bid = get_or_404(session, Bid, bid_id)
    return render(request, "bid.html", {
        "bid": bid, "o": session.get(Opportunity, bid.opportunity_id),
        "need": session.get(Need, bid.need_id) if bid.need_id else None, "events": history(session, bid),
        "owners": _owners(session), "allowed_next": allowed_next(bid),
        "comments": session.exec(select(Comment).where(Comment.bid_id == bid.id)
                                 .order_by(col(Comment.created_at), col(Comment.id))).all(),
        "staff": session.exec(select(User).where(col(User.role).in_(("admin", "staff")),
                                                 col(User.active).is_(True)).order_by(User.email)).all(),
    })


def _back(back: str, bid: Bid) -> str:
    return safe_next(back or f"/bids/{bid.id}")


@router.post("/bids/{bid_id}/status")
def bid_status(request: Request, bid_id: DbInt, session: DB, user: Staff, status: Annotated[str, Form()] = "",
               note: Annotated[str, Form(max_length=2000)] = "", back: Annotated[str, Form()] = "",
               confirmed: Annotated[str, Form()] = "") -> Response:
    bid = get_or_404(session, Bid, bid_id)
    if not status:
        raise HTTPException(422, "Choose the bid's new status")
    if status in CONFIRM_STATUSES and status != bid.status and confirmed != "yes":
        query = urlencode({"status": status, "note": note, "back": back})
        return RedirectResponse(f"/bids/{bid.id}/confirm?{query}", status_code=303)
    try:
        change_status(session, bid, status, user_id=user.id, note=note)
    except BidError as exc:
        raise HTTPException(400, str(exc)) from exc
    session.commit()
    flash(request, f"Bid marked {status}." + (" Record the amount awarded and the funder's feedback below."
                                               if status in ("awarded", "unsuccessful") else ""))
    return RedirectResponse(_back(back, bid), status_code=303)


CONFIRM_TEXT = {
    "awarded": "This records that the funder awarded the bid. It is final: an awarded bid cannot change status.",
    "unsuccessful": "This records that the bid was turned down. It is final: the bid cannot change status again.",
    "withdrawn": "This stops work on the bid and drops it from deadline reminders. It can be reopened as "
                 "interested later.",
}


@router.get("/bids/{bid_id}/confirm")
def bid_status_confirm(request: Request, bid_id: DbInt, session: DB, user: Staff, status: str = "",
                       note: str = "", back: str = "") -> Response:
    """Asks before an outcome or a withdrawal; showing this page changes nothing."""
    bid = get_or_404(session, Bid, bid_id)
    if status not in allowed_next(bid):
        raise HTTPException(400, f"a bid that is {bid.status} cannot become {status or 'nothing'}")
    opp = session.get(Opportunity, bid.opportunity_id)
    return render(request, "confirm.html", {
        "heading": f"Mark this bid {status}?", "warning": status != "awarded",
        "lines": [f"{opp.title if opp else 'Bid ' + str(bid.id)}: now {bid.status}.", CONFIRM_TEXT[status]],
        "action": f"/bids/{bid.id}/status", "button": f"Yes, mark it {status}", "cancel": _back(back, bid),
        "fields": {"status": status, "note": note[:2000], "back": back, "confirmed": "yes"}})


def _amount(value: str) -> int | None:
    text = value.replace(",", "").replace("£", "").strip()
    if not text:
        return None
    amount = db_int(text)
    if amount is None:
        raise HTTPException(422, f"{value!r} is not a whole number of pounds from 0 to {money(INT_MAX)}")
    return amount


@router.post("/bids/{bid_id}")
def bid_update(request: Request, bid_id: DbInt, session: DB, user: Staff, owner_id: Annotated[str, Form()] = "",
               amount_requested: Annotated[str, Form(max_length=20)] = "",
               amount_awarded: Annotated[str, Form(max_length=20)] = "",
               notes: Annotated[str, Form(max_length=20000)] = "",
               feedback: Annotated[str | None, Form(max_length=20000)] = None) -> Response:
    bid = get_or_404(session, Bid, bid_id)
    owner = db_int(owner_id) if owner_id.strip() else None
    if owner_id.strip() and (owner is None or session.get(User, owner) is None):
        raise HTTPException(422, "no such owner")
    try:
        changes = update_details(session, bid, user_id=user.id, owner_id=owner,
                                 amount_requested=_amount(amount_requested), amount_awarded=_amount(amount_awarded),
                                 notes=notes, feedback=feedback)
    except BidError as exc:
        raise HTTPException(422, str(exc)) from exc
    session.commit()
    flash(request, "Bid updated." if changes else "Nothing changed.")
    return RedirectResponse(f"/bids/{bid.id}", status_code=303)


@router.post("/opportunities/{opp_id}/bid")
def opportunity_bid(request: Request, opp_id: DbInt, session: DB, user: Staff,
                    status: Annotated[str, Form()] = "interested", need_id: Annotated[str, Form()] = "") -> Response:
    """Mark interested or applied from an opportunity: creates the bid or advances it."""
    get_or_404(session, Opportunity, opp_id)
    if need_id and session.get(Need, need_id) is None:
        raise HTTPException(422, "no such need")
    if status not in ("interested", "applied"):
        raise HTTPException(400, "status must be interested or applied")
    match = session.exec(select(Match).where(Match.opportunity_id == opp_id, Match.need_id == need_id)).first()
    if match is not None and status == "interested":
        bid = mark_interested(session, match, user.id)
    else:
        bid = mark(session, opp_id, need_id or None, status, user.id)
    session.commit()
    flash(request, f"Bid is {bid.status}.")
    return RedirectResponse(f"/opportunities/{opp_id}#bids", status_code=303)
