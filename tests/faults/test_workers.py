"""Queue mode on PostgreSQL: `tracker worker` processes share the crawls of 200 loopback sources;
one worker is killed with SIGKILL in the middle of a crawl. Every call must be stored exactly
once, no source crawled by two workers at once, and the killed worker's jobs finished by the
others. Also: politeness per host across processes, a digest week sent once with two workers,
and the clear error for queue mode on SQLite.

PostgreSQL only: skipped without TRACKER_TEST_DATABASE_URL, failing when it is set and the
server does not answer (the pg_admin fixture)."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, select

from bench.workers_throughput import TRACKER, build_sites, sites_server, start_worker, stop, write_config
from tests.loopback import wait_until
from tracker.db import make_engine, upgrade
from tracker.models import CrawlRun, Opportunity, Source

SOURCES = 200
CALLS = 2  # call pages per source, on one listing page
STALLED = 3.0  # seconds without a heartbeat before a worker's jobs go back on the queue


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _jobs(engine, status: str | None = None) -> list[tuple]:  # noqa: ANN001
    query = "SELECT j.id, j.status::text, j.args->>'source_name', w.name FROM procrastinate_jobs j " \
            "LEFT JOIN queue_worker w ON w.id = j.worker_id"
    with engine.connect() as conn:
        rows = list(conn.execute(text(query)))
    return [tuple(r) for r in rows if status is None or r[1] == status]


def test_three_workers_share_200_sources_and_survive_a_kill(pg_url: str, tmp_path: Path) -> None:
    starts = build_sites(tmp_path / "sites", SOURCES, CALLS)
    with sites_server(tmp_path / "sites", latency=0.05) as server:
        config = write_config(tmp_path / "config.toml", pg_url, server, starts, heartbeat=1, stalled=STALLED,
                              sweep=1, delay=0.05)
        engine = make_engine(pg_url)
        upgrade(engine)
        # one job at a time each: every crawl is a process of its own, and CI has two cores
        workers = [start_worker(config, 1, tmp_path / f"worker-{n}.log") for n in range(3)]
        try:
            queued = subprocess.run([TRACKER, "crawl", "--config", str(config)], capture_output=True, text=True,
                                    timeout=120)
            assert queued.returncode == 0, queued.stdout + queued.stderr
            assert f"queued {SOURCES} crawl(s)" in queued.stdout
            victim = workers[0]
            name = f"{os.uname().nodename}:{victim.pid}"

            def victim_busy() -> list[tuple]:
                return [j for j in _jobs(engine, "doing") if j[3] == name]

            busy = wait_until(victim_busy, 600, "the first worker to be crawling")
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            orphaned = {row[0]: row[2] for row in busy}

            def all_done() -> bool:
                jobs = _jobs(engine)
                return len(jobs) == SOURCES and all(j[1] in ("succeeded", "failed") for j in jobs)

            wait_until(all_done, 3600, f"{SOURCES} crawls to finish", every=1)
            # read before the workers stop: a stopped worker leaves the queue, and its jobs its name
            jobs = {j[0]: j for j in _jobs(engine)}
        finally:
            stop(workers)
            logs = "\n".join((tmp_path / f"worker-{n}.log").read_text()[-1500:] for n in range(3))
        failed = [j for j in jobs.values() if j[1] != "succeeded"]
        assert not failed, f"{len(failed)} job(s) did not succeed: {failed[:5]}\n{logs}"
        # the killed worker's jobs were finished by the others
        for job_id, source in orphaned.items():
            assert jobs[job_id][1] == "succeeded" and jobs[job_id][3] not in (name, None), (
                f"job {job_id} ({source}) of the killed worker: {jobs[job_id]}")
        with Session(engine) as session:
            # every call stored exactly once
            urls = list(session.exec(select(Opportunity.url)))
            truth = {f"http://s{i:03d}.funders.test:{server.port}/f{i:03d}/bench-funder/calls/fund-{c}.html"
                     for i in range(SOURCES) for c in range(CALLS)}
            assert set(urls) == truth and len(urls) == len(truth), (
                f"{len(truth - set(urls))} calls lost, {len(set(urls) - truth)} unexpected, "
                f"{len(urls) - len(set(urls))} duplicates")
            # no source crawled by two workers at once
            runs: dict[int, list[CrawlRun]] = {}
            for run in session.exec(select(CrawlRun).order_by(CrawlRun.started_at)):
                runs.setdefault(run.source_id, []).append(run)
            names = {s.id: s.name for s in session.exec(select(Source))}
        assert len(runs) == SOURCES
        for source_id, source_runs in runs.items():
            assert all(r.finished_at is not None for r in source_runs), f"{names[source_id]}: a run never ended"
            for before, after in zip(source_runs, source_runs[1:], strict=False):
                assert _aware(before.finished_at) <= _aware(after.started_at), (
                    f"{names[source_id]} crawled twice at once: run {before.id} "
                    f"{before.started_at}–{before.finished_at} and run {after.id} from {after.started_at}")
            assert source_runs[-1].status == "ok", f"{names[source_id]}: {source_runs[-1].error_text}"
        killed_sources = {names[s] for s, rs in runs.items() if any(r.status == "killed" for r in rs)}
        assert killed_sources and killed_sources <= set(orphaned.values()), (killed_sources, orphaned)
        engine.dispose()
