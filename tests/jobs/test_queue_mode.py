"""Queue mode beside the 200-source test (tests/faults/test_workers.py): a digest week sent once
by two workers, one pace per host across crawl processes, the queue listing, and the one-line
error for queue mode on SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from jobs.queue import make_app
from spiders.hostrate import SharedHostRate
from tests.loopback import wait_until
from tracker.config import ConfigError, load_settings
from tracker.db import make_engine, upgrade
from tracker.models import CrawlRun, Match, Need, Opportunity, User

TRACKER = str(Path(sys.executable).with_name("tracker"))
RECIPIENTS = ["ada@council.example", "sam@council.example", "val@council.example"]


def _queue_config(path: Path, db_url: str, extra: str = "") -> Path:
    path.write_text(f'data_dir = "{path.parent / "home"}"\ndatabase_url = "{db_url}"\n{extra}\n'
                    '[workers]\nmode = "queue"\nheartbeat_seconds = 1\nstalled_after_seconds = 3\nsweep_seconds = 1\n',
                    encoding="utf-8")
    return path


def test_a_digest_week_is_sent_once_by_two_workers(pg_url: str, tmp_path: Path, smtp) -> None:  # noqa: ANN001
    engine = make_engine(pg_url)
    upgrade(engine)
    with Session(engine) as s:
        s.add_all([User(email=e, name=e.split("@")[0], role="staff", digest=True) for e in RECIPIENTS])
        s.add(Need(id="N1", title="Youth diversion", themes=["youth"]))
        opp = Opportunity(url="https://funder.example/youth", title="Youth Fund", themes=["youth"],
                          deadline=date.today() + timedelta(days=60))
        s.add(opp)
        s.flush()
        s.add(Match(need_id="N1", opportunity_id=opp.id, score=0.9, rank=1, eligible=True, reasons=["youth"]))
        s.commit()
    config = _queue_config(tmp_path / "config.toml", pg_url,
                           f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\nsecurity = "none"\n')
    app = make_app(load_settings(config)).open()
    # Two jobs for the same week, without the queue's lock: only the digest ledger stands
    # between them and a second copy.
    jobs = [app.configure_task("tracker:digest", lock=None, queueing_lock=None).defer(frequency="weekly")
            for _ in range(2)]
    env = dict(os.environ, COLUMNS="200")
    workers = [subprocess.Popen([TRACKER, "worker", "--queues", "digest", "--config", str(config)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        def finished() -> bool:
            with engine.connect() as conn:
                return conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE status::text "
                                         "IN ('succeeded', 'failed')")).scalar() == len(jobs)
        wait_until(finished, 240, "both digest jobs to finish", every=0.5)
        with engine.connect() as conn:
            ran_by = conn.execute(text("SELECT count(DISTINCT worker_id) FROM procrastinate_jobs")).scalar()
    finally:
        for proc in workers:
            proc.terminate()
        for proc in workers:
            proc.wait(timeout=30)
        app.close()
        engine.dispose()
    got = sorted(address for address in RECIPIENTS for _ in smtp.handler.to(address))
    assert got == RECIPIENTS, f"messages per recipient: {got} (jobs ran on {ran_by} worker(s))"


def test_one_pace_per_host_across_crawl_processes(pg_url: str) -> None:
    upgrade(make_engine(pg_url))
    delay = 0.25
    first, second = SharedHostRate(pg_url, delay), SharedHostRate(pg_url, delay)  # two crawl processes
    starts = [(first if n % 2 else second).claim("funder.example")[0] for n in range(8)]
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert all(gap >= delay - 1e-6 for gap in gaps), gaps
    start, now = first.claim("another-funder.example")  # another host is not held back
    assert start <= now


def test_jobs_queue_lists_waiting_jobs(pg_url: str, tmp_path: Path) -> None:
    config = _queue_config(tmp_path / "config.toml", pg_url,
                           '[[sources]]\nname = "Fen <b>Valley</b> Trust"\nkind = "html"\n'
                           'url = "https://funder.example/funds"\n')
    env = dict(os.environ, COLUMNS="200")
    queued = subprocess.run([TRACKER, "crawl", "--config", str(config)], capture_output=True, text=True, env=env,
                            timeout=120)
    assert queued.returncode == 0 and "queued 1 crawl(s)" in queued.stdout, queued.stdout + queued.stderr
    again = subprocess.run([TRACKER, "crawl", "--config", str(config)], capture_output=True, text=True, env=env,
                           timeout=120)
    listed = subprocess.run([TRACKER, "jobs", "queue", "--config", str(config)], capture_output=True, text=True,
                            env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "Fen <b>Valley</b> Trust" in listed.stdout and "queued" in listed.stdout
    assert "1 queued, 0 running, 0 failed" in listed.stdout, listed.stdout  # not queued twice
    assert again.returncode == 0


def test_crawl_wait_without_any_worker_stops_with_one_line_and_keeps_the_crawls(pg_url: str, tmp_path: Path) -> None:
    config = _queue_config(tmp_path / "config.toml", pg_url,
                           '[[sources]]\nname = "Fen Valley"\nkind = "html"\nurl = "https://funder.example/funds"\n')
    done = subprocess.run([TRACKER, "crawl", "--wait", "--config", str(config)], capture_output=True, text=True,
                          env=dict(os.environ, COLUMNS="200"), timeout=120)  # for ever before
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no `tracker worker` has been alive for 3 s" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    engine = make_engine(pg_url)
    with engine.connect() as conn:  # still there for the first worker that starts
        waiting = conn.execute(text("SELECT args->>'source_name' FROM procrastinate_jobs "
                                    "WHERE status::text = 'todo'")).scalars().all()
    engine.dispose()
    assert waiting == ["Fen Valley"]


def test_queue_mode_on_sqlite_is_refused_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[workers]\nmode = "queue"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"key 'workers.mode' \(line 2\): \"queue\" needs PostgreSQL"):
        load_settings(config)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    done = subprocess.run([TRACKER, "worker", "--config", str(config)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "workers.mode" in done.stderr and "PostgreSQL" in done.stderr


def test_the_scheduler_s_jobs_are_queued_not_run(pg_url: str, tmp_path: Path) -> None:
    from jobs import tasks
    from tracker.models import Source

    config = _queue_config(tmp_path / "config.toml", pg_url)
    settings = load_settings(config)
    engine = make_engine(pg_url)
    upgrade(engine)
    with Session(engine) as s:
        s.add_all([Source(name="Fen Valley", kind="html", url="https://funder.example/funds"),
                   Source(name="Contracts Finder", kind="ocds", url="https://ocds.example/api")])
        s.commit()
        ids = {src.name: src.id for src in s.exec(select(Source))}
    tasks.configure(settings, engine)
    try:
        said = [tasks.crawl("Fen Valley"), tasks.crawl("Contracts Finder"), tasks.crawl("Fen Valley"),
                tasks.weekly_digest(), tasks.match_all()]
    finally:
        tasks._state.pop("queue_app").close()
    assert all(line.startswith("queued as job ") for line in said), said
    assert said[0] == said[2]  # still waiting: not queued twice
    with engine.connect() as conn:
        jobs = [tuple(r) for r in conn.execute(text(
            "SELECT task_name, queue_name, lock, args->>'source_name' FROM procrastinate_jobs ORDER BY id"))]
    assert jobs == [("tracker:crawl", "crawl", f"source:{ids['Fen Valley']}", "Fen Valley"),
                    ("tracker:crawl", "crawl-api", "crawl-api", "Contracts Finder"),
                    ("tracker:digest", "digest", "digest:weekly", None),
                    ("tracker:match", "match", "match:all", None)]
    with Session(engine) as s:  # nothing was crawled here
        assert s.exec(select(CrawlRun)).all() == []
    engine.dispose()


def test_crawl_wait_prints_the_summary_of_the_workers_crawls(pg_url: str, tmp_path: Path) -> None:
    from bench.workers_throughput import build_sites, sites_server, start_worker, stop, write_config

    starts = build_sites(tmp_path / "sites", 2, 3)
    with sites_server(tmp_path / "sites", latency=0) as server:
        config = write_config(tmp_path / "config.toml", pg_url, server, starts, heartbeat=1, stalled=3, sweep=1,
                              delay=0)
        upgrade(make_engine(pg_url))  # before the processes: two first starts would both create the schema
        worker = start_worker(config, 2, tmp_path / "worker.log")
        try:
            done = subprocess.run([TRACKER, "crawl", "--wait", "--config", str(config)], capture_output=True,
                                  text=True, env=dict(os.environ, COLUMNS="200"), timeout=600)
        finally:
            stop([worker])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "queued 2 crawl(s)" in done.stdout and "Crawl summary" in done.stdout
    rows = [line.split("│")[1:-1] for line in done.stdout.splitlines() if line.startswith("│ f0")]
    assert [[cell.strip() for cell in row][:4] for row in rows] == [["f000", "ok", "4", "3"],
                                                                   ["f001", "ok", "4", "3"]], done.stdout


def test_services_starting_together_on_a_new_database_all_start(pg_url: str) -> None:
    """A compose file starts the scheduler, workers and web replicas at once: each migrates on
    start, and none may fail because another was creating the same tables."""
    import threading

    errors: list[str] = []

    def start_one() -> None:
        engine = make_engine(pg_url)
        try:
            upgrade(engine)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)  # without the migration lock they can also wait on each other for ever
    assert errors == [] and not any(thread.is_alive() for thread in threads), errors
