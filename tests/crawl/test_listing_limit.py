"""A long paginated listing on loopback: read whole by default; with the page limit set low,
the source's health and `tracker sources test` say where the crawl stopped."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import Session, select

from jobs.crawl_runner import run_crawl
from tracker.demo.server import DemoRequestHandler, serve_site
from tracker.models import Source

PAGES = 100


def write_listing(root: Path, pages: int = PAGES) -> str:
    """`pages` listing pages chained by rel=next, two funds on each, and the funds' own pages."""
    site = root / "funder"
    (site / "funds").mkdir(parents=True)
    for p in range(1, pages + 1):
        nxt = f'<a rel="next" href="/funder/grants?page={p + 1}">Next page</a>' if p < pages else ""
        (site / f"grants-{p}.html").write_text(
            "<!doctype html><html><head><title>Grants</title></head><body><main><h1>Open grants</h1>"
            "<ul>" + "".join(f'<li class="card"><a href="/funder/funds/fund-{p}{x}.html">Community Fund {p}{x}</a>'
                             f"<p>Grants for local projects.</p></li>" for x in "ab") + "</ul>"
            f"<nav class='pagination'>{nxt}</nav></main></body></html>")
        for x in "ab":
            (site / "funds" / f"fund-{p}{x}.html").write_text(
                f"<!doctype html><html><head><title>Community Fund {p}{x}</title></head><body><main>"
                f"<h1>Community Fund {p}{x}</h1><p>This fund supports community safety projects in Norfolk.</p>"
                f"<h2>How much</h2><p>Grants of between £1,000 and £{p},000 are available.</p>"
                f"<h2>Who can apply</h2><p>Parish councils and registered charities may apply.</p>"
                f"<h2>Deadline</h2><p>The closing date is 5pm on 14 May 2027.</p></main></body></html>")
    return "/funder/grants?page=1"


class QueryPages(DemoRequestHandler):
    """/funder/grants?page=N served from grants-N.html: a listing addressed by its query string."""

    def translate_path(self, path: str) -> str:
        base, _, query = path.partition("?")
        if base == "/funder/grants" and query.startswith("page="):
            path = f"/funder/grants-{query.removeprefix('page=')}.html"
        return super().translate_path(path)


@contextmanager
def long_listing_site(root: Path) -> Iterator[str]:
    """The listing served on loopback; yields its start URL."""
    start = write_listing(root)
    with serve_site(root, handler_class=QueryPages) as server:
        yield server.url + start


@pytest.fixture
def long_listing(tmp_path):
    with long_listing_site(tmp_path / "site") as url:
        yield url


def _add(engine, url: str) -> None:
    with Session(engine) as s:
        s.add(Source(name="long", kind="html", url=url))
        s.commit()


def test_a_hundred_page_listing_is_read_whole_by_default(settings, engine, long_listing) -> None:
    _add(engine, long_listing)
    result = run_crawl(settings, ["long"]).results[0]
    assert result.status == "ok" and result.calls == 2 * PAGES
    assert result.stopped == ""
    with Session(engine) as s:
        source = s.exec(select(Source)).one()
        assert source.healthy and source.health_note == ""


def test_a_listing_page_limit_reached_is_in_health_and_source_test(settings, engine, long_listing,
                                                                   tmp_path) -> None:
    settings.crawl.max_listing_pages = 10
    _add(engine, long_listing)
    result = run_crawl(settings, ["long"]).results[0]
    assert result.status == "ok" and result.calls == 20
    assert "stopped after 10 listing pages" in result.stopped and "page=11" in result.stopped
    with Session(engine) as s:
        source = s.exec(select(Source)).one()
        assert not source.healthy
        assert source.health_note.startswith("20 calls found, then stopped after 10 listing pages")
        assert "grants?page=11" in source.health_note and "max_listing_pages" in source.health_note

