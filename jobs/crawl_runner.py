"""Run a crawl batch in a child process with a hard time limit, and record its outcome."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from jobs.crawl_records import close_abandoned_runs
from tracker.config import Settings
from tracker.db import make_engine, refresh_planner_stats
from tracker.models import CrawlRun, Funder, Opportunity, Source
from tracker.processes import process_owner
from tracker.sources import TENDER_APIS, record_health

EventHandler = Callable[[dict[str, Any]], None]
_active: set[subprocess.Popen] = set()
_aborted: set[subprocess.Popen] = set()
_active_lock = threading.Lock()


def abort_all() -> int:
    """Kill every crawl child of this process (scheduler shutdown); their sources are
    recorded as killed by the runs that started them."""
    with _active_lock:
        procs = list(_active)
        _aborted.update(procs)
    for proc in procs:
        proc.kill()
    return len(procs)


@dataclass
class SourceResult:
    name: str
    status: str = "failed"
    pages: int = 0
    calls: int = 0
    calls_new: int = 0
    calls_changed: int = 0
    calls_unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    error_text: str = ""
    reason: str = ""  # why no calls were found, when none were; or that the one found is the start page
    stopped: str = ""  # why the crawl did not read the whole site (a listing page limit reached)
    link_groups: list = field(default_factory=list)  # groups of similar links on the start page
    skipped_pages: list = field(default_factory=list)
    not_modified: int = 0
    unchanged_pages: int = 0
    missing: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)


@dataclass
class CrawlOutcome:
    results: list[SourceResult]
    calls: list[dict[str, Any]] = field(default_factory=list)  # dry runs only: what would be stored
    timed_out: bool = False


def _spec_source(session: Session, source: Source, run_id: int | None) -> dict[str, Any]:
    funder = session.get(Funder, source.funder_id) if source.funder_id else None
    overrides: dict[str, Any] = {"link_pattern": source.link_pattern, "selectors": source.selectors or {}}
    if source.kind in TENDER_APIS:
        overrides.update(filters=source.filters or {},
                         window_end=source.window_end.isoformat() if source.window_end else None,
                         known=_known_ocids(session, source))
    return {"name": source.name, "kind": source.kind, "url": source.url,
            "funder": funder.name if funder else None, "overrides": overrides, "crawl_run_id": run_id}


def _known_ocids(session: Session, source: Source) -> dict[str, str]:
    """The source's stored calls by ocid (their url ends #ocid): a procurement's later notice (the
    tender after its planning notice) updates the call its first notice made."""
    urls = session.exec(select(Opportunity.url).where(Opportunity.source_id == source.id,
                                                      Opportunity.url.like("%#ocds-%")))
    return {url.rsplit("#", 1)[1]: url for url in urls}


def run_crawl(
    settings: Settings, source_names: list[str], *, dry_run: bool = False, timeout: float | None = None,
    on_event: EventHandler | None = None, today: str | None = None,
    scrapy_overrides: dict[str, Any] | None = None, adhoc: list[dict[str, Any]] | None = None,
) -> CrawlOutcome:
    """Crawl the named sources (already in the database) in one child process; `adhoc`
    source specs (name, kind, url) are crawled as a dry run, for previews. `on_event` gets
    {"event": "started", "pid": ...} for the crawl process, then its progress and results."""
    engine = make_engine(settings.db_url)
    if not dry_run and not adhoc:
        close_abandoned_runs(engine, timedelta(minutes=settings.crawl.timeout_minutes))
    workdir = Path(tempfile.mkdtemp(prefix="tracker-crawl-"))
    dry_out = workdir / "calls.jsonl" if dry_run else None
    if adhoc:
        dry_run = True
        dry_out = workdir / "calls.jsonl"
    with Session(engine, expire_on_commit=False) as session:
        sources = [session.exec(select(Source).where(Source.name == n)).one() for n in source_names]
        specs = []
        for source in sources:
            run_id = None
            if not dry_run:
                run = CrawlRun(source_id=source.id, owner=process_owner())
                session.add(run)
                session.commit()
                run_id = run.id
            specs.append(_spec_source(session, source, run_id))
    for extra in adhoc or []:
        specs.append({"funder": None, "overrides": {}, "crawl_run_id": None, **extra})
    spec = {"settings": settings.model_dump(mode="json"),
            "dry_run_out": str(dry_out) if dry_out else None,
            "today": today or os.environ.get("TRACKER_TODAY"), "sources": specs,
            "scrapy_overrides": scrapy_overrides or {}, "runner_pid": os.getpid()}
    spec_path = workdir / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="spiders.settings", TRACKER_HOME=str(settings.data_dir))
    if settings.database_url:
        env["TRACKER_DATABASE_URL"] = settings.database_url
    results = {s["name"]: SourceResult(name=s["name"]) for s in specs}
    done: set[str] = set()
    proc = subprocess.Popen([sys.executable, "-m", "jobs.crawl_child", str(spec_path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with _active_lock:
        _active.add(proc)
    if on_event is not None:
        on_event({"event": "started", "pid": proc.pid})
    stderr_tail: list[str] = []

    log_path = workdir / "crawl.log"

    def read_stderr() -> None:
        assert proc.stderr is not None
        with open(log_path, "w", encoding="utf-8") as log:
            for line in proc.stderr:
                log.write(line)
                if "Warning" not in line and "configure_logging" not in line:
                    stderr_tail.append(line.rstrip())
                    del stderr_tail[:-40]

    def read_stdout() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "done" and event.get("source") in results:
                result = results[event["source"]]
                for key, value in event.items():
                    if hasattr(result, key) and key != "name":
                        setattr(result, key, value)
                done.add(event["source"])
            if on_event is not None:
                on_event(event)

    readers = [threading.Thread(target=read_stdout, daemon=True), threading.Thread(target=read_stderr, daemon=True)]
    for reader in readers:
        reader.start()
    limit = timeout if timeout is not None else settings.crawl.timeout_minutes * 60
    timed_out = False
    try:
        proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        proc.wait()
    with _active_lock:
        _active.discard(proc)
        aborted = proc in _aborted
        _aborted.discard(proc)
    for reader in readers:
        # The child has exited, so the pipes end soon; the reader may still be working
        # through a backlog of progress events, and the results come last.
        reader.join(timeout=120)
    status, missing_reason = _unfinished(proc.returncode, timed_out, aborted, limit)
    if not timed_out:
        missing_reason += f" (log: {log_path}): " + " | ".join(stderr_tail[-3:])
    for name, result in results.items():
        if name not in done:
            result.status = status
            result.error_text = missing_reason
    calls: list[dict[str, Any]] = []
    if dry_out is not None and dry_out.exists():
        calls = [json.loads(line) for line in dry_out.read_text(encoding="utf-8").splitlines() if line]
    if not dry_run:
        _record(engine, specs, results)
        refresh_planner_stats(engine)
    engine.dispose()
    return CrawlOutcome(results=list(results.values()), calls=calls, timed_out=timed_out)


def _unfinished(returncode: int, timed_out: bool, aborted: bool, limit: float) -> tuple[str, str]:
    """Status and reason for the sources the crawl process gave no result for."""
    if timed_out:
        return "timeout", f"crawl killed after {limit:.0f} s time limit"
    if aborted:
        return "killed", "crawl abandoned: the scheduler stopped"
    if returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else f"signal {-returncode}"
        return "killed", f"crawl process killed by {name}"
    return "failed", f"crawl process exited with code {returncode} without a result for this source"


def _record(engine, specs: list[dict[str, Any]], results: dict[str, SourceResult]) -> None:  # noqa: ANN001
    now = datetime.now(UTC)
    with Session(engine) as session:
        for spec in specs:
            result = results[spec["name"]]
            run = session.get(CrawlRun, spec["crawl_run_id"])
            if run is not None and run.status == "running":
                run.status = result.status if result.status != "ok" else "failed"
                run.error_text = result.error_text
                run.finished_at = now
                session.add(run)
            source = session.exec(select(Source).where(Source.name == spec["name"])).one()
            record_health(session, source, result.status, result.calls, result.error_text, now, result.reason,
                          stopped=result.stopped)
        session.commit()
