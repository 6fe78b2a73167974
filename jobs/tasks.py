"""The jobs the scheduler runs. APScheduler stores them by reference ("jobs.tasks:crawl"),
with only plain arguments; the settings come from `configure` in the scheduler process.

In queue mode ([workers] mode = "queue") crawl, match and digest jobs are put on the task queue
(jobs.queue) for `tracker worker` processes instead of run here; a worker runs the `*_now`
functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from jobs.history import recorded
from tracker import clock
from tracker.config import Settings
from tracker.db import make_engine

_state: dict[str, object] = {}


def configure(settings: Settings, engine: Engine | None = None) -> None:
    _state["settings"] = settings
    _state["engine"] = engine or make_engine(settings.db_url)


def context() -> tuple[Settings, Engine]:
    if "settings" not in _state:
        raise RuntimeError("jobs.tasks.configure(settings) was not called")
    return _state["settings"], _state["engine"]  # type: ignore[return-value]


def _queue_mode() -> bool:
    settings, _ = context()
    return settings.workers.mode == "queue"


def _queue_app():  # noqa: ANN202
    """One procrastinate app per process, opened for deferring (the scheduler's threads share it)."""
    if "queue_app" not in _state:
        from jobs.queue import make_app

        settings, _ = context()
        _state["queue_app"] = make_app(settings).open()
    return _state["queue_app"]


def crawl(source_name: str, trigger: str = "schedule") -> str:
    """Crawl one source, then re-score the calls it added or changed (queue mode: queue that)."""
    if _queue_mode():
        from jobs.queue import enqueue_crawls
        from tracker.models import Source

        settings, engine = context()
        with Session(engine) as session:
            source = session.exec(select(Source).where(Source.name == source_name)).one()
            ids = enqueue_crawls(_queue_app(), settings, [(source.id, source.name, source.kind)], trigger)
        return f"queued as job {ids[0]}"  # the worker that runs it records the run
    return crawl_now(source_name, trigger)


def crawl_now(source_name: str, trigger: str = "schedule") -> str:
    """Crawl one source in a child process, then re-score the calls it added or changed."""
    from jobs.crawl_runner import run_crawl
    from tracker.matches import run_matching
    from tracker.models import Opportunity
    from tracker.store import after_crawl

    settings, engine = context()
    with recorded(engine, f"crawl:{source_name}", trigger) as log:
        # Changed by this crawl = changed after the newest change stored before it. (A clock
        # reading with slack, as before, also re-scored calls another crawl had just stored.)
        with Session(engine) as session:
            before = session.exec(select(func.max(Opportunity.last_changed))).one()
        outcome = run_crawl(settings, [source_name])
        result = outcome.results[0]
        with Session(engine) as session:
            after_crawl(session, clock.today())
            session.commit()
            query = select(Opportunity.id)
            if before is not None:
                query = query.where(Opportunity.last_changed > before)
            changed = set(session.exec(query))
            summary = run_matching(session, clock.today(), opportunity_ids=changed) if changed else None
            session.commit()
        log.detail = (f"{result.status}: {result.pages} pages, {result.calls} calls "
                      f"({result.calls_new} new, {result.calls_changed} changed); "
                      f"re-scored {len(changed)} call(s)" + (f" for {summary.needs} need(s)" if summary else ""))
        if result.status == "killed":
            from jobs.queue import CrawlInterrupted

            raise CrawlInterrupted(f"crawl {result.status}: {result.error_text}")
        if result.status != "ok":
            raise RuntimeError(f"crawl {result.status}: {result.error_text}")
        return log.detail


def match_all(trigger: str = "schedule") -> str:
    if _queue_mode():
        from jobs.queue import enqueue_match

        return f"queued as job {enqueue_match(_queue_app(), trigger)}"
    return match_now(trigger)


def match_now(trigger: str = "schedule") -> str:
    from tracker.matches import run_matching

    settings, engine = context()
    with recorded(engine, "match:all", trigger) as log:
        with Session(engine) as session:
            summary = run_matching(session, clock.today())
            session.commit()
        log.detail = f"{summary.needs} need(s) × {summary.opportunities} calls"
        return log.detail


def weekly_digest(trigger: str = "schedule") -> str:
    """The weekly digest, to those who chose weekly (one per ISO week each)."""
    return _digest("weekly", trigger)


def daily_digest(trigger: str = "schedule") -> str:
    """The daily digest, to those who chose daily (one per day each)."""
    return _digest("daily", trigger)


def _digest(frequency: str, trigger: str) -> str:
    if _queue_mode():
        from jobs.queue import enqueue_digest

        return f"queued as job {enqueue_digest(_queue_app(), frequency, trigger)}"
    return digest_now(frequency, trigger)


def digest_now(frequency: str, trigger: str = "schedule") -> str:
    from tracker.digest import send_digests

    settings, engine = context()
    with recorded(engine, f"digest:{frequency}", trigger) as log:
        report = send_digests(engine, settings, frequency=frequency)
        log.detail = "; ".join(getattr(report, "lines", [])) or "nothing to send"
        if report.failed or report.aborted:  # a stopped run leaves the week's digests pending
            stopped = f"; stopped early: {report.aborted}" if report.aborted else ""
            raise RuntimeError(f"{report.failed} digest(s) failed{stopped}: {log.detail}")
        return log.detail


def deadline_reminders(trigger: str = "schedule") -> str:
    from tracker.reminders import send_reminders

    settings, engine = context()
    with recorded(engine, "reminders:daily", trigger) as log:
        sent = send_reminders(engine, settings, clock.today())
        log.detail = f"{len(sent)} reminder(s) sent" + (": " + "; ".join(sent) if sent else "")
        return log.detail


def team_mail_retry(trigger: str = "schedule") -> str:
    """Send assignment and @mention emails that could not be sent from the web request."""
    from tracker.team_mail import send_queued

    settings, engine = context()
    with recorded(engine, "mail:retry", trigger) as log, Session(engine) as session:
        report = send_queued(session, settings)
        parts = ([f"{len(report.sent)} team email(s) sent"] if report.sent else []) + (
            [f"{len(report.failed)} still not sent"] if report.failed else [])
        log.detail = "; ".join(parts) or "no team email waiting"
        return log.detail


def health_check(trigger: str = "schedule") -> str:
    """Mark sources that have not crawled successfully for a week as unhealthy."""
    from tracker.models import Source

    settings, engine = context()
    with recorded(engine, "health:weekly", trigger) as log:
        stale_before = datetime.now(UTC) - timedelta(days=8)
        unhealthy = []
        with Session(engine) as session:
            for source in session.exec(select(Source).where(Source.enabled == True)):  # noqa: E712
                if source.last_crawl_at is None or source.last_crawl_at < stale_before:
                    source.healthy = False
                    source.health_note = "not crawled for over a week"
                    session.add(source)
                if not source.healthy:
                    unhealthy.append(f"{source.name} ({source.health_note})")
            session.commit()
        log.detail = f"{len(unhealthy)} unhealthy: " + "; ".join(unhealthy) if unhealthy else "all sources healthy"
        return log.detail
