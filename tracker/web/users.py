"""Users (admin): accounts, roles, digest subscriptions and followed needs; and each
user's own account page: calendar feed URL and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import col, select

from tracker.bounds import DbInt
from tracker.models import ApiToken, Need, User
from tracker.users import ROLES, UserError, active_admins, add_user, check_password, hash_password, set_active
from tracker.web.deps import DB, Admin, Viewer, flash, get_or_404, render, site_url
from tracker.web.filters import person

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=1000)]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()



@router.get("/users")
def user_list(request: Request, session: DB, admin: Admin) -> Response:
    users = session.exec(select(User).order_by(User.email)).all()
    return render(request, "users.html", {"users": users, "roles": ROLES, "errors": [], "form": {}})


@router.post("/users")
def user_create(request: Request, session: DB, admin: Admin, email: Text = "", role: Text = "staff",
                name: Text = "", password: Text = "", digest: Annotated[bool, Form()] = False) -> Response:
    try:
        user = add_user(session, email, role, password, name=name, digest=digest)
    except UserError as exc:
        users = session.exec(select(User).order_by(User.email)).all()
        return render(request, "users.html", {"users": users, "roles": ROLES, "errors": [str(exc)],
                                              "form": {"email": email, "role": role, "name": name}},
                      status_code=422)
    session.commit()
    flash(request, f"Added {user.role} {user.email}.")
    return RedirectResponse(f"/users/{user.id}", status_code=303)


@router.get("/users/{user_id}")
def user_detail(request: Request, user_id: DbInt, session: DB, admin: Admin) -> Response:
    return render(request, "user.html", {"u": get_or_404(session, User, user_id), "roles": ROLES, "errors": [],
                                         "needs": session.exec(select(Need).order_by(Need.id)).all()})


@router.post("/users/{user_id}")
def user_update(request: Request, user_id: DbInt, session: DB, admin: Admin, role: Text = "staff",
                name: Text = "", digest: Annotated[bool, Form()] = False,
                active: Annotated[bool | None, Form()] = None,
                followed_needs: Annotated[list[str], Form()] = [],  # noqa: B006
                password: Text = "", confirmed: Text = "") -> Response:
    """Save the user's details. Switching the account off (`active` false) is asked first:
    without `confirmed=yes` nothing is saved and the confirmation page is shown."""
    user = get_or_404(session, User, user_id)
    active = user.active if active is None else active
    if user.active and not active and confirmed != "yes":
        return RedirectResponse(f"/users/{user.id}/disable", status_code=303)
    errors = []
    if role not in ROLES:
        errors.append(f"role must be one of {', '.join(ROLES)}")
    if password:  # empty: unchanged
        try:
            check_password(password)
        except UserError as exc:
            errors.append(str(exc))
    losing_admin = user.role == "admin" and user.active and (role != "admin" or not active)
    if losing_admin and active_admins(session) <= 1:
        errors.append("this is the last active admin: make another admin first")
    known = set(session.exec(select(Need.id)).all())
    if errors:
        return render(request, "user.html", {"u": user, "roles": ROLES, "errors": errors,
                                             "needs": session.exec(select(Need).order_by(Need.id)).all()},
                      status_code=422)
    user.role, user.name, user.digest = role, name.strip(), digest
    user.followed_needs = [n for n in followed_needs if n in known]
    if user.active and not active or password:
        user.session_epoch += 1  # deactivated or new password: sign them out everywhere
    user.active = active
    if password:
        user.password_hash = hash_password(password)
    session.add(user)
    session.commit()
    flash(request, f"Saved {user.email}.")
    return RedirectResponse(f"/users/{user.id}", status_code=303)


@router.get("/users/{user_id}/disable")
def user_disable_confirm(request: Request, user_id: DbInt, session: DB, admin: Admin) -> Response:
    """Asks before switching an account off; showing it changes nothing."""
    user = get_or_404(session, User, user_id)
    return render(request, "confirm.html", {
        "heading": f"Switch off {user.email}?", "warning": True,
        "lines": ["They are signed out everywhere and cannot sign in; their API tokens and digest links stop "
                  "working. Their bids and history stay. You can switch the account on again later."],
        "action": f"/users/{user.id}/active", "button": "Yes, switch this account off",
        "cancel": f"/users/{user.id}", "fields": {"active": "false"}})


@router.post("/users/{user_id}/active")
def user_active(request: Request, user_id: DbInt, session: DB, admin: Admin,
                active: Annotated[bool, Form()] = False) -> Response:
    user = get_or_404(session, User, user_id)
    try:
        set_active(session, user, active)
    except UserError as exc:
        raise HTTPException(422, str(exc)) from None
    session.commit()
    flash(request, f"{user.email} {'can sign in again' if active else 'is switched off'}.")
    return RedirectResponse(f"/users/{user.id}", status_code=303)


@router.get("/account")
def account(request: Request, session: DB, user: Viewer) -> Response:
    tokens = session.exec(select(ApiToken).where(ApiToken.user_id == user.id, col(ApiToken.revoked).is_(False))
                          .order_by(col(ApiToken.id))).all()
    base = site_url(request)
    return render(request, "account.html", {"tokens": tokens, "new_token": request.session.pop("new_token", None),
                                            "user_digest": user.digest_frequency if user.digest else "",
                                            "calendar_url": f"{base}/calendar/{user.calendar_token}.ics"
                                            if user.calendar_token else ""})


@router.post("/account/name")
def account_name(request: Request, session: DB, user: Viewer,
                 name: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Your name as others see it on bids and history (empty: the start of your email)."""
    user.name = " ".join(name.split())
    session.add(user)
    session.commit()
    flash(request, f"Your name is now shown as {person(user)}.")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens")
def token_create(request: Request, session: DB, user: Viewer, name: Text = "") -> Response:
    token = "trk_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name.strip() or "API token", token_hash=token_hash(token)))
    session.commit()
    request.session["new_token"] = token  # shown once, on the next page
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens/{token_id}/revoke")
def token_revoke(request: Request, token_id: DbInt, session: DB, user: Viewer) -> Response:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise HTTPException(404)
    row.revoked = True
    session.add(row)
    session.commit()
    flash(request, "Token revoked.")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/calendar")
def calendar_reset(request: Request, session: DB, user: Viewer) -> Response:
    """A new secret calendar address; the old one stops working."""
    user.calendar_token = secrets.token_urlsafe(24)
    session.add(user)
    session.commit()
    flash(request, "New calendar address made. Subscribe to it again in your calendar.")
    return RedirectResponse("/account", status_code=303)
