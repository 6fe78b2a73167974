"""One-click actions from digest emails. GET only shows what the link would do (mail
scanners open links); POST acts, once: the token is consumed in the same transaction."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from tracker.bids import advance, mark, mark_interested
from tracker.decisions import dismiss_with_reason
from tracker.digest.tokens import ActionToken, TokenError, consume, is_used, max_age_days, verify_action
from tracker.models import Assignment, Bid, Match, Need, Opportunity, User
from tracker.team import answer
from tracker.web.deps import DB, render, state

router = APIRouter(include_in_schema=False)
LABELS = {"interested": "Mark as interested", "not_relevant": "Dismiss as not relevant",
          "applied": "Mark the bid as applied", "look": "Tell the team you'll look at this call",
          "decline": "Tell the team this call is not for us"}
ITEMS = {"match": Match, "bid": Bid, "assignment": Assignment}


class ActionProblem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _check(request: Request, session: Session, raw: str) -> tuple[ActionToken, User, dict]:
    web = state(request)
    try:
        token = verify_action(web.secret, raw, max_age_days(web.settings))
    except TokenError as exc:
        raise ActionProblem(400, str(exc)) from exc
    user = session.get(User, token.user_id)
    if user is None or not user.active or user.role not in ("staff", "admin"):
        raise ActionProblem(403, "This link's account cannot make changes. Ask an admin.")
    item = session.get(ITEMS[token.kind], token.item_id)
    if item is None:
        raise ActionProblem(404, "The item this link refers to no longer exists.")
    opp = session.get(Opportunity, item.opportunity_id)
    need = session.get(Need, item.need_id) if item.need_id else None
    return token, user, {"item": item, "opp": opp, "need": need}


def _page(request: Request, status: int, **ctx: object) -> Response:
    return render(request, "action.html", {"label": "", "done": False, "problem": "", "token": "",
                                           "opp": None, "need": None, **ctx}, status_code=status)


@router.get("/actions/{token}")
def action_confirm(request: Request, token: str, session: DB) -> Response:
    try:
        parsed, user, found = _check(request, session, token)
    except ActionProblem as exc:
        return _page(request, exc.status, problem=exc.message)
    if is_used(session, parsed):
        return _page(request, 409, problem="This link has already been used. Open the tracker to see the "
                                           "current state.", opp=found["opp"])
    return _page(request, 200, label=LABELS[parsed.action], token=token, for_user=user.email, **found)


def _act(session: Session, token: ActionToken, user: User, item: Match | Bid | Assignment) -> str:
    if isinstance(item, Assignment):  # the link was signed for the assignee: only they can answer
        answer(session, item, token.action, user)
        return "Thank you: the team sees that you " + ("will look at it." if token.action == "look"
                                                       else "think it is not for us.")
    if isinstance(item, Bid):
        advance(session, item, "applied", user_id=user.id, note="from a digest link")
        return f"The bid is now {item.status}."
    if token.action == "not_relevant":
        dismiss_with_reason(session, item, "not_relevant", "from a digest link", user)
        return "Dismissed as not relevant. It will not come back in your digests."
    if token.action == "interested":
        bid = mark_interested(session, item, user.id, note="from a digest link")
    else:
        bid = mark(session, item.opportunity_id, item.need_id, "applied", user.id, "from a digest link")
    return f"The bid is now {bid.status}."


@router.post("/actions/{token}")
def action_do(request: Request, token: str, session: DB) -> Response:
    try:
        parsed, user, found = _check(request, session, token)
    except ActionProblem as exc:
        return _page(request, exc.status, problem=exc.message)
    if not consume(session, parsed):
        session.rollback()
        return _page(request, 409, problem="This link has already been used. Nothing was changed.",
                     opp=found["opp"])
    message = _act(session, parsed, user, found["item"])
    session.commit()
    return _page(request, 200, done=True, label=message, opp=found["opp"], need=found["need"])
