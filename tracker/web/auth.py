"""Sign in and out. Passwords are argon2 hashes. Failed attempts are limited per account
from one client address, per client address and for the whole site (tracker.web.login_limits);
the client address is read behind trusted proxies only (tracker.web.client_address)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select

from tracker.models import User
from tracker.users import hash_password, verify_password
from tracker.web import login_limits
from tracker.web.client_address import client_address
from tracker.web.deps import DB, current_user, render, safe_next, state

router = APIRouter(include_in_schema=False)
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))  # same work for unknown emails


@router.get("/login")
def login_form(request: Request, user: Annotated[User | None, Depends(current_user)],
               next: str = "/") -> Response:  # noqa: A002
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "email": "", "error": ""})


@router.post("/login")
def login(request: Request, session: DB, email: Annotated[str, Form(max_length=320)] = "",
          password: Annotated[str, Form(max_length=1024)] = "", next: Annotated[str, Form()] = "/") -> Response:  # noqa: A002
    email = email.strip().lower()
    web = state(request).settings.web
    limits = login_limits.limits_for(web, email, client_address(request, web.trusted_proxies))
    ctx = {"next": safe_next(next), "email": email}
    user = session.exec(select(User).where(User.email == email)).first()
    # Counted (and committed) before the slow hash check, so parallel guesses cannot all pass
    # and no database lock is held while hashing.
    refusal = login_limits.claim(session, limits)
    if refusal is not None:
        response = render(request, "login.html", {**ctx, "error": refusal.message}, status_code=429)
        response.headers["Retry-After"] = str(refusal.retry_after)
        return response
    ok = verify_password(password, user.password_hash if user and user.password_hash else _DUMMY_HASH)
    if user is None or not user.active or not user.password_hash or not ok:
        login_limits.prune(session, limits)
        session.commit()
        return render(request, "login.html", {**ctx, "error": "Enter a correct email address and password."},
                      status_code=401)
    login_limits.succeeded(session, limits)
    session.commit()
    request.session.clear()
    request.session.update({"uid": user.id, "ep": user.session_epoch, "csrf": secrets.token_urlsafe(32)})
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, session: DB, user: Annotated[User | None, Depends(current_user)]) -> Response:
    """Ends this session and every other copy of it: the user's session epoch moves on."""
    if user is not None:
        user.session_epoch += 1
        session.add(user)
        session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
