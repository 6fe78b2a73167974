"""Sign in and out. Passwords are argon2 hashes; five failed attempts for one email from
one address within 15 minutes lock that pair out until the window passes."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, delete, func, select

from tracker.models import LoginFailure, User, utcnow
from tracker.users import hash_password, verify_password
from tracker.web.deps import DB, current_user, render, safe_next

router = APIRouter(include_in_schema=False)
MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))  # same work for unknown emails


def _key(email: str, request: Request) -> str:
    host = request.client.host if request.client else "unknown"
    return f"{email}|{host}"


def recent_failures(session: Session, key: str) -> int:
    since = utcnow() - WINDOW
    query = select(func.count()).select_from(LoginFailure).where(LoginFailure.key == key,
                                                                  col(LoginFailure.at) >= since)
    return int(session.exec(query).one())


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
    key = _key(email, request)
    ctx = {"next": safe_next(next), "email": email}
    if recent_failures(session, key) >= MAX_FAILURES:
        return render(request, "login.html", {**ctx, "error": "Too many failed attempts. Wait 15 minutes, "
                                              "then try again."}, status_code=429)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password, user.password_hash if user and user.password_hash else _DUMMY_HASH)
    if user is None or not user.active or not user.password_hash or not ok:
        session.exec(delete(LoginFailure).where(col(LoginFailure.at) < utcnow() - WINDOW))
        session.add(LoginFailure(key=key))
        session.commit()
        return render(request, "login.html", {**ctx, "error": "Enter a correct email address and password."},
                      status_code=401)
    session.exec(delete(LoginFailure).where(LoginFailure.key == key))
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
