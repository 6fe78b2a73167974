"""The single-scheduler lease: a row in the tracker's database that the active scheduler
renews; another copy stands by and takes over once the lease has expired."""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tracker.models import SchedulerLease, utcnow

LEASE_NAME = "scheduler"


def lease_ttl() -> float:
    """Seconds a lease lasts without renewal (TRACKER_LEASE_TTL; default 45)."""
    return float(os.environ.get("TRACKER_LEASE_TTL", "45"))


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def try_acquire(engine: Engine, holder: str, ttl: float | None = None) -> bool:
    """Take or renew the lease; True when `holder` now holds it."""
    now = utcnow()
    expires = now + timedelta(seconds=ttl if ttl is not None else lease_ttl())
    with engine.begin() as conn:
        result = conn.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == LEASE_NAME)
            .where(or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now))
            .values(holder=holder, expires_at=expires)
        )
        if result.rowcount == 1:
            return True
    try:
        with Session(engine) as session:
            if session.get(SchedulerLease, LEASE_NAME) is not None:
                return False
            session.add(SchedulerLease(name=LEASE_NAME, holder=holder, expires_at=expires, acquired_at=now))
            session.commit()
            return True
    except IntegrityError:
        return False


def current_holder(engine: Engine) -> SchedulerLease | None:
    with Session(engine) as session:
        return session.get(SchedulerLease, LEASE_NAME)


def release(engine: Engine, holder: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(SchedulerLease).where(SchedulerLease.name == LEASE_NAME)
                     .where(SchedulerLease.holder == holder).values(expires_at=utcnow() - timedelta(seconds=1)))
