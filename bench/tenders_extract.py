"""Live tender sources: how fast notices are read, and a whole crawl through the fake APIs.

    .venv/bin/python bench/tenders_extract.py [--notices 2000]

1. Reading: every fixture release (real Contracts Finder, Find a Tender to its schema) through
   not_an_opportunity, filtered_out (keywords + CPV + region + VCSE), tender_call and the
   normaliser, repeated to --notices; notices a second.
2. Crawling: --notices Contracts Finder notices spread over 30 days, served by the fake API
   (tests/tender_api.py) on loopback, 100 a page, no pacing: one contracts-finder source
   crawled for real (child process, store, SQLite) into a fresh database;
   wall time, pages, calls stored, and the same again (an incremental crawl of an empty window).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spiders.extract.tenders import filtered_out, not_an_opportunity, tender_call  # noqa: E402
from tests.tender_api import FakeTenderApi, fixture_releases, serve_api, spread  # noqa: E402
from tracker.normalize import normalize_call  # noqa: E402

FILTERS = {"keywords": ["domestic abuse", "youth", "violence", "support"], "cpv": ["85", "75"],
           "regions": ["East of England", "UKG"], "vcse": True}


def reading(count: int) -> None:
    releases = fixture_releases("contracts-finder") + fixture_releases("find-a-tender")
    kinds = ["contracts-finder"] * 70 + ["find-a-tender"] * 10
    today = datetime.now(UTC).date()
    start = time.perf_counter()
    kept = 0
    for n in range(count):
        release, kind = releases[n % len(releases)], kinds[n % len(kinds)]
        if not_an_opportunity(release) or filtered_out(release, FILTERS):
            continue
        normalize_call(tender_call(kind, release, f"https://x.example/{n}#{release['ocid']}", None), today=today)
        kept += 1
    took = time.perf_counter() - start
    start = time.perf_counter()
    for n in range(count):
        release, kind = releases[n % len(releases)], kinds[n % len(kinds)]
        if not not_an_opportunity(release):
            normalize_call(tender_call(kind, release, f"https://x.example/{n}#{release['ocid']}", None), today=today)
    unfiltered = time.perf_counter() - start
    print(f"reading: {count} notices, {kept} kept by the filters: {took:.2f} s = {count / took:,.0f} notices/s; "
          f"with no filter (every opportunity normalised): {unfiltered:.2f} s = {count / unfiltered:,.0f}/s")


def crawling(count: int) -> None:
    from sqlmodel import Session

    from jobs.crawl_runner import run_crawl
    from tracker.config import Settings
    from tracker.db import make_engine, upgrade
    from tracker.sources import add_source

    base = fixture_releases("contracts-finder")
    many = []
    for n in range(count):
        release = dict(base[n % len(base)])
        release["ocid"] = f"{release['ocid']}-{n}"
        release["id"] = f"{n:08x}-0000-4000-8000-000000000000-1"
        release["tender"] = {**release["tender"], "documents": []}
        many.append(release)
    releases = spread(many, datetime.now(UTC).replace(microsecond=0), 29)
    with tempfile.TemporaryDirectory() as home, serve_api(FakeTenderApi({"contracts-finder": releases,
                                                                          "find-a-tender": []})) as api:
        settings = Settings(data_dir=Path(home))
        settings.crawl.allow_hosts = ["127.0.0.1"]
        settings.crawl.http_cache = False
        settings.tenders.contracts_finder_delay = 0
        engine = make_engine(settings.db_url)
        upgrade(engine)
        with Session(engine) as s:
            add_source(s, settings, name="cf", kind="contracts-finder", url=api.url)
            s.commit()
        for label in ("first crawl", "next crawl (nothing new)"):
            start = time.perf_counter()
            result = run_crawl(settings, ["cf"]).results[0]
            took = time.perf_counter() - start
            print(f"{label}: {took:.1f} s, {result.pages} pages, {result.calls_new} calls new, "
                  f"{result.skipped} skipped, status {result.status}")
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=2000)
    args = parser.parse_args()
    reading(args.notices * 5)
    crawling(args.notices)


if __name__ == "__main__":
    main()
