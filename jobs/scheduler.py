"""APScheduler 3 wiring: which jobs exist, their triggers, and the run loop with the
single-scheduler lease and a clean SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from jobs import lease, tasks
from jobs.crawl_records import close_abandoned_runs
from jobs.history import abandon_running
from tracker.config import Settings
from tracker.cron import cron_trigger
from tracker.models import JobControl, Source

logger = logging.getLogger("tracker.scheduler")
DAILY_DAYS = "mon-fri"  # daily digests go on working days; Monday's covers the weekend
CRAWL_JITTER = 600  # seconds: sources sharing a cron are not all hit at once


@dataclass
class JobDef:
    id: str
    func: str
    cron: str
    description: str
    kwargs: dict = field(default_factory=dict)
    jitter: int | None = None

    @property
    def marker(self) -> str:
        return f"{self.description} [{self.cron}]"


def desired_jobs(session: Session, settings: Settings) -> list[JobDef]:
    controls = {c.job_id: c for c in session.exec(select(JobControl))}

    def cron(job_id: str, default: str) -> str:
        control = controls.get(job_id)
        return control.schedule if control and control.schedule else default

    jobs = []
    for source in session.exec(select(Source).where(Source.enabled == True).order_by(Source.name)):  # noqa: E712
        job_id = f"crawl:{source.name}"
        jobs.append(JobDef(job_id, "jobs.tasks:crawl", cron(job_id, source.schedule or settings.schedule.crawl),
                           f"crawl {source.name}", {"source_name": source.name}, CRAWL_JITTER))
    hh, mm = settings.digest.time.split(":")
    jobs.append(JobDef("digest:weekly", "jobs.tasks:weekly_digest",
                       cron("digest:weekly", f"{int(mm)} {int(hh)} * * {settings.digest.weekday}"), "weekly digest"))
    jobs.append(JobDef("digest:daily", "jobs.tasks:daily_digest",
                       cron("digest:daily", f"{int(mm)} {int(hh)} * * {DAILY_DAYS}"), "daily digest"))
    jobs.append(JobDef("reminders:daily", "jobs.tasks:deadline_reminders", cron("reminders:daily", "30 7 * * *"),
                       "deadline reminders"))
    jobs.append(JobDef("health:weekly", "jobs.tasks:health_check", cron("health:weekly", "0 7 * * mon"),
                       "source health check"))
    jobs.append(JobDef("mail:retry", "jobs.tasks:team_mail_retry", cron("mail:retry", "*/10 * * * *"),
                       "retry team emails"))
    return jobs


def build_scheduler(engine: Engine, settings: Settings) -> BackgroundScheduler:
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")},
        executors={"default": ThreadPoolExecutor(2)},
        # A job missed while the machine was off runs once on start, not once per missed slot.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=settings.digest.timezone,
    )


def sync_jobs(scheduler: BackgroundScheduler, engine: Engine, settings: Settings) -> list[str]:
    """Make the scheduler's jobs match sources, config and admin controls. A job whose
    schedule did not change keeps its next run time (so missed runs are not lost)."""
    tz = settings.digest.timezone
    # Read everything first and end the transaction: the job store writes to the same
    # database, and an open SQLite transaction would lock it out.
    with Session(engine) as session:
        wanted = {d.id: d for d in desired_jobs(session, settings)}
        paused = {c.job_id for c in session.exec(select(JobControl).where(JobControl.paused == True))}  # noqa: E712
    changes = []
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            job.remove()
            changes.append(f"removed {job.id}")
    for d in wanted.values():
        job = scheduler.get_job(d.id)
        if job is None:
            job = scheduler.add_job(d.func, trigger=cron_trigger(d.cron, tz, d.jitter), id=d.id, name=d.marker,
                                    kwargs=d.kwargs, replace_existing=True)
            changes.append(f"added {d.id}")
        elif job.name != d.marker:
            job = job.modify(name=d.marker)
            job = scheduler.reschedule_job(d.id, trigger=cron_trigger(d.cron, tz, d.jitter))
            changes.append(f"rescheduled {d.id}")
        if d.id in paused and job.next_run_time is not None:
            scheduler.pause_job(d.id)
            changes.append(f"paused {d.id}")
        elif d.id not in paused and job.next_run_time is None:
            scheduler.resume_job(d.id)
            changes.append(f"resumed {d.id}")
    return changes


def run_scheduler(engine: Engine, settings: Settings, stop: threading.Event | None = None,
                  say: Callable[[str], None] = print, poll: float = 5.0, sync_every: float = 60.0) -> None:
    """Stand by until the lease is ours, then run jobs until stopped (SIGTERM/SIGINT)."""
    from jobs.crawl_runner import abort_all

    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    tasks.configure(settings, engine)
    holder = lease.new_holder()
    ttl = lease.lease_ttl()
    while not stop.is_set():
        if lease.try_acquire(engine, holder, ttl):
            break
        current = lease.current_holder(engine)
        say(f"another scheduler is active ({current.holder if current else 'unknown'}); standing by")
        stop.wait(poll)
    if stop.is_set():
        return
    abandoned = abandon_running(engine, "scheduler stopped while the job ran")
    closed_runs = close_abandoned_runs(engine, timedelta(minutes=settings.crawl.timeout_minutes))
    say(f"scheduler active as {holder}" + (f"; {abandoned} interrupted run(s) marked abandoned" if abandoned else "")
        + (f"; {closed_runs} crawl run(s) whose process is gone marked killed" if closed_runs else ""))
    scheduler = build_scheduler(engine, settings)
    scheduler.start(paused=True)
    for change in sync_jobs(scheduler, engine, settings):
        logger.info(change)
    scheduler.resume()
    renew_every = max(ttl / 3, 0.5)
    since_sync = 0.0
    try:
        while not stop.wait(renew_every):
            if not lease.try_acquire(engine, holder, ttl):
                say("lost the scheduler lease; stopping")
                break
            since_sync += renew_every
            if since_sync >= sync_every:
                since_sync = 0.0
                for change in sync_jobs(scheduler, engine, settings):
                    say(change)
    finally:
        killed = abort_all()
        closer = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True)
        closer.start()
        closer.join(timeout=5)
        abandon_running(engine, "scheduler stopped while the job ran")
        lease.release(engine, holder)
        say("scheduler stopped" + (f" ({killed} crawl(s) abandoned)" if killed else ""))
