"""Decisions: record bid / no bid for a call and a need with a reason; dismiss a match with
a reason (a no-bid decision); the whole record as CSV for audit and FOI requests."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from tracker.bounds import DbInt
from tracker.csvout import write_csv
from tracker.decisions import CSV_FIELDS, DECISIONS, REASONS, DecisionError, dismiss_with_reason, export_rows, record
from tracker.models import Match, Need, Opportunity
from tracker.web.deps import DB, Staff, Viewer, flash, get_or_404, render, safe_next
from tracker.web.opportunities import csv_response

router = APIRouter(include_in_schema=False)
Note = Annotated[str, Form(max_length=5000)]


def _split(choice: str) -> tuple[str, str]:
    """The form's one choice "no_bid:too_tight" as (decision, reason)."""
    decision, _, reason = choice.partition(":")
    return decision, reason


def _form(request: Request, session: Session, opp: Opportunity, *, action: str, back: str, need_id: str = "",
          choice: str = "", note: str = "", errors: list[str] | None = None,
          decisions: tuple[str, ...] = tuple(DECISIONS), fixed_need: Need | None = None,
          status_code: int = 200) -> Response:
    needs = [] if fixed_need else session.exec(select(Need).where(col(Need.active).is_(True)).order_by(Need.id)).all()
    return render(request, "decision_form.html", {
        "o": opp, "action": action, "back": safe_next(back or f"/opportunities/{opp.id}"), "need_id": need_id,
        "choice": choice, "note": note, "errors": errors or [], "needs": needs, "fixed_need": fixed_need,
        "groups": [(d, DECISIONS[d], REASONS[d]) for d in decisions]}, status_code=status_code)


@router.get("/opportunities/{opp_id}/decide")
def decide_form(request: Request, opp_id: DbInt, session: DB, user: Staff, need_id: str = "",
                back: str = "") -> Response:
    opp = get_or_404(session, Opportunity, opp_id)
    return _form(request, session, opp, action=f"/opportunities/{opp.id}/decisions", back=back, need_id=need_id)


@router.post("/opportunities/{opp_id}/decisions")
def decide(request: Request, opp_id: DbInt, session: DB, user: Staff, need_id: Annotated[str, Form()] = "",
           choice: Annotated[str, Form()] = "", note: Note = "", back: Annotated[str, Form()] = "") -> Response:
    opp = get_or_404(session, Opportunity, opp_id)
    errors = []
    if need_id and session.get(Need, need_id) is None:
        errors.append("Choose a need from the list")
    decision, reason = _split(choice)
    if not errors:
        try:
            record(session, opp.id, need_id or None, decision, reason, note, user.id)
        except DecisionError as exc:
            errors.append(str(exc))
    if errors:
        session.rollback()
        return _form(request, session, opp, action=f"/opportunities/{opp.id}/decisions", back=back,
                     need_id=need_id, choice=choice, note=note, errors=errors, status_code=422)
    session.commit()
    flash(request, f"Decision recorded: {DECISIONS[decision].lower()}.")
    return RedirectResponse(safe_next(back or f"/opportunities/{opp.id}#decisions"), status_code=303)


@router.get("/matches/{match_id}/dismiss")
def dismiss_form(request: Request, match_id: DbInt, session: DB, user: Staff, back: str = "") -> Response:
    """Asks why the match is not for us before dismissing it; showing this page changes nothing."""
    match = get_or_404(session, Match, match_id)
    return _form(request, session, session.get(Opportunity, match.opportunity_id),
                 action=f"/matches/{match.id}/dismiss", back=back or f"/needs/{match.need_id}",
                 decisions=("no_bid",), fixed_need=session.get(Need, match.need_id))


@router.post("/matches/{match_id}/dismiss")
def match_dismiss(request: Request, match_id: DbInt, session: DB, user: Staff, choice: Annotated[str, Form()] = "",
                  note: Note = "", back: Annotated[str, Form()] = "") -> Response:
    """Dismiss as not for us, with the reason: a no-bid decision for the match's need. Without a
    reason nothing changes and the form asks for one."""
    match = get_or_404(session, Match, match_id)
    if not choice:
        return RedirectResponse(f"/matches/{match.id}/dismiss?back={safe_next(back or f'/needs/{match.need_id}')}",
                                status_code=303)
    decision, reason = _split(choice)
    try:
        if decision != "no_bid":
            raise DecisionError("Choose why this match is not for us")
        dismiss_with_reason(session, match, reason, note, user)
    except DecisionError as exc:
        session.rollback()
        return _form(request, session, session.get(Opportunity, match.opportunity_id),
                     action=f"/matches/{match.id}/dismiss", back=back, choice=choice, note=note, errors=[str(exc)],
                     decisions=("no_bid",), fixed_need=session.get(Need, match.need_id), status_code=422)
    session.commit()
    flash(request, "Match dismissed as not for us, with the reason recorded. It will not come back in digests.")
    return RedirectResponse(safe_next(back or f"/needs/{match.need_id}"), status_code=303)


@router.get("/decisions.csv")
def decisions_csv(request: Request, session: DB, user: Viewer) -> Response:
    return csv_response(write_csv(CSV_FIELDS, export_rows(session)), "decisions.csv")
