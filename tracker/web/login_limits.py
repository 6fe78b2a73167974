"""Sign-in rate limits that hold with several workers and parallel requests.

Each attempt is counted before its password is checked, by one atomic upsert per limit
(INSERT ... ON CONFLICT DO UPDATE ... RETURNING count): of N parallel guesses only the
allowed number reach the password check, on SQLite and PostgreSQL alike. A refused attempt
counts against nothing (its transaction is rolled back); a successful one is given back, so
the limits count failures."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from tracker.config import WebSettings
from tracker.models import LoginLimit, utcnow

SITE_WINDOW = timedelta(minutes=1)
TABLE = LoginLimit.__table__
_UPSERTS: dict[str, Callable] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class Limit:
    key: str
    most: int
    window: timedelta
    forget_on_success: bool = False  # the right password clears earlier failures (an account's typos)


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # seconds until the window that refused ends

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return f"Too many failed attempts. Wait {minutes} minute{'s' if minutes > 1 else ''}, then try again."


def limits_for(settings: WebSettings, email: str, address: str) -> list[Limit]:
    """The limits one attempt counts against. Always in this order: concurrent transactions
    then lock the counter rows in one order and cannot deadlock."""
    window = timedelta(minutes=settings.login_window_minutes)
    return [Limit(f"address|{address}", settings.login_failures_per_address, window),
            Limit(f"account|{email}|{address}", settings.login_failures_per_account, window,
                  forget_on_success=True),
            Limit("site", settings.login_failures_per_minute, SITE_WINDOW)]


def claim(session: Session, limits: list[Limit], now: datetime | None = None) -> Refusal | None:
    """Count this attempt against every limit and commit, or roll back and say how long to
    wait if any limit is used up."""
    now = now or utcnow()
    for limit in limits:
        count, started = _count(session, limit, now)
        if count > limit.most:
            session.rollback()
            return Refusal(max(1, math.ceil((started + limit.window - now).total_seconds())))
    session.commit()
    return None


def _count(session: Session, limit: Limit, now: datetime) -> tuple[int, datetime]:
    dialect = session.get_bind().dialect.name
    if dialect not in _UPSERTS:
        raise RuntimeError(f"sign-in limits need SQLite or PostgreSQL (INSERT ... ON CONFLICT), not {dialect}")
    stamp = TABLE.c.window_start.type
    lapsed = TABLE.c.window_start <= literal(now - limit.window, stamp)
    upsert = _UPSERTS[dialect](TABLE).values(key=limit.key, window_start=now, count=1)
    # Both CASEs read the row as it was: SQLite and PostgreSQL evaluate SET before assigning.
    upsert = upsert.on_conflict_do_update(index_elements=[TABLE.c.key], set_={
        "count": case((lapsed, 1), else_=TABLE.c.count + 1),
        "window_start": case((lapsed, literal(now, stamp)), else_=TABLE.c.window_start),
    }).returning(TABLE.c.count, TABLE.c.window_start)
    count, started = session.execute(upsert).one()
    return count, started


def succeeded(session: Session, limits: list[Limit]) -> None:
    """The password was right: give this attempt back (an address that signs in a lot is not
    locked out by its own successes) and forget the account's earlier failures."""
    for limit in limits:
        row = TABLE.c.key == limit.key
        if limit.forget_on_success:
            session.execute(delete(TABLE).where(row))
        else:
            session.execute(update(TABLE).where(row, TABLE.c.count > 0).values(count=TABLE.c.count - 1))


def prune(session: Session, limits: list[Limit], now: datetime | None = None) -> None:
    """Drop counters whose window has passed (they would restart at 1 anyway). Rows another
    login holds are skipped, not waited for: waiting in index order could deadlock with it."""
    cutoff = (now or utcnow()) - max(limit.window for limit in limits)
    lapsed = select(TABLE.c.key).where(TABLE.c.window_start < cutoff).with_for_update(skip_locked=True)
    session.execute(delete(TABLE).where(TABLE.c.key.in_(lapsed)))
