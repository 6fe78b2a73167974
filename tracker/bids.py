"""Bids: the state machine interested → preparing → applied → awarded / unsuccessful /
withdrawn, with a BidEvent for every change (who changed what, when).

Used by the web app and by the digest's one-click actions: `mark_interested(match)`
and `mark_applied(...)` create a bid or advance the existing one, and never move a bid
backwards, so running them twice changes nothing."""

from __future__ import annotations

from sqlmodel import Session, col, select

from tracker.bounds import INT_MAX, db_int
from tracker.models import Bid, BidEvent, Match, utcnow

STATUSES = ("interested", "preparing", "applied", "awarded", "unsuccessful", "withdrawn")
OPEN_STATUSES = ("interested", "preparing", "applied")
# changes that end a bid (or record an outcome): people confirm them before they happen
CONFIRM_STATUSES = ("awarded", "unsuccessful", "withdrawn")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "interested": ("preparing", "applied", "withdrawn"),
    "preparing": ("interested", "applied", "withdrawn"),
    "applied": ("awarded", "unsuccessful", "withdrawn"),
    "awarded": (),
    "unsuccessful": (),
    "withdrawn": ("interested",),
}
_ORDER = {status: n for n, status in enumerate(("interested", "preparing", "applied", "awarded"))}
_ORDER["unsuccessful"] = _ORDER["awarded"]


class BidError(ValueError):
    """A change the state machine does not allow; the message says why."""


def allowed_next(bid: Bid) -> tuple[str, ...]:
    return TRANSITIONS.get(bid.status, ())


def _event(session: Session, bid: Bid, user_id: int | None, from_status: str | None, to_status: str,
           note: str = "") -> BidEvent:
    event = BidEvent(bid_id=bid.id, user_id=user_id, from_status=from_status, to_status=to_status, note=note)
    session.add(event)
    return event


def create_bid(session: Session, opportunity_id: int, *, need_id: str | None = None, user_id: int | None = None,
               status: str = "interested", note: str = "") -> Bid:
    if status not in OPEN_STATUSES:
        raise BidError(f"a new bid starts as interested, preparing or applied, not {status!r}")
    bid = Bid(opportunity_id=opportunity_id, need_id=need_id, owner_id=user_id, status=status)
    session.add(bid)
    session.flush()
    _event(session, bid, user_id, None, status, note or "bid created")
    return bid


def change_status(session: Session, bid: Bid, to_status: str, *, user_id: int | None = None, note: str = "") -> Bid:
    """Move a bid along an allowed transition, recording who did it."""
    if to_status not in STATUSES:
        raise BidError(f"unknown bid status {to_status!r}; expected one of {', '.join(STATUSES)}")
    if to_status == bid.status:
        return bid
    if to_status not in allowed_next(bid):
        raise BidError(f"a bid that is {bid.status} cannot become {to_status}")
    _event(session, bid, user_id, bid.status, to_status, note)
    bid.status, bid.updated_at = to_status, utcnow()
    session.add(bid)
    session.flush()
    return bid


def advance(session: Session, bid: Bid, to_status: str, *, user_id: int | None = None, note: str = "") -> Bid:
    """Move forward to `to_status` (reopening a withdrawn bid on the way); a bid already
    at or past it is left alone."""
    if bid.status == "withdrawn":
        change_status(session, bid, "interested", user_id=user_id, note="reopened")
    if _ORDER.get(bid.status, 99) >= _ORDER[to_status]:
        return bid
    return change_status(session, bid, to_status, user_id=user_id, note=note)


def find_bid(session: Session, opportunity_id: int, need_id: str | None) -> Bid | None:
    """The bid for this call (and need, when given); the most recent if there are several."""
    query = select(Bid).where(Bid.opportunity_id == opportunity_id)
    if need_id is not None:
        query = query.where(col(Bid.need_id).is_(None) | (Bid.need_id == need_id))
    return session.exec(query.order_by(col(Bid.need_id).is_(None), col(Bid.id).desc())).first()


def bids_by_call(session: Session, opportunity_ids: list[int]) -> dict[int, list[Bid]]:
    """Each call's bids, newest first, for pages that list calls and show the team's bid."""
    out: dict[int, list[Bid]] = {}
    ids = sorted(set(opportunity_ids))
    for start in range(0, len(ids), 500):
        query = select(Bid).where(col(Bid.opportunity_id).in_(ids[start:start + 500])).order_by(col(Bid.id).desc())
        for bid in session.exec(query):
            out.setdefault(bid.opportunity_id, []).append(bid)
    return out


def bid_for_need(bids: list[Bid], need_id: str | None) -> Bid | None:
    """Of one call's bids (newest first), the one for this need: find_bid's choice, in memory."""
    own = [b for b in bids if b.need_id == need_id]
    return (own or [b for b in bids if b.need_id is None] or [None])[0]


def mark(session: Session, opportunity_id: int, need_id: str | None, status: str, user_id: int | None = None,
         note: str = "") -> Bid:
    """Create the bid for this call (and need) at `status`, or advance the existing one to it."""
    if status not in OPEN_STATUSES:
        raise BidError(f"can only mark a call interested, preparing or applied, not {status!r}")
    bid = find_bid(session, opportunity_id, need_id)
    if bid is None:
        return create_bid(session, opportunity_id, need_id=need_id, user_id=user_id, status=status, note=note)
    if bid.need_id is None and need_id is not None:
        bid.need_id = need_id
    if bid.owner_id is None:
        bid.owner_id = user_id
    return advance(session, bid, status, user_id=user_id, note=note)


def mark_interested(session: Session, match: Match, user_id: int | None = None, note: str = "") -> Bid:
    """Staff are interested in a match: create its bid, or reopen a withdrawn one. A match
    marked interested is no longer dismissed."""
    if match.dismissed:
        match.dismissed, match.dismissed_by = False, None
        session.add(match)
    return mark(session, match.opportunity_id, match.need_id, "interested", user_id, note)


def mark_applied(session: Session, opportunity_id: int, need_id: str | None = None, user_id: int | None = None,
                 note: str = "") -> Bid:
    """An application went in: create the bid at applied, or advance the existing one."""
    return mark(session, opportunity_id, need_id, "applied", user_id, note)


def update_details(session: Session, bid: Bid, *, user_id: int | None, owner_id: int | None,
                   amount_requested: int | None, amount_awarded: int | None, notes: str,
                   feedback: str | None = None) -> list[str]:
    """Change owner, amounts, notes and the funder's feedback (None: left as it is); one
    history event lists what changed."""
    changes = []
    fields = [("owner_id", owner_id), ("amount_requested", amount_requested),
              ("amount_awarded", amount_awarded), ("notes", notes)]
    if feedback is not None:
        fields.append(("feedback", feedback))
    for name, value in fields:
        old = getattr(bid, name)
        if old != value:
            if name in ("notes", "feedback"):
                changes.append(f"{'funder feedback' if name == 'feedback' else name} edited")
            else:
                changes.append(f"{name.replace('_', ' ')}: {old if old is not None else '-'} → "
                               f"{value if value is not None else '-'}")
            setattr(bid, name, value)
    for name in ("amount_requested", "amount_awarded"):
        value = getattr(bid, name)
        if value is not None and db_int(value) != value:
            raise BidError(f"{name.replace('_', ' ')} must be a whole number of pounds from 0 to {INT_MAX:,}")
    if changes:
        bid.updated_at = utcnow()
        session.add(bid)
        _event(session, bid, user_id, bid.status, bid.status, "; ".join(changes))
        session.flush()
    return changes


def history(session: Session, bid: Bid) -> list[BidEvent]:
    query = select(BidEvent).where(BidEvent.bid_id == bid.id).order_by(col(BidEvent.at), col(BidEvent.id))
    return list(session.exec(query))


def dismiss_match(session: Session, match: Match, by: str) -> Match:
    """Not relevant: the match stays dismissed (matching keeps the flag) and leaves the ranks."""
    match.dismissed, match.dismissed_by, match.rank = True, by, None
    session.add(match)
    return match


def restore_match(session: Session, match: Match) -> Match:
    match.dismissed, match.dismissed_by = False, None
    session.add(match)
    return match
