"""What every route shares: the app state, a database session, the signed-in user and
role checks, CSRF checks and page rendering."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.config import Settings
from tracker.db import session_scope
from tracker.models import User

T = TypeVar("T")


def get_or_404(session: Session, model: type[T], key: object, detail: str | None = None) -> T:
    """The row with this primary key, or a 404 (the plain page, or `detail` for the API)."""
    row = session.get(model, key)
    if row is None:
        raise HTTPException(404, detail)
    return row

ROLE_LEVEL = {"viewer": 0, "staff": 1, "admin": 2}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The JSON API uses bearer tokens; a mail client's one-click unsubscribe (RFC 8058) POSTs
# with no cookie, and its signed URL is the proof.
CSRF_EXEMPT = ("/api/", "/email/unsubscribe/")


class LoginRequired(Exception):
    """No signed-in user (or a session that was logged out)."""


class Forbidden(Exception):
    """Signed in, but the role does not allow this."""


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


@dataclass(frozen=True)
class SignedIn:
    """What pages show of the signed-in user (safe to use after the session closes)."""

    id: int
    email: str
    role: str
    name: str


@dataclass
class WebState:
    settings: Settings
    engine: Engine
    read_engine: Engine
    templates: Jinja2Templates
    secret: str
    run_crawl: Callable[..., Any] | None = None  # jobs.crawl_runner.run_crawl unless a test swaps it

    def crawler(self) -> Callable[..., Any]:
        if self.run_crawl is None:
            from jobs.crawl_runner import run_crawl

            self.run_crawl = run_crawl
        return self.run_crawl


def state(request: Request) -> WebState:
    return request.app.state.web


def site_url(request: Request) -> str:
    """The address this page was asked for, no trailing slash: links shown on the web (and in the
    calendar feed fetched from it) lead back to where the user is. `[digest] base_url` is used
    when it names the same host and port, since behind a TLS proxy only it knows the scheme."""
    base = state(request).settings.digest.base_url.rstrip("/")
    if urlsplit(base).netloc.lower() == request.url.netloc.lower():
        return base
    return str(request.base_url).rstrip("/")


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session for this request: read-only (deferred, query-only) for GET and HEAD.

    An async dependency, though the session is not: it only opens a session (no query) and
    closes it, and a sync dependency would cost a hop to the thread pool and back on every request."""
    web = state(request)
    with session_scope(web.read_engine if request.method in ("GET", "HEAD") else web.engine) as session:
        yield session


DB = Annotated[Session, Depends(get_db)]


async def current_user(request: Request, session: DB) -> User | None:
    """The user of a live session: the session's epoch must equal the user's, so logging
    out (which bumps the epoch) ends every copy of the cookie. (Async for the same reason as
    get_db: one primary-key read is cheaper than the thread pool hop.)"""
    uid, epoch = request.session.get("uid"), request.session.get("ep")
    user = session.get(User, uid) if isinstance(uid, int) else None
    if user is None or not user.active or user.session_epoch != epoch:
        user = None
    request.state.user = SignedIn(user.id, user.email, user.role, user.name) if user else None
    return user


def require(role: str):  # noqa: ANN201 - a FastAPI dependency
    async def dependency(user: Annotated[User | None, Depends(current_user)]) -> User:
        if user is None:
            raise LoginRequired()
        if ROLE_LEVEL.get(user.role, -1) < ROLE_LEVEL[role]:
            raise Forbidden()
        return user

    return dependency


Viewer = Annotated[User, Depends(require("viewer"))]
Staff = Annotated[User, Depends(require("staff"))]
Admin = Annotated[User, Depends(require("admin"))]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def verify_csrf(request: Request) -> None:
    """Every state-changing request carries the session's CSRF token (form field
    `csrf_token` or header X-CSRF-Token). The JSON API uses bearer tokens, not cookies."""
    if request.method in SAFE_METHODS or request.url.path.startswith(CSRF_EXEMPT):
        return
    expected = request.session.get("csrf") or ""
    sent = request.headers.get("x-csrf-token", "")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            sent = str((await request.form()).get("csrf_token") or "")
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise CsrfFailed()


def render(request: Request, name: str, ctx: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    has_session = "session" in request.scope  # not on the last-resort 500 page
    context = {"user": getattr(request.state, "user", None),
               "csrf_token": csrf_token(request) if has_session else "",
               "flash": request.session.pop("flash", None) if has_session else None, **(ctx or {})}
    response = state(request).templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Vary"] = "Cookie, HX-Request"
    return response


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message


def safe_next(target: str | None) -> str:
    """A local path to go back to after signing in, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
