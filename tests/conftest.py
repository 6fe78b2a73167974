"""Shared fixtures: settings in a temp home, and a migrated database on SQLite and,
when TRACKER_TEST_DATABASE_URL is set, on PostgreSQL too."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from tracker.config import Settings
from tracker.db import make_engine, normalise_url, upgrade

PG_URL = os.environ.get("TRACKER_TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("TRACKER_CONFIG", "TRACKER_HOME", "TRACKER_DATABASE_URL", "TRACKER_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return normalise_url(PG_URL) + f"{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An engine on TRACKER_TEST_DATABASE_URL. Unset: PostgreSQL runs are skipped. Set but the
    server does not answer: every PostgreSQL run fails with one line saying so (CI sets the
    variable, and a database that silently went missing must not turn into green skips)."""
    if not PG_URL:
        pytest.skip("PostgreSQL runs need TRACKER_TEST_DATABASE_URL (set by .ci/run)")
    admin = make_engine(PG_URL)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        admin.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        pytest.fail(f"TRACKER_TEST_DATABASE_URL={PG_URL} is set but PostgreSQL does not answer: {reason}",
                    pytrace=False)
    yield admin
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for an empty database, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    with _fresh_schema(request.getfixturevalue("pg_admin")) as url:
        yield url


@contextmanager
def _fresh_schema(admin: Engine) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[str]:
    """A URL for an empty PostgreSQL schema, for tests of what only PostgreSQL does (queue mode)."""
    with _fresh_schema(pg_admin) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    s = Settings(data_dir=tmp_path / "home", database_url=db_url)
    s.crawl.allow_hosts = ["127.0.0.1"]
    s.crawl.download_delay = 0
    return s


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """SQLite only, for tests that are about behaviour rather than the backend."""
    eng = make_engine(f"sqlite:///{tmp_path / 'only.db'}")
    upgrade(eng)
    yield eng
    eng.dispose()
