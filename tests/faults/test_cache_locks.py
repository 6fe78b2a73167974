"""The files beside the HTTP cache (pages.sqlite, analysis.sqlite) under contention: page-
reading workers of one crawl, and a second crawl process sharing the cache folder. A writer
holding a transaction open from one write to the next made the others wait out SQLite's 30 s
busy timeout (on the crawl's reactor thread) and then fail with "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobs.crawl_runner import run_crawl
from tests.faults.crawl_helpers import FaultSite, assert_every_call_once, fault_site
from tracker.config import Settings


@pytest.fixture
def site(tmp_path: Path) -> Iterator[FaultSite]:
    with fault_site(tmp_path / "site") as served:
        yield served


@pytest.fixture
def fast(tmp_path: Path, sqlite_engine) -> Settings:  # noqa: ANN001 - the fixture migrates the database
    settings = Settings(data_dir=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'only.db'}")
    settings.crawl.allow_hosts, settings.crawl.download_delay = ["127.0.0.1"], 0
    settings.crawl.concurrency_per_domain = 8
    return settings


def test_a_fresh_crawl_with_several_page_reading_workers_reads_every_page(fast, sqlite_engine, site) -> None:
    fast.crawl.workers = 3
    for funder in ("north", "south"):
        site.add_funder(sqlite_engine, funder, 150)
    outcome = run_crawl(fast, ["north", "south"])
    for result in outcome.results:
        assert (result.status, result.errors, result.error_text) == ("ok", 0, ""), result
        assert_every_call_once(sqlite_engine, site, result.name, "fresh crawl, 3 workers")


def _write(path: Path, sql: str, params: tuple) -> None:
    """A short write of the kind a second crawl process makes, giving up after 2 s."""
    conn = sqlite3.connect(path, timeout=2, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(sql, params)
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_running_crawl_leaves_the_cache_files_writable_for_another_crawl(fast, sqlite_engine, site) -> None:
    fast.crawl.workers = 1
    site.add_funder(sqlite_engine, "held", 150)
    site.gate.hold_after(60)  # the crawl waits on the rest, mid-way
    pages: list[int] = [0]
    crawl = threading.Thread(target=run_crawl, args=(fast, ["held"]), kwargs={
        "on_event": lambda e: pages.append(e["pages"]) if e["event"] == "progress" else None})
    crawl.start()
    try:
        cache = fast.cache_dir
        deadline = time.monotonic() + 120
        while pages[-1] < 50 and crawl.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pages[-1] >= 50 and (cache / "analysis.sqlite").exists(), pages[-1]
        _write(cache / "pages.sqlite", "INSERT INTO page (key, url, stored, meta, body) VALUES (?,?,?,?,?)",
               ("other-crawl", "http://other.test/", 0.0, b"", b""))
        _write(cache / "analysis.sqlite", "INSERT INTO analysis (key, result) VALUES (?, ?)", ("other-crawl", b""))
    finally:
        site.gate.open()
        crawl.join(120)
    assert_every_call_once(sqlite_engine, site, "held", "crawl held mid-way while another wrote the cache files")
