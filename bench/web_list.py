"""Opportunities list page under load: 20,000 opportunities, 20 concurrent clients on
loopback against a real `tracker serve` process; filtered, sorted, paginated pages.

    .venv/bin/python bench/web_list.py [--rows 20000] [--clients 20] [--requests 1000] [--workers 1]

Prints p50/p95/p99/max latency and throughput. Target: p95 < 200 ms."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "correct horse battery"
QUERIES = [
    "",
    "status=open",
    "status=open&theme=youth",
    "theme=domestic_abuse&sort=amount",
    "funder=Funder+7&sort=newest",
    "area=Peterborough&status=open",
    "q=safer&sort=deadline",
    "q=youth+diversion",
    "deadline_from={d0}&deadline_to={d1}",
    "min_amount=20000&max_amount=5000",
    "status=upcoming&page=3",
    "sort=title&page=40",
    "theme=vawg&area=Cambridgeshire&page=2",
]


def _cpu_seconds(pid: int) -> float:
    """User+system CPU of a process and its children (Linux /proc), 0 elsewhere."""
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for p in [str(pid), *children]:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(db_url: str, rows: int) -> None:
    from sqlalchemy import insert

    from tracker.db import make_engine, refresh_planner_stats, session_scope, upgrade
    from tracker.models import Opportunity
    from tracker.users import add_user
    from tracker.vocab import load_vocabulary

    engine = make_engine(db_url)
    upgrade(engine)
    vocab = load_vocabulary()
    themes, areas = list(vocab.themes), list(vocab.parents)
    words = ["Safer", "Streets", "Youth", "Diversion", "Community", "Resilience", "Violence", "Reduction",
             "Neighbourhood", "Grants", "Fund", "Programme", "Prevention", "Partnership", "Innovation"]
    rnd = random.Random(7)
    today = date.today()
    batch = []
    for n in range(rows):
        lo = rnd.choice([None, 500, 1000, 5000, 10000, 25000])
        batch.append({
            "url": f"https://funder{n % 300}.example/calls/{n}", "title": " ".join(rnd.sample(words, 4)) + f" {n}",
            "funder": f"Funder {n % 300}", "summary": " ".join(rnd.choices(words, k=60)),
            "deadline": today + timedelta(days=rnd.randint(-200, 400)), "rolling": False,
            "amount_min": lo, "amount_max": (lo or 1000) * rnd.choice([2, 5, 10]), "currency": "GBP",
            "status": rnd.choice(["open", "open", "open", "upcoming", "closed"]),
            "eligible_org_types": ["local_authority", "charity"], "excluded_org_types": [],
            "areas": rnd.sample(areas, 2), "themes": rnd.sample(themes, 3), "eligibility_text": "",
            "problems": [], "content_hash": str(n), "duplicate_of_id": None,
        })
    with engine.begin() as conn:
        for start in range(0, len(batch), 2000):
            conn.execute(insert(Opportunity), batch[start:start + 2000])
    refresh_planner_stats(engine)  # as every crawl batch does after storing calls
    with session_scope(engine) as s:
        add_user(s, "bench@council.example", "viewer", PASSWORD)
    engine.dispose()


def login_cookie(base: str) -> str:
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        r = client.post("/login", data={"email": "bench@council.example", "password": PASSWORD,
                                        "csrf_token": token})
        if r.status_code != 303:
            raise SystemExit(f"login failed: {r.status_code}")
        return f"tracker_session={client.cookies['tracker_session']}"


async def client_run(port: int, cookie: str, urls: list[str], latencies: list[float], errors: list[str]) -> None:
    """One keep-alive connection, one request at a time. A minimal HTTP/1.1 client, so
    that on a small machine the load generator does not take the CPU the server needs."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for url in urls:
            start = time.perf_counter()
            writer.write(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(next(line.split(b":", 1)[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:")))
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if status != 200 or b"result-count" not in body:
                errors.append(f"{url} {status}")
    finally:
        writer.close()


async def load(port: int, cookie: str, clients: int, total: int) -> tuple[list[float], list[str], float]:
    d0, d1 = date.today().isoformat(), (date.today() + timedelta(days=60)).isoformat()
    rnd = random.Random(1)
    plan = [["/opportunities?" + rnd.choice(QUERIES).format(d0=d0, d1=d1) for _ in range(total // clients)]
            for _ in range(clients)]
    latencies: list[float] = []
    errors: list[str] = []
    await client_run(port, cookie, plan[0][:20], [], errors)  # warm up
    start = time.perf_counter()
    await asyncio.gather(*(client_run(port, cookie, urls, latencies, errors) for urls in plan))
    return latencies, errors, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="web-bench-"))
    db_url = os.environ.get("TRACKER_DATABASE_URL") or f"sqlite:///{home / 'tracker.db'}"
    t0 = time.perf_counter()
    seed(db_url, args.rows)
    print(f"seeded {args.rows} opportunities in {time.perf_counter() - t0:.1f} s ({db_url.split(':')[0]})")
    port = free_port()
    env = {**os.environ, "TRACKER_HOME": str(home), "TRACKER_DATABASE_URL": db_url}
    env.pop("TRACKER_CONFIG", None)
    proc = subprocess.Popen([sys.executable, "-m", "tracker.web", "--port", str(port), "--workers",
                             str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        cookie = login_cookie(base)
        cpu_before = _cpu_seconds(proc.pid)
        latencies, errors, elapsed = asyncio.run(load(port, cookie, args.clients, args.requests))
        server_cpu = _cpu_seconds(proc.pid) - cpu_before
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100)
    print(f"{len(ms)} requests, {args.clients} concurrent clients, {args.workers} worker(s): "
          f"{len(ms) / elapsed:.0f} req/s")
    print(f"latency ms: p50 {q[49]:.0f}  p95 {q[94]:.0f}  p99 {q[98]:.0f}  max {ms[-1]:.0f}  "
          f"(target p95 < 100, issue 17)")
    if server_cpu:
        print(f"server CPU: {server_cpu * 1000 / len(ms):.1f} ms per request (all its processes)")
    if errors:
        print(f"{len(errors)} errors, e.g. {errors[:3]}")


if __name__ == "__main__":
    main()
