"""What every command shares: --config, settings, the database, clear errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.text import Text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.config import ConfigError, Settings, load_settings
from tracker.db import make_engine, session_scope, upgrade
from tracker.models import User

# Markup off: names, titles, URLs and error messages come from users and funder sites, and
# rich would read "[closed]" or "[bold]" in them as styles (and drop them). Colour is given
# explicitly with styled().
console = Console(markup=False)
err_console = Console(stderr=True, markup=False)

class Format(StrEnum):
    """--format of the list commands (click lists these on a wrong value)."""

    table = "table"
    json = "json"


ConfigOption = Annotated[
    str | None,
    typer.Option("--config", "-c", metavar="PATH", show_default=False,
                 help="config.toml to use (default: $TRACKER_CONFIG, ./config.toml)"),
]


def styled(*parts: str | tuple[str, str]) -> Text:
    """Literal text with some parts coloured: styled(("ok", "green"), " ", name)."""
    return Text.assemble(*parts)


def fail(message: str, code: int = 2) -> NoReturn:
    # soft_wrap: rich would otherwise break a long message into 80-column lines in a log or pipe
    err_console.print(styled(("error:", "bold red"), " ", message), highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@dataclass
class Context:
    settings: Settings
    engine: Engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            yield session


def open_context(config: str | None, *, sync: bool = True) -> Context:
    """Load settings, migrate the database and sync sources/recipients from config."""
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        fail(str(exc))
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # checked when settings load; this is what changed since
        fail(f"data folder {settings.data_dir}: {exc.strerror or exc}")
    try:
        engine = make_engine(settings.db_url)
        upgrade(engine)
    except Exception as exc:  # noqa: BLE001 - an unreachable database is a user error here
        fail(f"database {settings.db_url}: {exc}")
    ctx = Context(settings, engine)
    if sync:
        from tracker.sources import SourceError, sync_config_sources

        try:
            with ctx.session() as session:
                sync_config_sources(session, settings)
                sync_recipients(session, settings)
        except SourceError as exc:
            fail(f"{settings.config_path}: [[sources]]: {exc}")
    return ctx


def sync_recipients(session: Session, settings: Settings) -> None:
    """[digest] recipients in config become digest-subscribed viewer accounts."""
    for email in settings.digest.recipients:
        email = email.strip().lower()
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            session.add(User(email=email, role="viewer", digest=True))


def is_tty() -> bool:
    return sys.stdout.isatty()
