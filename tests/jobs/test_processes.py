"""Real processes: two schedulers and a lease (kill -9 the active one), SIGTERM, and a
crawl over its time limit."""

import os
import signal
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlmodel import Session, select

from jobs.crawl_runner import run_crawl
from jobs.lease import current_holder
from tests.loopback import Output, cmdline, descendants, refused_port, served_url, start, wait_until
from tracker.config import Settings
from tracker.models import CrawlRun, JobRun, Source

TRACKER = str(Path(sys.executable).with_name("tracker"))


def start_scheduler(home: Path, db_url: str) -> tuple[subprocess.Popen, Output]:
    env = dict(os.environ, TRACKER_HOME=str(home), TRACKER_DATABASE_URL=db_url, TRACKER_LEASE_TTL="3",
               COLUMNS="200")
    return start([TRACKER, "scheduler"], env)


def test_second_scheduler_stands_by_and_takes_over_after_kill_9(tmp_path, db_url, engine) -> None:
    first, out1 = start_scheduler(tmp_path, db_url)
    second = None
    try:
        assert out1.wait_for("scheduler active", 30), out1.lines
        second, out2 = start_scheduler(tmp_path, db_url)
        assert out2.wait_for("another scheduler is active", 30), out2.lines
        assert not any("scheduler active" in line for line in out2.lines)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert out2.wait_for("scheduler active", 60), out2.lines  # README: takes over within a minute
        holder = current_holder(engine)
        assert holder is not None and f":{second.pid}:" in holder.holder
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(10)


def test_sigterm_stops_the_scheduler_within_seconds_and_frees_the_lease(tmp_path, db_url, engine) -> None:
    proc, out = start_scheduler(tmp_path, db_url)
    try:
        assert out.wait_for("scheduler active", 30), out.lines
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        assert out.wait_for("scheduler stopped", 2)
        # A new scheduler becomes active at once: the lease was released, not left to expire.
        again, out2 = start_scheduler(tmp_path, db_url)
        try:
            assert out2.wait_for("scheduler active", 10), out2.lines
        finally:
            again.kill()
            again.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()


class Hang(BaseHTTPRequestHandler):
    """Answers nothing until the test ends; `asked` is set once a request came in."""

    asked: threading.Event
    release: threading.Event

    def do_GET(self) -> None:  # noqa: N802
        self.asked.set()
        self.release.wait(60)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def hanging_server():
    handler = type("HangHere", (Hang,), {"asked": threading.Event(), "release": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.asked
    handler.release.set()
    server.shutdown()


def _alive(pid: int, was: str) -> bool:
    """Still running as the same program (a zombie or a reused pid does not count)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z" and cmdline(pid) == was


def _listening_ports(pid: int) -> list[int]:
    """TCP ports the process listens on (its socket inodes among the LISTEN rows of /proc/net)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            for row in list(handle)[1:]:
                cols = row.split()
                if cols[3] == "0A" and cols[9] in inodes:
                    ports.append(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


def test_crawl_over_its_time_limit_is_killed_and_recorded(settings: Settings, engine, hanging_server) -> None:
    site, asked = hanging_server
    settings.crawl.obey_robots = False
    with Session(engine) as s:
        s.add(Source(name="slow", kind="html", url=site + "/grants"))
        s.commit()
    crawl: dict[int, str] = {}  # this test's crawl child and its page-reading workers
    listening: list[int] = []

    def watch() -> None:  # while the crawl waits on the hanging site
        asked.wait(60)
        children = [p for p in descendants() if "jobs.crawl_child" in cmdline(p)]
        for pid in children + [w for c in children for w in descendants(c)]:
            crawl[pid] = cmdline(pid)
            listening.extend(_listening_ports(pid))

    watcher = threading.Thread(target=watch)
    watcher.start()
    # The limit has to outlast the crawl process's start (about 2 s of CPU, far more on a loaded
    # machine) or the crawl is killed before it reaches the site and the test proves nothing.
    outcome = run_crawl(settings, ["slow"], timeout=10)
    watcher.join()
    assert asked.is_set() and crawl, "the crawl never reached the site"
    assert listening == []  # no Telnet console, no remote-control server: nothing to connect to
    assert outcome.timed_out
    assert outcome.results[0].status == "timeout"
    assert "time limit" in outcome.results[0].error_text
    # Its page-reading workers die with it.
    wait_until(lambda: not any(_alive(pid, was) for pid, was in crawl.items()), 10,
               f"the crawl's processes {sorted(crawl)} to exit")
    with Session(engine) as s:
        run = s.exec(select(CrawlRun)).one()
        assert run.status == "timeout" and run.finished_at is not None
        source = s.exec(select(Source)).one()
        assert not source.healthy and "timeout" in source.health_note


def test_failed_job_is_recorded_in_history(tmp_path, db_url, engine) -> None:
    env = dict(os.environ, TRACKER_HOME=str(tmp_path), TRACKER_DATABASE_URL=db_url, COLUMNS="200")
    with refused_port() as port:
        with Session(engine) as s:
            s.add(Source(name="refused", kind="html", url=f"http://127.0.0.1:{port}/nothing-listens-here"))
            s.commit()
        done = subprocess.run([TRACKER, "jobs", "run-now", "crawl:refused"], env=env, capture_output=True,
                              text=True, timeout=120)
    assert done.returncode == 1
    assert "crawl:refused failed" in done.stderr
    with Session(engine) as s:
        run = s.exec(select(JobRun)).one()
        assert run.outcome == "failed" and run.trigger == "run-now" and run.finished_at is not None
        assert "crawl failed" in run.detail
    shown = subprocess.run([TRACKER, "jobs", "history"], env=env, capture_output=True, text=True, timeout=60)
    assert "crawl:refused" in shown.stdout and "failed" in shown.stdout


def test_tracker_run_serves_pages_and_stops_both_parts_on_sigterm(tmp_path, db_url) -> None:
    env = dict(os.environ, TRACKER_HOME=str(tmp_path), TRACKER_DATABASE_URL=db_url, COLUMNS="200")
    proc, out = start([TRACKER, "run", "--port", "0"], env)  # uvicorn binds the port and says which
    try:
        assert out.wait_for("scheduler active", 30), out.lines
        url = served_url(out, 30)
        with urllib.request.urlopen(f"{url}/login", timeout=10) as page:
            assert page.status == 200
            assert b'name="password"' in page.read()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        assert out.wait_for("scheduler stopped", 2), out.lines
    finally:
        if proc.poll() is None:
            proc.kill()
