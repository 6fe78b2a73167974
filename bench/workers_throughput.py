"""Crawl throughput of queue mode with 1, 2 and 3 `tracker worker` processes (sources a minute).

Many small funder sites on one loopback server, each under a host name of its own pinned to
127.0.0.1 ([crawl] hosts), so the shared per-host politeness keeps each site to its own pace;
every answer is held back by a fixed latency, as a distant funder's server is, so a crawl spends
its time waiting rather than computing (delay-bound). For each worker count: a fresh PostgreSQL
schema, `tracker crawl --wait` queues a crawl per source, and the wall time until every crawl
has finished gives sources a minute.

    .venv/bin/python bench/workers_throughput.py [--sources 60] [--workers 1,2,3] [--latency 0.3]
        [--database postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.crawl_speed import build_site  # noqa: E402
from tracker.demo.server import DemoRequestHandler, DemoServer, serve_site  # noqa: E402

TRACKER = str(Path(sys.executable).with_name("tracker"))
CALLS_PER_SITE = 3


def host_of(i: int) -> str:
    return f"s{i:03d}.funders.test"


def build_sites(root: Path, count: int, calls: int = CALLS_PER_SITE) -> dict[str, str]:
    """`count` sites of `calls` call pages and one listing each; source name -> start path."""
    starts = {}
    for i in range(count):
        name = f"f{i:03d}"
        starts[name] = f"/{name}" + build_site(root / name, calls)
    return starts


def slow_handler(latency: float) -> type[DemoRequestHandler]:
    """Answers after `latency` seconds (each request in its own server thread)."""
    pause = threading.Event()  # never set: a wait with a timeout is the server's latency

    def do_get(self) -> None:  # noqa: ANN001
        pause.wait(latency)
        DemoRequestHandler.do_GET(self)

    return type("SlowHandler", (DemoRequestHandler,), {"do_GET": do_get})


@contextlib.contextmanager
def sites_server(root: Path, latency: float) -> Iterator[DemoServer]:
    with serve_site(root, handler_class=slow_handler(latency)) as server:
        yield server


def write_config(path: Path, db_url: str, server: DemoServer, starts: dict[str, str], *,
                 heartbeat: float = 10, stalled: float = 30, sweep: float = 10, delay: float = 0.2) -> Path:
    """A queue-mode config: the sites as [[sources]], each on its own pinned host name."""
    names = sorted(starts)
    hosts = "\n".join(f'"{host_of(i)}" = ["127.0.0.1"]' for i in range(len(names)))
    sources = "\n".join(f'[[sources]]\nname = "{n}"\nkind = "html"\n'
                        f'url = "http://{host_of(i)}:{server.port}{starts[n]}"\n' for i, n in enumerate(names))
    path.write_text(f"""data_dir = "{path.parent / 'home'}"
database_url = "{db_url}"

[crawl]
download_delay = {delay}
concurrency_per_domain = 2
obey_robots = false
allow_hosts = ["127.0.0.0/8"]
workers = 0
http_cache = true

[crawl.hosts]
{hosts}

[workers]
mode = "queue"
heartbeat_seconds = {heartbeat}
stalled_after_seconds = {stalled}
sweep_seconds = {sweep}

{sources}
""", encoding="utf-8")
    return path


def start_worker(config: Path, concurrency: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen([TRACKER, "worker", "--concurrency", str(concurrency), "--config", str(config)],
                            stdout=open(log, "w"), stderr=subprocess.STDOUT, cwd=str(ROOT),  # noqa: SIM115
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def pg_schema(admin_url: str) -> Iterator[str]:
    """A fresh schema on the database and a URL whose search_path names it."""
    from sqlalchemy import text

    from tracker.db import make_engine, normalise_url

    admin = make_engine(admin_url)
    schema = f"w_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in admin_url else "?"
    try:
        yield normalise_url(admin_url) + f"{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def one_run(work: Path, admin_url: str, server: DemoServer, starts: dict[str, str], workers: int,
            concurrency: int) -> float:
    with pg_schema(admin_url) as db_url:
        config = write_config(work / f"config-{workers}.toml", db_url, server, starts)
        subprocess.run([TRACKER, "db", "upgrade", "--config", str(config)], check=True, capture_output=True)
        procs = [start_worker(config, concurrency, work / f"worker-{workers}-{n}.log") for n in range(workers)]
        try:
            began = time.perf_counter()
            done = subprocess.run([TRACKER, "crawl", "--wait", "--config", str(config)], capture_output=True,
                                  text=True, env=dict(os.environ, COLUMNS="200"))
            elapsed = time.perf_counter() - began
        finally:
            stop(procs)
        if done.returncode != 0:
            raise SystemExit(f"crawl --wait failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=60)
    parser.add_argument("--workers", default="1,2,3")
    parser.add_argument("--concurrency", type=int, default=1, help="jobs per worker")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds each answer is held back")
    parser.add_argument("--database", default=os.environ.get("TRACKER_TEST_DATABASE_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="workers-bench-") as tmp:
        work = Path(tmp)
        starts = build_sites(work / "sites", args.sources)
        with sites_server(work / "sites", args.latency) as server:
            print(f"{args.sources} sources of {CALLS_PER_SITE} calls, {args.latency:g} s latency a page, "
                  f"{args.concurrency} job(s) per worker; load average {os.getloadavg()[0]:.1f}")
            for count in [int(w) for w in args.workers.split(",")]:
                elapsed = one_run(work, args.database, server, starts, count, args.concurrency)
                print(f"{count} worker(s): {elapsed:.1f} s, {args.sources / elapsed * 60:.0f} sources/min "
                      f"(load average {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
