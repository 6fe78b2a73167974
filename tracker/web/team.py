"""Team work on a call page: assign to a colleague (emailed with one-click answers), answer
an assignment, comment with @mentions (emailed), follow the call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tracker.bounds import DbInt, db_int
from tracker.models import Assignment, Bid, Need, Opportunity, User
from tracker.team import TeamError, add_comment, answer, assign, set_follow
from tracker.team_mail import assignment_message, mention_message, queue, send_queued
from tracker.web.deps import DB, Staff, Viewer, flash, get_or_404, site_url, state
from tracker.web.filters import person

router = APIRouter(include_in_schema=False)


def _back(opp_id: int, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/opportunities/{opp_id}#{anchor}", status_code=303)


@router.post("/opportunities/{opp_id}/assign")
def assign_call(request: Request, opp_id: DbInt, session: DB, user: Staff, assignee_id: Annotated[str, Form()] = "",
                need_id: Annotated[str, Form()] = "", note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    opp = get_or_404(session, Opportunity, opp_id)
    if need_id and session.get(Need, need_id) is None:
        raise HTTPException(422, "no such need")
    try:
        row = assign(session, opp.id, db_int(assignee_id) if assignee_id.strip() else None, user, need_id, note)
    except TeamError as exc:
        raise HTTPException(422, str(exc)) from exc
    session.flush()  # the assignment's id goes into the email's signed links
    web = state(request)
    assignee = session.get(User, row.assignee_id)
    mail = queue(session, "assignment", assignment_message(web.settings, web.secret, row, opp, assignee, user,
                                                           site_url(request)), assignee.email)
    session.commit()
    failed = send_queued(session, web.settings, [mail.id]).failed
    flash(request, f"Asked {person(assignee)} to review it"
                   + ("; the email could not be sent yet and will be retried." if failed
                      else "; they have been emailed."))
    return _back(opp.id, "team")


@router.post("/assignments/{assignment_id}/answer")
def answer_assignment(request: Request, assignment_id: DbInt, session: DB, user: Staff,
                      action: Annotated[str, Form()] = "") -> Response:
    row = get_or_404(session, Assignment, assignment_id)
    try:
        answer(session, row, action, user)
    except TeamError as exc:
        raise HTTPException(403 if "Only" in str(exc) else 422, str(exc)) from exc
    session.commit()
    flash(request, "Answer recorded.")
    return _back(row.opportunity_id, "team")


@router.post("/opportunities/{opp_id}/comments")
def comment(request: Request, opp_id: DbInt, session: DB, user: Staff,
            body: Annotated[str, Form(max_length=20000)] = "", bid_id: Annotated[str, Form()] = "") -> Response:
    """A comment on the call, or on one of its bids (then shown on the bid's page too)."""
    opp = get_or_404(session, Opportunity, opp_id)
    bid = session.get(Bid, db_int(bid_id)) if bid_id.strip() else None
    if bid_id.strip() and (bid is None or bid.opportunity_id != opp.id):
        raise HTTPException(422, "no such bid on this call")
    try:
        row, people = add_comment(session, opp.id, user, body, bid_id=bid.id if bid else None)
    except TeamError as exc:
        raise HTTPException(422, str(exc)) from exc
    session.flush()  # the comment's id goes into the email's link
    web = state(request)
    mails = [queue(session, "mention", mention_message(web.settings, row, opp, p, user, site_url(request)), p.email)
             for p in people]
    session.commit()
    failed = send_queued(session, web.settings, [m.id for m in mails]).failed if mails else []
    names = ", ".join(p.name or p.email for p in people if p.email not in failed)
    flash(request, "Comment added." + (f" Emailed {names}." if names else "")
          + (f" Not emailed yet (will be retried): {', '.join(failed)}." if failed else ""))
    if bid is not None:
        return RedirectResponse(f"/bids/{bid.id}#comment-{row.id}", status_code=303)
    return _back(opp.id, f"comment-{row.id}")


@router.post("/opportunities/{opp_id}/follow")
def follow(request: Request, opp_id: DbInt, session: DB, user: Viewer,
           follow: Annotated[str, Form()] = "true") -> Response:
    opp = get_or_404(session, Opportunity, opp_id)
    on = set_follow(session, user, opp.id, follow == "true")
    session.commit()
    flash(request, "You follow this call: its changes come in your digest." if on else "You no longer follow it.")
    return _back(opp.id, "team")
