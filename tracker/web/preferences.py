"""Digest preferences: how often (weekly, daily, off) and which needs. Every digest links
here with a signed token (no sign-in needed: the demo's team address has no password), and
signed-in users have the same form under their account. The `List-Unsubscribe` URL follows
RFC 8058: a POST with `List-Unsubscribe=One-Click` unsubscribes, without a session or CSRF
token (mail clients send neither; the signed token is the proof); a GET only asks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from tracker.digest.format import FREQUENCIES
from tracker.digest.tokens import TokenError, verify_preferences
from tracker.models import Need, User
from tracker.web.deps import DB, Viewer, flash, render, state

router = APIRouter(include_in_schema=False)
CHOICES = (*FREQUENCIES, "off")
ONE_CLICK_PREFIX = "/email/unsubscribe/"  # exempt from the session CSRF check (deps.verify_csrf)


def choice_of(user: User) -> str:
    return user.digest_frequency if user.digest else "off"


def save_preferences(session: Session, user: User, frequency: str, needs: list[str]) -> str:
    """Apply a preferences form; an error message, or '' when saved."""
    if frequency not in CHOICES:
        return f"how often must be one of {', '.join(CHOICES)}"
    known = set(session.exec(select(Need.id).where(col(Need.active).is_(True))).all())
    user.digest = frequency != "off"
    if user.digest:
        user.digest_frequency = frequency
    user.followed_needs = [n for n in needs if n in known]
    session.add(user)
    return ""


def _form(request: Request, session: Session, user: User, action: str, error: str = "", status: int = 200,
          unsubscribe: str = "") -> Response:
    needs = session.exec(select(Need).where(col(Need.active).is_(True)).order_by(Need.id)).all()
    return render(request, "digest_preferences.html",
                  {"u": user, "choice": choice_of(user), "needs": needs, "action": action, "error": error,
                   "unsubscribe": unsubscribe, "problem": ""}, status_code=status)


def _problem(request: Request, message: str, status: int) -> Response:
    return render(request, "digest_preferences.html", {"problem": message}, status_code=status)


def _user_of(request: Request, session: Session, token: str) -> User | str:
    try:
        user_id = verify_preferences(state(request).secret, token)
    except TokenError as exc:
        return str(exc)
    user = session.get(User, user_id)
    return user if user is not None else "The account this link was for no longer exists."


Frequency = Annotated[str, Form(max_length=20)]
NeedIds = Annotated[list[str], Form(max_length=200)]


@router.get("/email/preferences/{token}")
def token_preferences(request: Request, token: str, session: DB) -> Response:
    user = _user_of(request, session, token)
    if isinstance(user, str):
        return _problem(request, user, 400)
    return _form(request, session, user, f"/email/preferences/{token}", unsubscribe=f"{ONE_CLICK_PREFIX}{token}")


@router.post("/email/preferences/{token}")
def token_preferences_save(request: Request, token: str, session: DB, frequency: Frequency = "",
                           needs: NeedIds = []) -> Response:  # noqa: B006
    user = _user_of(request, session, token)
    if isinstance(user, str):
        return _problem(request, user, 400)
    error = save_preferences(session, user, frequency, needs)
    if error:
        return _form(request, session, user, f"/email/preferences/{token}", error, 422)
    session.commit()
    flash(request, "Saved your digest settings.")
    return RedirectResponse(f"/email/preferences/{token}", status_code=303)


@router.get("/email/unsubscribe/{token}")
def unsubscribe_confirm(request: Request, token: str, session: DB) -> Response:
    """Mail scanners open links: this only asks."""
    user = _user_of(request, session, token)
    if isinstance(user, str):
        return _problem(request, user, 400)
    return render(request, "unsubscribe.html", {"u": user, "token": token, "done": False, "on": user.digest})


OneClick = Annotated[str, Form(alias="List-Unsubscribe", max_length=20)]


@router.post("/email/unsubscribe/{token}")
def unsubscribe(request: Request, token: str, session: DB, one_click: OneClick = "") -> Response:
    """RFC 8058 one-click: the body must say `List-Unsubscribe=One-Click`."""
    if one_click != "One-Click":
        return _problem(request, "This request did not ask to unsubscribe (List-Unsubscribe=One-Click).", 400)
    user = _user_of(request, session, token)
    if isinstance(user, str):
        return _problem(request, user, 400)
    user.digest = False
    session.add(user)
    session.commit()
    return render(request, "unsubscribe.html", {"u": user, "token": token, "done": True, "on": False})


@router.get("/account/digest")
def account_preferences(request: Request, session: DB, user: Viewer) -> Response:
    return _form(request, session, user, "/account/digest")


@router.post("/account/digest")
def account_preferences_save(request: Request, session: DB, user: Viewer, frequency: Frequency = "",
                             needs: NeedIds = []) -> Response:  # noqa: B006
    error = save_preferences(session, user, frequency, needs)
    if error:
        return _form(request, session, user, "/account/digest", error, 422)
    session.commit()
    flash(request, "Saved your digest settings.")
    return RedirectResponse("/account/digest", status_code=303)
