"""Hostile and broken sources, crawled for real (child process, loopback HTTP server):
feeds with links that are not web addresses, a broken source beside a healthy one, and
new sources that yield nothing (gzip bomb, empty body, malformed feed, HTML registered as
RSS, redirect loop, a name the address guard refuses) — each must say why it found no calls."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlmodel import Session, select

from jobs.crawl_runner import run_crawl
from tracker.config import Settings
from tracker.models import Opportunity, Source

CAP_KB = 64  # the crawl's page size cap in these tests


def call_page(n: int) -> bytes:
    return (f"<html><head><title>Safer Streets Fund {n}</title></head><body><main>"
            f"<h1>Safer Streets Fund {n}</h1><p>Grants of up to £5,000 for community safety projects "
            f"in Peterborough. Voluntary groups can apply. The closing date is 1 June 2027.</p>"
            f"</main></body></html>").encode()


def rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Safer Streets Fund {i}</title><link>{link}</link>"
                    f"<description>Grants of up to £5,000 for community safety. Closing date 1 June 2027."
                    f"</description></item>" for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Funding</title>'
            f"{items}</channel></rss>").encode()


def gzip_bomb() -> bytes:
    """A few KB on the wire that expand past the size cap."""
    return gzip.compress(b"\0" * (CAP_KB * 1024 * 16), compresslevel=9)


class Hostile(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802
        status, headers, body = self.routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for key, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    xml = {"Content-Type": "application/rss+xml"}
    Hostile.routes = {
        **{f"/grants/fund-{i}.html": (200, {}, call_page(i)) for i in range(8)},
        "/gzip-bomb.html": (200, {"Content-Encoding": "gzip"}, gzip_bomb()),
        "/empty.xml": (200, xml, b""),
        "/empty.html": (200, {}, b""),
        # a server-side warning printed ahead of the feed: not XML any more
        "/malformed.xml": (200, xml, b"<b>Warning</b>: Too many connections in <b>/var/www/feed.php</b><br />\n"
                                     + rss([base + "/grants/fund-0.html"])),
        "/down.xml": (500, xml, b"Internal Server Error"),
        "/page.html": (200, {}, b"<html><body><main><h1>Welcome to Fenland Community Foundation</h1>"
                                b"<p>We look after local charitable funds.</p></main></body></html>"),
        "/loop-a": (302, {"Location": base + "/loop-b"}, b""),
        "/loop-b": (302, {"Location": base + "/loop-a"}, b""),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def crawl_settings(settings: Settings) -> Settings:
    settings.crawl.max_page_kb = CAP_KB
    settings.crawl.workers = 0  # read pages in the crawl process: one process per crawl is enough here
    return settings


def add(engine, name: str, kind: str, url: str) -> None:  # noqa: ANN001
    with Session(engine) as s:
        s.add(Source(name=name, kind=kind, url=url))
        s.commit()


def health(engine, name: str) -> tuple[bool, str]:  # noqa: ANN001
    with Session(engine) as s:
        source = s.exec(select(Source).where(Source.name == name)).one()
        return source.healthy, source.health_note


BAD_LINKS = {"mailto": "mailto:grants@funder.example", "javascript": "javascript:void(0)",
             "data": "data:text/html,<h1>Safer Streets Fund</h1>"}


@pytest.mark.parametrize("position", ["first", "middle"])
@pytest.mark.parametrize("scheme", sorted(BAD_LINKS))
def test_a_feed_link_that_is_not_a_web_address_loses_no_other_item(crawl_settings, engine, server, scheme,
                                                                   position) -> None:
    good = [f"{server}/grants/fund-{i}.html" for i in range(4)]
    links = [BAD_LINKS[scheme], *good] if position == "first" else [*good[:2], BAD_LINKS[scheme], *good[2:]]
    Hostile.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(links))
    add(engine, "feed", "rss", server + "/feed.xml")
    result = run_crawl(crawl_settings, ["feed"]).results[0]
    assert result.status == "ok", result.error_text
    with Session(engine) as s:
        stored = {o.url for o in s.exec(select(Opportunity))}
    assert set(good) <= stored, stored
    assert not any(url.startswith(("mailto:", "javascript:", "data:")) for url in stored), stored
    assert health(engine, "feed")[0], health(engine, "feed")


def test_a_healthy_source_beside_a_broken_one_stays_healthy(crawl_settings, engine, server) -> None:
    """One child process crawls both: the broken source's errors are its own."""
    good = [f"{server}/grants/fund-{i}.html" for i in range(3)]
    Hostile.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(good))
    add(engine, "healthy", "rss", server + "/feed.xml")
    add(engine, "broken", "rss", server + "/down.xml")
    results = {r.name: r for r in run_crawl(crawl_settings, ["healthy", "broken"]).results}
    assert results["broken"].calls == 0 and results["broken"].errors >= 1, results["broken"]
    healthy = results["healthy"]
    assert (healthy.status, healthy.calls, healthy.errors, healthy.error_text) == ("ok", 3, 0, ""), healthy
    assert health(engine, "healthy") == (True, "")
    assert not health(engine, "broken")[0]


BROKEN = [  # (kind, path, what the reason must say)
    ("html", "/gzip-bomb.html", "larger than the size cap"),
    ("html", "/huge.html", "larger than the size cap"),
    ("html", "/empty.html", "empty response"),
    ("rss", "/empty.xml", "empty response"),
    ("rss", "/malformed.xml", "the feed could not be parsed"),
    ("rss", "/page.html", "the feed could not be parsed"),
    ("html", "/loop-a", "redirect loop"),
    ("html", "/page.html", "no call signals"),
]


@pytest.mark.parametrize(("kind", "path", "why"), BROKEN, ids=[f"{k}:{p}" for k, p, _ in BROKEN])
def test_a_new_source_that_yields_nothing_says_why(crawl_settings, engine, server, kind, path, why) -> None:
    Hostile.routes["/huge.html"] = (200, {}, b"<html><body>" + b"x" * (CAP_KB * 1024 * 2) + b"</body></html>")
    add(engine, "new", kind, server + path)
    result = run_crawl(crawl_settings, ["new"]).results[0]
    assert result.calls == 0 and why in result.reason, result
    healthy, note = health(engine, "new")
    assert not healthy and why in note, note
    assert note.startswith(("no calls found: ", "last crawl failed: ")), note


def test_a_name_the_address_guard_refuses_says_so(crawl_settings, engine, server) -> None:
    """funder.test resolves (through the crawl's static host map, no DNS) to 127.0.0.1, which is
    not allowed: the guard's refusal is the reason, not a failed DNS lookup."""
    crawl_settings.crawl.allow_hosts = []
    port = server.rsplit(":", 1)[1]
    add(engine, "refused", "html", f"http://funder.test:{port}/grants/fund-0.html")
    outcome = run_crawl(crawl_settings, ["refused"],
                        scrapy_overrides={"TRACKER_STATIC_HOSTS": {"funder.test": ["127.0.0.1"]}})
    result = outcome.results[0]
    assert result.status == "failed" and "blocked by the address guard" in result.error_text, result
    assert "DNS lookup failed" not in result.error_text, result
    healthy, note = health(engine, "refused")
    assert not healthy and "blocked by the address guard" in note, note


def test_tracker_crawl_reports_a_new_source_without_calls_and_why(tmp_path, db_url, server) -> None:
    """What an admin sees: the crawl summary, then `tracker sources list`."""
    config = tmp_path / "config.toml"
    config.write_text('[crawl]\nallow_hosts = ["127.0.0.1"]\ndownload_delay = 0\nworkers = 0\n')
    env = dict(os.environ, TRACKER_HOME=str(tmp_path / "home"), TRACKER_DATABASE_URL=db_url,
               TRACKER_CONFIG=str(config), COLUMNS="250")

    def tracker(*args: str) -> str:
        done = subprocess.run([str(Path(sys.executable).with_name("tracker")), *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    tracker("sources", "add", "--name", "welcome", "--kind", "html", "--url", server + "/page.html")
    out = tracker("crawl")
    assert "no calls found" in out and "welcome: no calls found: no call signals" in out, out
    (row,) = json.loads(tracker("sources", "list", "--format", "json"))
    assert not row["healthy"] and row["health_note"].startswith("no calls found: no call signals"), row
