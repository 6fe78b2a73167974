"""CrawlRun rows left 'running' by a crawl whose runner is gone (killed together with its
crawl process, or the machine stopped): closed as killed, so none shows 'running' for ever.

Safe to call from any process at any time: a run is closed only when its owner process is
known to be gone (same host), or, on another host, when it has run past any crawl's time
limit (its runner would have killed the crawl and recorded it by then)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.models import CrawlRun, utcnow
from tracker.processes import owner_alive

GRACE = timedelta(minutes=10)  # the runner's own wind-down after its time limit, with room to spare


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def close_abandoned_runs(engine: Engine, time_limit: timedelta) -> int:
    """Mark 'running' crawl runs whose process is gone as killed; returns how many."""
    now = utcnow()
    with Session(engine) as session:
        running = list(session.exec(select(CrawlRun).where(CrawlRun.status == "running")))
    closed = 0
    for run in running:
        alive = owner_alive(run.owner) if run.owner else None
        if alive is False:
            why = f"the crawl's process ({run.owner}) ended without recording a result: killed"
        elif alive is None and now - _aware(run.started_at) > time_limit + GRACE:
            why = f"no result {time_limit + GRACE} after the start, past the crawl time limit: its process is gone"
        else:
            continue
        with engine.begin() as conn:  # conditional: another process may have closed it meanwhile
            closed += conn.execute(update(CrawlRun).where(CrawlRun.id == run.id, CrawlRun.status == "running")
                                   .values(status="killed", finished_at=now, error_text=why)).rowcount
    return closed
