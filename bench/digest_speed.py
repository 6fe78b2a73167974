"""Digest speed: build one digest from a database of 20,000 opportunities, and build and
send 1,000 digests to a loopback SMTP server (aiosmtpd). Target (issue 17): 1,000 in under
10 s, each under 40 KiB.

    .venv/bin/python bench/digest_speed.py [--opportunities 20000] [--recipients 1000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import socket
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import insert

from tracker.config import DigestSettings, Settings, SmtpSettings
from tracker.db import make_engine, session_scope, upgrade
from tracker.digest import SendOptions, send_digests
from tracker.digest.build import build_digest
from tracker.digest.render import render_mail
from tracker.models import Bid, Match, Need, Opportunity, OpportunityRevision, User

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
NEEDS = 10


class Counter:
    def __init__(self, count, size) -> None:  # noqa: ANN001 - multiprocessing Values
        self.count, self.size = count, size

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        with self.count.get_lock():
            self.count.value += 1
            self.size.value += len(envelope.content)
        return "250 OK"


def serve(port: int, count, size, stop) -> None:  # noqa: ANN001
    """aiosmtpd in its own process, as a real mail server would be."""
    controller = Controller(Counter(count, size), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


def seed(engine, opportunities: int, recipients: int, rng: random.Random) -> None:  # noqa: ANN001
    today = NOW.date()
    opp_rows = [{
        "url": f"https://funder{i % 200}.example/calls/{i}", "title": f"Community safety call {i}",
        "funder": f"Funder {i % 200}", "summary": "Funding for <strong>local</strong> projects. " * 8,
        "deadline": today + timedelta(days=rng.randint(-60, 300)), "rolling": False, "currency": "GBP",
        "amount_min": rng.choice([None, 1000, 5000, 10000]), "amount_max": rng.choice([None, 50000, 250000]),
        "status": "open", "eligible_org_types": [], "excluded_org_types": [], "areas": [], "themes": [],
        "eligibility_text": "", "problems": [], "content_hash": "", "first_seen": NOW, "last_seen": NOW,
        "last_changed": NOW,
    } for i in range(opportunities)]
    with session_scope(engine) as s:
        s.add_all(Need(id=f"N{n}", title=f"Need {n}") for n in range(NEEDS))
        s.execute(insert(Opportunity), opp_rows)
        s.flush()
        ids = list(s.exec(Opportunity.__table__.select().with_only_columns(Opportunity.__table__.c.id)).scalars())
        match_rows = [{
            "need_id": f"N{n}", "opportunity_id": oid, "score": rng.random(), "eligible": rng.random() < 0.7,
            "too_tight": False, "reasons": ["Theme: youth", "Area: Peterborough", "Keyword: knife crime"],
            "dismissed": rng.random() < 0.05, "first_matched_at": NOW, "scored_at": NOW,
        } for n in range(NEEDS) for oid in rng.sample(ids, 300)]
        s.execute(insert(Match), match_rows)
        s.execute(insert(OpportunityRevision), [
            {"opportunity_id": oid, "seen_at": NOW - timedelta(days=2),
             "changes": {"deadline": ["2027-01-01", "2027-02-01"]}} for oid in rng.sample(ids, 500)])
        s.execute(insert(Bid), [{"opportunity_id": oid, "status": rng.choice(["interested", "preparing", "applied"]),
                                 "notes": "", "created_at": NOW, "updated_at": NOW} for oid in rng.sample(ids, 30)])
        s.execute(insert(User), [{
            "email": f"user{u:04d}@council.example", "name": f"User {u}", "role": rng.choice(["staff", "viewer"]),
            "password_hash": "", "digest": True, "session_epoch": 0, "calendar_token": "", "active": True,
            "followed_needs": rng.sample([f"N{n}" for n in range(NEEDS)], rng.randint(1, 3)), "created_at": NOW,
        } for u in range(recipients)])
        s.add(User(email="admin@council.example", role="admin", digest=False))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("SMTP server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=20000)
    parser.add_argument("--recipients", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(5)
    tmp = Path(tempfile.mkdtemp(prefix="digest-bench-"))
    engine = make_engine(f"sqlite:///{tmp}/bench.db")
    upgrade(engine)
    started = time.perf_counter()
    seed(engine, args.opportunities, args.recipients, rng)
    print(f"seeded {args.opportunities:,} opportunities, {NEEDS * 300:,} matches, "
          f"{args.recipients:,} recipients in {time.perf_counter() - started:.1f} s")

    builds, renders = [], []
    with session_scope(engine) as s:
        admin = s.exec(User.__table__.select().where(User.email == "admin@council.example")).first()
        user = s.get(User, admin.id)
        for _ in range(7):
            t0 = time.perf_counter()
            content = build_digest(s, user, now=NOW, timezone="Europe/London",
                                   base_url="https://tracker.example", secret="bench")
            t1 = time.perf_counter()
            render_mail(content, from_address="t@council.example", message_id="<b@x>", now=NOW).smtp_bytes()
            builds.append(t1 - t0)
            renders.append(time.perf_counter() - t1)
    print(f"build one digest (admin, all {NEEDS} needs, {content.new_count} new matches, "
          f"{len(content.closing)} closing, {len(content.changed)} changed): "
          f"median {statistics.median(builds) * 1000:.0f} ms; render {statistics.median(renders) * 1000:.0f} ms")

    port, count, size, stop = free_port(), mp.Value("i", 0), mp.Value("q", 0), mp.Event()
    server = mp.Process(target=serve, args=(port, count, size, stop), daemon=True)
    server.start()
    _wait_for(port)
    try:
        smtp = SmtpSettings(host="127.0.0.1", port=port, security="none",
                            from_address="tracker@council.example")
        settings = Settings(data_dir=tmp, smtp=smtp, digest=DigestSettings(base_url="https://tracker.example"))
        t0, cpu0 = time.perf_counter(), time.process_time()
        report = send_digests(engine, settings, now=NOW, secret="bench", options=SendOptions(backoff=0.05))
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    finally:
        stop.set()
        server.join(10)
    received = count.value
    each = size.value / max(received, 1) / 1024
    verdict = "OK" if elapsed < 10 and received == report.sent == args.recipients else "SLOW or INCOMPLETE"
    print(f"built and sent {report.sent:,} digests ({received:,} received, "
          f"{each:.1f} KiB each [{'OK' if each < 40 else 'TOO BIG'}, target < 40]) in {elapsed:.1f} s "
          f"= {report.sent / elapsed:.0f}/s [{verdict}, target < 10 s]; sender CPU {cpu:.1f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(report.summary())


if __name__ == "__main__":
    main()
