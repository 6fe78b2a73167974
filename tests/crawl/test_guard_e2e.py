"""The SSRF guard end to end in real Scrapy crawls with the production settings (built
from a tracker config by jobs.scrapy_settings), on loopback only: 127.x spellings,
`localhost`, names pinned by `[crawl] hosts` to 127.x addresses, and redirects from an
allowed loopback server to blocked ones. A second server on 127.0.0.2 counts what reaches
it, so a refusal by the guard is told apart from nothing listening."""

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tracker.config import Settings

PROBE = Path(__file__).with_name("guard_probe.py")
ROOT = Path(__file__).resolve().parents[2]


class Handler(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.path.split("to=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<html><body>grants</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class Site:
    def __init__(self, address: str) -> None:
        self.hits: list[str] = []
        handler = type("Counting", (Handler,), {"hits": self.hits})
        self.server = ThreadingHTTPServer((address, 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[Site, Site]]:
    """The funder (127.0.0.1) and an internal service (127.0.0.2) the guard must keep out."""
    outer, inner = Site("127.0.0.1"), Site("127.0.0.2")
    yield outer, inner
    for site in (outer, inner):
        site.server.shutdown()
        site.server.server_close()


def probe(tmp_path: Path, urls: list[str], allow: list[str] = (), hosts: dict | None = None) -> dict:
    settings = Settings(data_dir=tmp_path / "home")
    settings.crawl.allow_hosts = list(allow)
    settings.crawl.hosts = hosts or {}
    settings.crawl.obey_robots = False
    settings.crawl.download_delay = 0
    spec = json.dumps({"urls": urls, "settings": settings.model_dump(mode="json")})
    done = subprocess.run([sys.executable, str(PROBE), spec], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(out) == sorted(urls), out
    return out


def test_loopback_is_refused_in_every_spelling(tmp_path, sites) -> None:
    outer, _ = sites
    port = outer.port
    urls = [f"http://127.0.0.1:{port}/a", f"http://127.1:{port}/b", f"http://2130706433:{port}/c",
            f"http://0x7f.0.0.1:{port}/d", f"http://localhost:{port}/e", "file:///etc/hostname"]
    out = probe(tmp_path, urls)
    assert all(v.startswith("refused") for v in out.values()), out
    assert outer.hits == []


def test_allowlisted_loopback_is_fetched(tmp_path, sites) -> None:
    outer, _ = sites
    url = f"http://127.0.0.1:{outer.port}/page"
    out = probe(tmp_path, [url], allow=["127.0.0.1"])
    assert out[url].startswith("fetched 200"), out
    assert "/page" in outer.hits


def test_host_name_resolving_to_loopback_is_refused(tmp_path, sites) -> None:
    outer, inner = sites
    hosts = {"funder.test": ["127.0.0.1"], "rebind.test": ["127.0.0.2", "127.0.0.1"], "ok.test": ["127.0.0.1"]}
    named, rebound = f"http://funder.test:{outer.port}/named", f"http://rebind.test:{inner.port}/rebound"
    control = f"http://ok.test:{outer.port}/control"  # allowed by name: proves the names resolve here
    # Every answer blocked: refused, though the port is served.
    out = probe(tmp_path, [named, control], allow=["ok.test"], hosts=hosts)
    assert out[named].startswith("refused") and out[control].startswith("fetched 200"), out
    assert "/named" not in outer.hits
    # 127.0.0.1 is allowed, but a name with any blocked answer is refused as a whole.
    out = probe(tmp_path, [rebound, control], allow=["127.0.0.1"], hosts=hosts)
    assert out[rebound].startswith("refused") and out[control].startswith("fetched 200"), out
    assert inner.hits == []


def test_host_name_allowed_by_name_is_fetched(tmp_path, sites) -> None:
    outer, _ = sites
    url = f"http://funder.test:{outer.port}/by-name"
    out = probe(tmp_path, [url], allow=["funder.test"], hosts={"funder.test": ["127.0.0.1"]})
    assert out[url].startswith("fetched 200"), out
    assert "/by-name" in outer.hits


def test_localhost_allowed_by_name_is_fetched_through_the_system_resolver(tmp_path, sites) -> None:
    outer, _ = sites
    url = f"http://localhost:{outer.port}/localhost"
    out = probe(tmp_path, [url], allow=["localhost"])
    assert out[url].startswith("fetched 200"), out


def test_redirect_from_an_allowed_server_to_a_blocked_address_is_not_followed(tmp_path, sites) -> None:
    outer, inner = sites
    hop = f"http://127.0.0.1:{outer.port}/redirect?to="
    literal = hop + f"http://127.0.0.2:{inner.port}/secret-literal"
    named = hop + f"http://inner.test:{inner.port}/secret-named"
    local = hop + f"http://localhost:{outer.port}/secret-localhost"
    control = hop + f"http://ok.test:{outer.port}/control"  # an allowed hop is followed
    out = probe(tmp_path, [literal, named, local, control], allow=["127.0.0.1"],
                hosts={"inner.test": ["127.0.0.2"], "ok.test": ["127.0.0.1"]})
    assert out.pop(control) == f"fetched 200 http://ok.test:{outer.port}/control", out
    assert all(v.startswith("refused") for v in out.values()), out
    assert inner.hits == []  # the internal service never saw a request
    assert "/secret-localhost" not in outer.hits
    assert sum(p.startswith("/redirect") for p in outer.hits) >= 4  # the allowed server was asked
