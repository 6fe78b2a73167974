"""What the crawl fault tests share: a funder site of a few hundred calls on loopback (the
crawl benchmark's site, served by the demo server) whose detail pages can be held back,
a seed for the kill points, a handler that kills the crawl process at a chosen point of
its progress, and the check that every call of the site is stored exactly once."""

from __future__ import annotations

import os
import random
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bench.crawl_speed import build_site
from tracker.config import Settings
from tracker.demo.server import DemoRequestHandler, DemoServer, serve_site
from tracker.models import CrawlRun, Opportunity, Source

SEED_VAR = "TRACKER_FAULT_SEED"
HOLD_LIMIT = 120.0  # seconds a held page waits at most, so a failed test cannot hang the server


def fault_seed() -> int:
    """The seed of this run's kill points: TRACKER_FAULT_SEED to replay one, else new."""
    seed = int(os.environ.get(SEED_VAR) or random.randrange(1_000_000))
    print(f"crawl fault seed: {seed} (replay with {SEED_VAR}={seed})")
    return seed


def replay(seed: int) -> str:
    return f"seed {seed}; replay with {SEED_VAR}={seed}"


class Gate:
    """Lets the first `allowed` call pages through; later ones wait until opened."""

    def __init__(self) -> None:
        self.allowed: float = float("inf")
        self.served = 0
        self.lock = threading.Lock()
        self.opened = threading.Event()

    def hold_after(self, pages: int) -> None:
        self.served, self.allowed = 0, pages
        self.opened.clear()

    def open(self) -> None:
        self.allowed = float("inf")
        self.opened.set()

    def enter(self, path: str) -> None:
        if "/calls/" not in path:
            return
        with self.lock:
            self.served += 1
            held = self.served > self.allowed
        if held:
            self.opened.wait(HOLD_LIMIT)


@dataclass
class FaultSite:
    server: DemoServer
    root: Path
    gate: Gate
    truth: dict[str, set[str]] = field(default_factory=dict)  # funder -> its call page urls

    def add_funder(self, engine: Engine, name: str, calls: int) -> None:
        """A funder of `calls` call pages, and a source for it."""
        start = build_site(self.root / name, calls)
        base = f"{self.server.url}/{name}"
        self.truth[name] = {f"{base}/bench-funder/calls/fund-{i}.html" for i in range(calls)}
        with Session(engine) as session:
            session.add(Source(name=name, kind="html", url=base + start))
            session.commit()


@contextmanager
def fault_site(root: Path) -> Iterator[FaultSite]:
    gate = Gate()
    handler = type("GatedHandler", (DemoRequestHandler,), {"do_GET": _gated_get, "gate": gate})
    root.mkdir(parents=True, exist_ok=True)
    with serve_site(root, handler_class=handler) as server:
        try:
            yield FaultSite(server, root, gate)
        finally:
            gate.open()  # let held requests end before the server stops


def _gated_get(self: Any) -> None:
    self.gate.enter(self.path)
    DemoRequestHandler.do_GET(self)


def crawl_settings(settings: Settings, seed_rng: random.Random) -> Settings:
    """The test settings, made fast, with the number of page-reading workers from the seed
    (0: pages are read in the crawl process)."""
    settings.crawl.concurrency_per_domain = 8
    settings.crawl.workers = seed_rng.choice([0, 1, 2])
    return settings


class KillAt:
    """An on_event handler for run_crawl: SIGKILL the crawl process once its progress
    reaches `count` pages or calls."""

    def __init__(self, what: str, count: int) -> None:
        self.what, self.count = what, count
        self.pidfd: int | None = None
        self.fired_at: dict[str, Any] | None = None

    def __call__(self, event: dict[str, Any]) -> None:
        if event["event"] == "started":  # a pidfd: the kill cannot reach a reused pid
            self.pidfd = os.pidfd_open(event["pid"])
        elif event["event"] == "progress" and self.fired_at is None and event[self.what] >= self.count:
            self.fired_at = event
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)

    def __repr__(self) -> str:
        return f"kill after {self.count} {self.what} (fired at {self.fired_at})"

    def close(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)


def stored_calls(engine: Engine, site: FaultSite, funder: str) -> tuple[set[str], int]:
    """The funder's call urls in the database, and how many rows hold them."""
    prefix = f"{site.server.url}/{funder}/"
    with Session(engine) as session:
        urls = list(session.exec(select(Opportunity.url).where(Opportunity.url.startswith(prefix))))
    return set(urls), len(urls)


def assert_every_call_once(engine: Engine, site: FaultSite, funder: str, why: str) -> None:
    urls, rows = stored_calls(engine, site, funder)
    truth = site.truth[funder]
    lost, extra = truth - urls, urls - truth
    assert not lost and not extra and rows == len(truth), (
        f"{funder}: {len(lost)} of {len(truth)} calls lost, {len(extra)} unexpected, "
        f"{rows - len(urls)} duplicate rows; {why}; lost e.g. {sorted(lost)[:3]}")


def running_runs(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(CrawlRun).where(CrawlRun.status == "running")).one()


def runs_of(engine: Engine, funder: str) -> list[CrawlRun]:
    with Session(engine) as session:
        source = session.exec(select(Source).where(Source.name == funder)).one()
        return list(session.exec(select(CrawlRun).where(CrawlRun.source_id == source.id).order_by(CrawlRun.id)))
