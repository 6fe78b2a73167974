"""The task queue of queue mode ([workers] mode = "queue", PostgreSQL): procrastinate jobs for
crawls, matching and digests, put on the queue by the scheduler or `tracker crawl` and run by
`tracker worker` processes on any number of machines.

- A crawl is one job per source, locked by the source's id: procrastinate starts no job whose
  lock another job holds ('doing'), so a source is never crawled by two workers at once; and a
  queueing lock, so a source waiting on the queue is not queued twice.
- Sources of the [workers] api_kinds (rate-limited APIs) go to the "crawl-api" queue and share
  one lock: one such crawl at a time across every worker.
- Digests share a lock per frequency, and the digest ledger sends each recipient's week (or
  day) once whichever worker runs it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from procrastinate import App, Blueprint, JobContext, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.engine import make_url

from tracker.config import Settings

CRAWL, CRAWL_API, MATCH, DIGEST = "crawl", "crawl-api", "match", "digest"
QUEUES = (CRAWL, CRAWL_API, MATCH, DIGEST)
NAMESPACE = "tracker"
FINISHED = {"succeeded", "failed", "cancelled", "aborted"}

tasks = Blueprint()


class CrawlInterrupted(RuntimeError):
    """The crawl's process was killed (its worker stopped, or the machine ran out of memory): run
    it again later rather than wait for the next scheduled time."""


def _seen(context: JobContext) -> None:
    """Remember which worker runs this job, by the name it gave (host:pid), for `jobs queue`."""
    from sqlalchemy.dialects.postgresql import insert

    from jobs import tasks as jobs_tasks
    from tracker.models import QueueWorker, utcnow

    worker_id = context.job.worker_id
    if worker_id is None:
        return
    _, engine = jobs_tasks.context()
    with engine.begin() as conn:
        statement = insert(QueueWorker).values(id=worker_id, name=context.worker_name or "", seen_at=utcnow())
        conn.execute(statement.on_conflict_do_nothing(index_elements=["id"]))


@tasks.task(name="crawl", queue=CRAWL, pass_context=True,
            retry=RetryStrategy(max_attempts=2, wait=60, retry_exceptions={CrawlInterrupted}))
def crawl_job(context: JobContext, source_name: str, trigger: str = "queue") -> str:
    from jobs import tasks as jobs_tasks

    _seen(context)
    return jobs_tasks.crawl_now(source_name, trigger)


@tasks.task(name="match", queue=MATCH, pass_context=True)
def match_job(context: JobContext, trigger: str = "queue") -> str:
    from jobs import tasks as jobs_tasks

    _seen(context)
    return jobs_tasks.match_now(trigger)


@tasks.task(name="digest", queue=DIGEST, pass_context=True)
def digest_job(context: JobContext, frequency: str, trigger: str = "queue") -> str:
    from jobs import tasks as jobs_tasks

    _seen(context)
    return jobs_tasks.digest_now(frequency, trigger)


def conninfo(settings: Settings) -> str:
    """The libpq address of the tracker's database (its search_path option kept, so the queue's
    tables are found in the same schema as the tracker's)."""
    url = make_url(settings.db_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def make_app(settings: Settings) -> App:
    app = App(connector=PsycopgConnector(conninfo=conninfo(settings)))
    app.add_tasks_from(tasks, namespace=NAMESPACE)
    return app


def _defer(app: App, task: str, lock: str | None, queueing_lock: str, queue: str, **kwargs: Any) -> int:
    """Queue a job, or return the id of the same job already waiting on the queue."""
    try:
        return app.configure_task(f"{NAMESPACE}:{task}", lock=lock, queueing_lock=queueing_lock,
                                  queue=queue).defer(**kwargs)
    except AlreadyEnqueued:
        waiting = app.job_manager.list_jobs(queueing_lock=queueing_lock, status="todo")
        return next(iter(waiting)).id


def enqueue_crawls(app: App, settings: Settings, sources: list[tuple[int, str, str]],
                   trigger: str = "queue") -> list[int]:
    """One crawl job per (source id, name, kind); their job ids."""
    api_kinds = set(settings.workers.api_kinds)
    ids = []
    for source_id, name, kind in sources:
        api = kind in api_kinds
        ids.append(_defer(app, "crawl", CRAWL_API if api else f"source:{source_id}", f"crawl:{source_id}",
                          CRAWL_API if api else CRAWL, source_name=name, trigger=trigger))
    return ids


def enqueue_match(app: App, trigger: str = "queue") -> int:
    return _defer(app, "match", "match:all", "match:all", MATCH, trigger=trigger)


def enqueue_digest(app: App, frequency: str, trigger: str = "queue") -> int:
    return _defer(app, "digest", f"digest:{frequency}", f"digest:{frequency}", DIGEST,
                  frequency=frequency, trigger=trigger)


@dataclass
class QueuedJob:
    id: int
    queue: str
    task: str
    status: str
    what: str
    attempts: int
    worker: str
    since: datetime | None


def list_queue(app: App, engine, statuses: tuple[str, ...] = ("todo", "doing", "failed"),  # noqa: ANN001
               limit: int = 200) -> list[QueuedJob]:
    """Queued, running and failed jobs, newest last, with the worker that runs or ran them."""
    from sqlalchemy import text

    rows = []
    with engine.connect() as conn:
        result = conn.execute(text(
            "SELECT j.id, j.queue_name, j.task_name, j.status::text, j.args, j.attempts, w.name, "
            "(SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id) "
            "FROM procrastinate_jobs j LEFT JOIN queue_worker w ON w.id = j.worker_id "
            "WHERE j.status::text = ANY(:statuses) ORDER BY j.id DESC LIMIT :limit"),
            {"statuses": list(statuses), "limit": limit})
        for job_id, queue, task, status, args, attempts, worker, since in result:
            what = args.get("source_name") or args.get("frequency") or ""
            rows.append(QueuedJob(job_id, queue, task.removeprefix(f"{NAMESPACE}:"), status, what, attempts,
                                  worker or "", since))
    return rows[::-1]


class NoWorker(RuntimeError):
    """Jobs are waiting but no `tracker worker` has sent a heartbeat for a while."""


def live_workers(app: App, within: float) -> int:
    """How many workers sent a heartbeat in the last `within` seconds."""
    row = app.connector.get_sync_connector().execute_query_one(
        "SELECT count(*) AS n FROM procrastinate_workers "
        "WHERE last_heartbeat > now() - make_interval(secs => %(within)s)", within=within)
    return int(row["n"])


def wait_for(app: App, job_ids: list[int], *, timeout: float | None = None, every: float = 1.0,
             no_worker_after: float | None = None) -> dict[int, str]:
    """Block until every job has finished (succeeded, failed, ...); their final statuses.

    With `no_worker_after`, give up (NoWorker) once no worker has been alive for that long while
    jobs still wait: waiting on an empty queue room would otherwise never end. The jobs stay queued."""
    statuses: dict[int, str] = {}
    deadline = None if timeout is None else time.monotonic() + timeout
    alone_since: float | None = None
    pending = set(job_ids)
    while pending:
        for job_id in list(pending):
            jobs = list(app.job_manager.list_jobs(id=job_id))
            status = str(jobs[0].status) if jobs else "deleted"
            status = status.split(".")[-1].lower()
            if status in FINISHED or status == "deleted":
                statuses[job_id] = status
                pending.discard(job_id)
        if pending:
            now = time.monotonic()
            if deadline is not None and now > deadline:
                raise TimeoutError(f"{len(pending)} job(s) still queued or running")
            if no_worker_after is not None:
                if live_workers(app, no_worker_after):
                    alone_since = None
                elif alone_since is None:
                    alone_since = now
                elif now - alone_since >= no_worker_after:
                    raise NoWorker(f"{len(pending)} job(s) still queued, and no `tracker worker` has been "
                                   f"alive for {no_worker_after:g} s")
            time.sleep(every)
    return statuses
