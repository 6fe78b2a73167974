"""Every job run is recorded: start, end, outcome and error."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.models import JobRun, utcnow


class RunLog:
    def __init__(self) -> None:
        self.detail = ""


@contextmanager
def recorded(engine: Engine, job_id: str, trigger: str = "schedule") -> Iterator[RunLog]:
    """Record a JobRun around a job; an exception is stored as the failure and re-raised."""
    with Session(engine) as session:
        run = JobRun(job_id=job_id, trigger=trigger)
        session.add(run)
        session.commit()
        run_id = run.id
    log = RunLog()
    outcome, detail = "ok", ""
    try:
        yield log
        detail = log.detail
    except BaseException as exc:
        outcome = "abandoned" if isinstance(exc, KeyboardInterrupt | SystemExit) else "failed"
        detail = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"[:4000]
        raise
    finally:
        with Session(engine) as session:
            row = session.get(JobRun, run_id)
            row.finished_at, row.outcome, row.detail = utcnow(), outcome, detail
            session.add(row)
            session.commit()


def abandon_running(engine: Engine, why: str) -> int:
    """Mark runs left 'running' (by a killed or stopped scheduler) as abandoned."""
    with engine.begin() as conn:
        result = conn.execute(update(JobRun).where(JobRun.outcome == "running")
                              .values(outcome="abandoned", finished_at=utcnow(), detail=why))
        return result.rowcount


def history(engine: Engine, job_id: str | None = None, limit: int = 50) -> list[JobRun]:
    with Session(engine) as session:
        query = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
        if job_id:
            query = query.where(JobRun.job_id == job_id)
        return list(session.exec(query))
