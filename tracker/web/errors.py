"""Error pages that say what happened and leak nothing (no stack traces), and security
headers on every response."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracker.web.deps import CsrfFailed, Forbidden, LoginRequired, render

log = logging.getLogger("tracker.web")
TITLES = {400: "Bad request", 401: "Sign in required", 403: "You cannot do that", 404: "Page not found",
          405: "Not allowed", 422: "Check your answers", 429: "Too many attempts", 500: "Something went wrong"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def _is_api(request: Request) -> bool:
    """JSON answers (and 401 rather than a sign-in redirect): the API and its description."""
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_page(request: Request, status: int, message: str = "") -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message or TITLES.get(status, "error")}, status_code=status)
    return render(request, "error.html", {"status": status, "title": TITLES.get(status, "Error"),
                                          "message": message}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "a valid API token is required"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, _exc: Forbidden) -> Response:
        return error_page(request, 403, "Your role does not allow this. Ask an admin if you need access.")

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _exc: CsrfFailed) -> Response:
        return error_page(request, 403, "This form has expired or did not come from this site. "
                                        "Go back, reload the page and try again.")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else ""
        if exc.status_code == 404:
            message = "Check the address, or go back to the dashboard."
        response = error_page(request, exc.status_code, message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "request" for e in exc.errors()})
        return error_page(request, 422, "Some values were missing or not valid: " + ", ".join(fields))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        try:
            return error_page(request, 500, "The error has been logged. Try again, or tell an admin.")
        except Exception:  # noqa: BLE001 - the error page itself must not fail
            return Response("Something went wrong.", status_code=500, media_type="text/plain")


class SecurityHeaders:
    """Content-Security-Policy and friends on every response (pure ASGI: cheap)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for name, value in ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                                    (b"referrer-policy", b"same-origin"),
                                    (b"content-security-policy", CSP.encode())):
                    if name not in names:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
