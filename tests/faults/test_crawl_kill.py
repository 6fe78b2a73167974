"""Crawls killed with SIGKILL at random points (while pages download, while their calls
are read, stored and committed), by the time limit, and together with their runner; the
next crawl must store every call of the site exactly once, and no run stays 'running'.

Kill points come from a seed printed with every failure; replay one with
TRACKER_FAULT_SEED=<seed>."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from jobs.crawl_runner import run_crawl
from tests.faults.crawl_helpers import (
    FaultSite,
    KillAt,
    assert_every_call_once,
    crawl_settings,
    fault_seed,
    fault_site,
    replay,
    running_runs,
    runs_of,
)
from tracker.models import CrawlRun

CALLS = 300  # call pages per funder: six listing pages, three store batches
TRIES = 3
ROOT = Path(__file__).resolve().parents[2]
TRACKER = str(Path(sys.executable).with_name("tracker"))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[FaultSite]:
    with fault_site(tmp_path / "site") as served:
        yield served


def test_a_crawl_killed_at_random_points_loses_no_calls(settings, engine, site) -> None:
    seed = fault_seed()
    rng = random.Random(seed)
    crawl_settings(settings, rng)
    for attempt in range(TRIES):
        funder = f"f{attempt}"
        site.add_funder(engine, funder, CALLS)
        kills = [KillAt(rng.choice(["pages", "calls"]), rng.randrange(1, CALLS)) for _ in range(rng.choice([1, 2]))]
        for kill in kills:  # killed once, or twice in a row, before a crawl that may finish
            run_crawl(settings, [funder], on_event=kill)
            kill.close()
        final = run_crawl(settings, [funder]).results[0]
        why = f"try {attempt}, {settings.crawl.workers} workers, {kills}; {replay(seed)}"
        assert_every_call_once(engine, site, funder, why)
        assert final.status == "ok" and final.calls == CALLS, why  # and the summary says so
        statuses = [run.status for run in runs_of(engine, funder)]
        # A kill that lands after the crawl reported its result leaves an ok run.
        assert set(statuses[:-1]) <= {"killed", "ok"} and statuses[-1] == "ok", (statuses, why)


def test_a_crawl_killed_by_its_time_limit_loses_no_calls(settings, engine, site) -> None:
    seed = fault_seed()
    rng = random.Random(seed)
    crawl_settings(settings, rng)
    site.add_funder(engine, "slow", CALLS)
    held_after = rng.randrange(1, CALLS)
    site.gate.hold_after(held_after)  # the crawl cannot finish: the time limit ends it
    outcome = run_crawl(settings, ["slow"], timeout=8)
    site.gate.open()
    why = f"pages held after {held_after} call pages; {replay(seed)}"
    assert outcome.timed_out and outcome.results[0].status == "timeout", why
    final = run_crawl(settings, ["slow"]).results[0]
    assert_every_call_once(engine, site, "slow", why)
    assert final.status == "ok" and final.calls == CALLS, why
    assert [run.status for run in runs_of(engine, "slow")] == ["timeout", "ok"], why


def _kill_runner_and_crawl(settings, funder: str, calls: int) -> None:
    """Start a runner process, and SIGKILL its whole process group once the crawl has
    reported `calls` calls (the site holds the pages after those, so it cannot be done)."""
    runner = subprocess.Popen([sys.executable, "-m", "tests.faults.runner_probe", settings.model_dump_json(), funder],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for line in runner.stdout:  # ends when the runner does
            event = json.loads(line)
            if event["event"] == "progress" and event["calls"] >= calls:
                break
    finally:
        os.killpg(runner.pid, signal.SIGKILL)
        runner.wait(30)
        runner.stdout.close()


def _start_scheduler_and_stop_it(settings) -> list[str]:
    env = dict(os.environ, TRACKER_HOME=str(settings.data_dir), TRACKER_DATABASE_URL=settings.db_url, COLUMNS="200")
    proc = subprocess.Popen([TRACKER, "scheduler"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    lines = []
    try:
        deadline = time.monotonic() + 60
        for line in proc.stdout:
            lines.append(line.rstrip())
            if "scheduler active" in line or time.monotonic() > deadline:
                break
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        proc.stdout.close()
    return lines


@pytest.mark.parametrize("next_start", ["crawl", "scheduler"])
def test_a_runner_killed_with_its_crawl_leaves_no_running_row(settings, engine, site, next_start) -> None:
    seed = fault_seed()
    rng = random.Random(seed)
    crawl_settings(settings, rng)
    site.add_funder(engine, "gone", CALLS)
    kill_at = rng.randrange(1, CALLS)
    why = f"runner and crawl killed after {kill_at} calls, next start: {next_start}; {replay(seed)}"
    site.gate.hold_after(kill_at)
    _kill_runner_and_crawl(settings, "gone", kill_at)
    site.gate.open()
    assert running_runs(engine) == 1, why  # nobody was left to record it
    if next_start == "scheduler":
        lines = _start_scheduler_and_stop_it(settings)
        assert any("1 crawl run(s) whose process is gone marked killed" in line for line in lines), (lines, why)
        assert running_runs(engine) == 0, why
    final = run_crawl(settings, ["gone"]).results[0]
    assert running_runs(engine) == 0, why
    with Session(engine) as session:
        killed = session.exec(select(CrawlRun).where(CrawlRun.status == "killed")).one()
        assert "ended without recording a result" in killed.error_text and killed.finished_at, why
    assert_every_call_once(engine, site, "gone", why)
    assert final.status == "ok" and final.calls == CALLS, why
