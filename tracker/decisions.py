"""The decision record: for a call and a need, bid or no bid, with a reason from a short
list and free text, who decided and when. Each decision is a new row, so the record keeps
its history for audit and FOI requests; the latest row per call and need is the decision.

Deciding not to bid on a matched call dismisses the match (it leaves digests and lists);
dismissing a match records a no-bid decision: either way the reason is asked for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from tracker.bids import dismiss_match
from tracker.models import Decision, Match, Need, Opportunity, User

DECISIONS = {"bid": "Bid", "no_bid": "No bid"}
REASONS: dict[str, dict[str, str]] = {
    "bid": {
        "strong_fit": "Strong fit with the need",
        "council_priority": "A council priority",
        "partner_request": "A partner asked us to bid",
        "other": "Other (say why)",
    },
    "no_bid": {
        "not_relevant": "Not relevant to the need",
        "not_eligible": "We are not eligible",
        "too_tight": "Not enough time before the deadline",
        "too_small": "Too little money for the effort",
        "no_capacity": "No capacity to write the bid",
        "match_funding": "Match funding not available",
        "other": "Other (say why)",
    },
}
CSV_FIELDS = ("decided_at", "decision", "reason", "reason_text", "note", "decided_by", "need_id", "need_title",
              "opportunity_url", "title", "funder", "deadline")


class DecisionError(ValueError):
    """A decision the form cannot record; the message says what is missing."""


def reason_text(decision: str, reason: str) -> str:
    return REASONS.get(decision, {}).get(reason, reason)


def record(session: Session, opportunity_id: int, need_id: str | None, decision: str, reason: str,
           note: str = "", user_id: int | None = None) -> Decision:
    """Record a decision; a no-bid also dismisses the call's match for that need."""
    note = note.strip()
    if decision not in DECISIONS:
        raise DecisionError("Choose bid or no bid")
    if reason not in REASONS[decision]:
        raise DecisionError("Choose a reason from the list")
    if reason == "other" and not note:
        raise DecisionError("Say why in the note when the reason is 'other'")
    row = Decision(opportunity_id=opportunity_id, need_id=need_id or None, decision=decision, reason=reason,
                   note=note, user_id=user_id)
    session.add(row)
    if decision == "no_bid" and need_id:
        match = session.exec(select(Match).where(Match.opportunity_id == opportunity_id,
                                                 Match.need_id == need_id)).first()
        user = session.get(User, user_id) if user_id else None
        if match is not None and not match.dismissed:
            dismiss_match(session, match, user.email if user else "decision")
    session.flush()
    return row


def dismiss_with_reason(session: Session, match: Match, reason: str, note: str, user: User) -> Decision:
    """Dismiss a match as a no-bid decision for its need."""
    return record(session, match.opportunity_id, match.need_id, "no_bid", reason, note, user.id)


def latest(session: Session, opportunity_ids: Iterable[int]) -> dict[tuple[int, str | None], Decision]:
    """The current decision per (call, need) for these calls."""
    ids = sorted(set(opportunity_ids))
    out: dict[tuple[int, str | None], Decision] = {}
    for start in range(0, len(ids), 500):
        query = (select(Decision).where(col(Decision.opportunity_id).in_(ids[start:start + 500]))
                 .order_by(col(Decision.decided_at), col(Decision.id)))
        for row in session.exec(query):
            out[(row.opportunity_id, row.need_id)] = row
    return out


def by_call(current: dict[tuple[int, str | None], Decision]) -> dict[int, list[Decision]]:
    """The current decisions grouped by call, for list pages."""
    out: dict[int, list[Decision]] = {}
    for (opp_id, _need), row in sorted(current.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        out.setdefault(opp_id, []).append(row)
    return out


def history(session: Session, opportunity_id: int) -> list[Decision]:
    return list(session.exec(select(Decision).where(Decision.opportunity_id == opportunity_id)
                             .order_by(col(Decision.decided_at).desc(), col(Decision.id).desc())))


def export_rows(session: Session) -> list[dict[str, Any]]:
    """Every decision ever recorded, oldest first, as CSV rows (tracker.csvout makes them safe)."""
    users = {u.id: u.email for u in session.exec(select(User))}
    needs = dict(session.exec(select(Need.id, Need.title)).all())
    query = (select(Decision, Opportunity).join(Opportunity, Opportunity.id == Decision.opportunity_id)
             .order_by(col(Decision.decided_at), col(Decision.id)))
    return [{"decided_at": d.decided_at.isoformat(timespec="seconds"), "decision": d.decision, "reason": d.reason,
             "reason_text": reason_text(d.decision, d.reason), "note": d.note, "decided_by": users.get(d.user_id),
             "need_id": d.need_id, "need_title": needs.get(d.need_id), "opportunity_url": o.url, "title": o.title,
             "funder": o.funder, "deadline": o.deadline.isoformat() if o.deadline else None}
            for d, o in session.exec(query)]
