"""The web app factory: settings in, a FastAPI app out."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from tracker.config import Settings, load_settings
from tracker.db import make_engine
from tracker.digest.tokens import load_secret
from tracker.web import filters
from tracker.web.deps import WebState, verify_csrf
from tracker.web.errors import install_error_handlers
from tracker.web.readdb import make_read_engine

HERE = Path(__file__).parent
SESSION_HOURS = 8


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined if os.environ.get("TRACKER_STRICT_TEMPLATES")
                             else jinja2.Undefined)
    filters.install(env)
    return Jinja2Templates(env=env)


def create_app(settings: Settings) -> FastAPI:
    """Build the app for these settings (the database must already be migrated)."""
    engine = make_engine(settings.db_url)
    read_engine = make_read_engine(settings.db_url)
    secret = load_secret(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()
        read_engine.dispose()

    app = FastAPI(title="Funding tracker", summary="Funding opportunities, matches and bids (JSON API)",
                  version="1", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(verify_csrf)])
    app.state.web = WebState(settings=settings, engine=engine, read_engine=read_engine, templates=_templates(),
                             secret=secret)
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="tracker_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax",
                       https_only=settings.digest.base_url.startswith("https://"))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_error_handlers(app)
    from tracker.web import (
        actions,
        api,
        auth,
        bids,
        calendar,
        dashboard,
        decisions,
        funders,
        needs,
        opportunities,
        preferences,
        reports,
        schedules,
        sources,
        team,
        users,
    )

    for module in (auth, dashboard, opportunities, needs, funders, decisions, team, bids, reports, sources, users,
                   schedules, actions, preferences, calendar, api):
        app.include_router(module.router)
    app.include_router(api.docs_router)
    return app


def create_app_from_env() -> FastAPI:
    """For `uvicorn --factory`: settings from TRACKER_CONFIG / TRACKER_HOME / defaults."""
    return create_app(load_settings())
