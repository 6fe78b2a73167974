"""End to end: real Scrapy crawls (child process) against a static server on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.spiders.helpers import DEVSET
from tracker.demo.server import serve_site

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_site(DEVSET) as server:  # binds port 0 itself: no port picked and released
        yield server.url


def crawl(spec: list[dict]) -> tuple[list[dict], dict[str, dict]]:
    done = subprocess.run([sys.executable, "-m", "tests.spiders.crawl_probe", json.dumps(spec)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return [x["item"] for x in lines if "item" in x], {x["closed"]: x for x in lines if "closed" in x}


def test_crawl_html_feed_and_ocds_sources(site: str) -> None:
    items, closed = crawl([
        {"kind": "html", "url": site + "/cambs-pcc/commissioning-and-grants/index.html", "funder": "Cambs PCC"},
        {"kind": "rss", "url": site + "/cambs-cf/feed/grants.xml"},
        {"kind": "ocds", "url": site + "/cambs-opcc-procurement/ocds/release-package.json"},
    ])
    paths = {i["url"].removeprefix(site) for i in items}
    pcc = {p for p in paths if p.startswith("/cambs-pcc/")}
    assert len(pcc) == 8 and "/cambs-pcc/commissioning-and-grants/past-awards.html" not in pcc
    youth_url = site + "/cambs-pcc/commissioning-and-grants/youth-and-community-fund.html"
    youth = next(i for i in items if i["url"] == youth_url)
    assert "5pm on 17/09/2027" in youth["listing_text"]
    assert len([p for p in paths if p.startswith("/cambs-cf/")]) == 9
    assert len([p for p in paths if "#ocds-" in p]) == 5
    html = closed["html"]
    assert html["reason"] == "finished" and html["stats"]["tracker/pages"] >= 10
    assert html["stats"]["tracker/skipped_non_call"] == len(html["skipped"]) == 2
    assert closed["feed"]["stats"]["tracker/skipped_non_call"] == 1


def test_crawl_paginated_listing(site: str) -> None:
    items, closed = crawl([{"kind": "html", "url": site + "/find-grant/grants/index.html"}])
    assert len(items) == 19 and closed["html"]["skipped"] == []
    titles = {i["title"] for i in items}
    assert "Hate Crime Community Projects Fund 2025 to 2026" in titles  # on page 3
