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
from sqlmodel import Session

from jobs.queue import make_app
from spiders.hostrate import SharedHostRate
from tests.loopback import wait_until
from tracker.config import ConfigError, load_settings
from tracker.db import make_engine, upgrade
from tracker.models import Match, Need, Opportunity, User

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
