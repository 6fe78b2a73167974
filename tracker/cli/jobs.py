"""`tracker scheduler`, `tracker run` and `tracker jobs ...`."""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text
from sqlmodel import select

from tracker.cli.common import ConfigOption, console, fail, open_context

app = typer.Typer(help="Scheduled jobs.", no_args_is_help=True)
RUNNERS = {"digest:weekly": "weekly_digest", "digest:daily": "daily_digest", "reminders:daily": "deadline_reminders",
           "health:weekly": "health_check", "match:all": "match_all"}


def scheduler(config: ConfigOption = None) -> None:
    """Run the scheduled jobs (one active scheduler per database; others stand by)."""
    from jobs.scheduler import run_scheduler

    ctx = open_context(config)
    run_scheduler(ctx.engine, ctx.settings, say=lambda m: console.print(m, highlight=False))


def worker(
    concurrency: Annotated[int, typer.Option(min=1, max=64,
                                             help="jobs run at once (each crawl in its own process)")] = 1,
    queues: Annotated[str | None, typer.Option(help="comma-separated queues to take jobs from "
                                                    "(crawl, crawl-api, match, digest); default all")] = None,
    config: ConfigOption = None,
) -> None:
    """Run queued jobs ([workers] mode = "queue", PostgreSQL); start as many as you like, anywhere."""
    from jobs.queue import QUEUES
    from jobs.worker import run_worker

    ctx = open_context(config, sync=False)
    if ctx.settings.workers.mode != "queue":
        fail('tracker worker needs [workers] mode = "queue" in the config (PostgreSQL); '
             "in inline mode the scheduler runs every job itself")
    chosen = [q.strip() for q in queues.split(",") if q.strip()] if queues else None
    unknown = [q for q in chosen or [] if q not in QUEUES]
    if unknown:
        fail(f"--queues: unknown queue(s) {', '.join(unknown)}; queues: {', '.join(QUEUES)}")
    run_worker(ctx.settings, ctx.engine, concurrency=concurrency, queues=chosen,
               say=lambda m: console.print(m, highlight=False))


def run(host: Annotated[str, typer.Option()] = "127.0.0.1", port: Annotated[int, typer.Option()] = 8000,
        config: ConfigOption = None) -> None:
    """Start the scheduler and the web server together (the one long-running command)."""
    import uvicorn

    from jobs.scheduler import run_scheduler
    from tracker.cli.listen import listen, served_url, warn_base_url
    from tracker.digest.tokens import load_secret
    from tracker.web import create_app

    ctx = open_context(config)
    load_secret(ctx.settings)
    sock = listen(host, port)
    console.print(f"serving on {served_url(sock)}/", highlight=False)
    warn_base_url(ctx.settings, sock)
    stop = threading.Event()

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self):  # noqa: ANN202
            # uvicorn re-raises SIGTERM after its shutdown, which would kill the process before
            # the scheduler has stopped its crawls and released its lease: stop both here instead.
            def handle(signum, frame) -> None:  # noqa: ANN001
                self.should_exit = True
                stop.set()

            previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    worker = threading.Thread(target=run_scheduler, args=(ctx.engine, ctx.settings, stop),
                              kwargs={"say": lambda m: console.print(m, highlight=False)}, daemon=True)
    worker.start()
    # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1 by default; the app
    # reads it itself, only from [web] trusted_proxies.
    server = Server(uvicorn.Config(create_app(ctx.settings), host=host, port=port, log_level="info",
                                   proxy_headers=False, server_header=False))
    try:
        server.run(sockets=[sock])
    finally:
        stop.set()
        worker.join(timeout=10)


def _job_ids(ctx) -> dict[str, object]:  # noqa: ANN001
    from jobs.scheduler import desired_jobs

    with ctx.session() as session:
        return {d.id: d for d in desired_jobs(session, ctx.settings)}


@app.command("list")
def list_(config: ConfigOption = None) -> None:
    """List jobs with schedule, next run, paused state and last outcome."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    from tracker.models import JobControl, JobRun

    ctx = open_context(config)
    wanted = _job_ids(ctx)
    try:
        stored = {j.id: j for j in SQLAlchemyJobStore(engine=ctx.engine, tablename="apscheduler_jobs").get_all_jobs()}
    except Exception:  # noqa: BLE001 - no scheduler has run yet: the table does not exist
        stored = {}
    with ctx.session() as session:
        paused = {c.job_id for c in session.exec(select(JobControl).where(JobControl.paused == True))}  # noqa: E712
        last = {}
        for run_ in session.exec(select(JobRun).order_by(JobRun.id)):
            last[run_.job_id] = run_
    table = Table(title="jobs")
    for col in ("job", "schedule", "next run", "state", "last run"):
        table.add_column(col, overflow="fold")
    for job_id, d in wanted.items():
        job = stored.get(job_id)
        nxt = job.next_run_time.isoformat(timespec="minutes") if job and job.next_run_time else "-"
        prev = last.get(job_id)
        table.add_row(job_id, d.cron, nxt, "paused" if job_id in paused else "active",
                      f"{prev.outcome} {prev.started_at.isoformat(timespec='minutes')}" if prev else "never")
    console.print(table)


@app.command("queue")
def queue_(config: ConfigOption = None) -> None:
    """Queued, running and failed jobs of the task queue (queue mode), with their worker."""
    from jobs.queue import list_queue, make_app

    ctx = open_context(config, sync=False)
    if ctx.settings.workers.mode != "queue":
        fail('no task queue: [workers] mode is "inline" (the scheduler runs jobs itself; see `tracker jobs history`)')
    rows = list_queue(make_app(ctx.settings), ctx.engine)
    table = Table(title="task queue")
    for col in ("job", "queue", "task", "for", "status", "attempts", "worker", "since"):
        table.add_column(col, overflow="fold")
    shown = {"todo": "queued", "doing": "running", "failed": "failed"}
    for r in rows:
        table.add_row(str(r.id), r.queue, r.task, Text(r.what), shown.get(r.status, r.status), str(r.attempts),
                      Text(r.worker or "-"), r.since.isoformat(timespec="seconds") if r.since else "-")
    console.print(table)
    counts = {s: sum(r.status == s for r in rows) for s in shown}
    console.print(", ".join(f"{n} {shown[s]}" for s, n in counts.items()), highlight=False)


@app.command("run-now")
def run_now(job: str, config: ConfigOption = None) -> None:
    """Run a job now, in this process, and record it in the history."""
    from jobs import tasks

    ctx = open_context(config)
    wanted = _job_ids(ctx)
    if job not in wanted and job not in RUNNERS:
        fail(f"no job {job!r}; jobs: {', '.join(wanted)}")
    tasks.configure(ctx.settings, ctx.engine)
    try:
        # here, not on the task queue, whatever [workers] mode says
        if job.startswith("crawl:"):
            detail = tasks.crawl_now(job.split(":", 1)[1], trigger="run-now")
        elif job.startswith("digest:"):
            detail = tasks.digest_now(job.split(":", 1)[1], trigger="run-now")
        elif job == "match:all":
            detail = tasks.match_now(trigger="run-now")
        else:
            detail = getattr(tasks, RUNNERS[job])(trigger="run-now")
    except Exception as exc:  # noqa: BLE001 - recorded in the history; shown plainly here
        fail(f"{job} failed: {exc}", code=1)
    console.print(f"{job}: {detail}", highlight=False)


def _pause(job: str, paused: bool, config: str | None) -> None:
    from tracker.models import JobControl, utcnow

    ctx = open_context(config)
    if job not in _job_ids(ctx):
        fail(f"no job {job!r}; see `tracker jobs list`")
    with ctx.session() as session:
        control = session.get(JobControl, job) or JobControl(job_id=job)
        control.paused, control.updated_at = paused, utcnow()
        session.add(control)
    console.print(f"{job}: {'paused' if paused else 'resumed'} (the running scheduler applies it within a minute)",
                  highlight=False)


@app.command("pause")
def pause(job: str, config: ConfigOption = None) -> None:
    """Pause a job."""
    _pause(job, True, config)


@app.command("resume")
def resume(job: str, config: ConfigOption = None) -> None:
    """Resume a paused job."""
    _pause(job, False, config)


@app.command("history")
def history_(job: Annotated[str | None, typer.Option(help="only this job")] = None,
             limit: Annotated[int, typer.Option()] = 30, config: ConfigOption = None) -> None:
    """Show recent job runs: start, end, outcome, error."""
    from jobs.history import history

    ctx = open_context(config)
    table = Table(title="job runs")
    for col in ("job", "trigger", "started", "finished", "outcome", "detail"):
        table.add_column(col, overflow="fold")
    for r in history(ctx.engine, job, limit):
        table.add_row(r.job_id, r.trigger, r.started_at.isoformat(timespec="seconds"),
                      r.finished_at.isoformat(timespec="seconds") if r.finished_at else "-", r.outcome,
                      r.detail.splitlines()[0][:120] if r.detail else "")
    console.print(table)
