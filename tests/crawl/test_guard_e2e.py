"""The SSRF guard end to end in real Scrapy crawls, on loopback only: 127.x spellings,
a stubbed resolver (TRACKER_STATIC_HOSTS) and a redirect to a refused address."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("guard_probe.py")
ROOT = Path(__file__).resolve().parents[2]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.path.split("to=", 1)[1])
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


@pytest.fixture(scope="module")
def port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def probe(urls, allow=(), static=None) -> dict:
    spec = json.dumps({"urls": list(urls), "allow": list(allow), "static": static or {}})
    done = subprocess.run([sys.executable, str(PROBE), spec], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_loopback_is_refused_in_every_spelling(port) -> None:
    urls = [f"http://127.0.0.1:{port}/", f"http://127.1:{port}/", f"http://2130706433:{port}/",
            f"http://0x7f.0.0.1:{port}/", f"http://localhost:{port}/", "file:///etc/hostname"]
    out = probe(urls)
    assert all(v.startswith("refused") for v in out.values()), out
    assert len(out) == len(urls)


def test_allowlisted_loopback_is_fetched(port) -> None:
    out = probe([f"http://127.0.0.1:{port}/page"], allow=["127.0.0.1"])
    assert out[f"http://127.0.0.1:{port}/page"].startswith("fetched 200")


def test_host_name_resolving_to_loopback_is_refused(port) -> None:
    static = {"funder.test": ["127.0.0.1"], "rebind.test": ["127.0.0.1", "127.0.0.2"]}
    out = probe([f"http://funder.test:{port}/", f"http://rebind.test:{port}/"], allow=["127.0.0.2"],
                static=static)
    assert all(v.startswith("refused") for v in out.values()), out


def test_host_name_allowed_by_name_is_fetched(port) -> None:
    out = probe([f"http://funder.test:{port}/"], allow=["funder.test"], static={"funder.test": ["127.0.0.1"]})
    assert out[f"http://funder.test:{port}/"].startswith("fetched 200"), out


def test_redirect_to_a_refused_address_is_not_followed(port) -> None:
    start = f"http://127.0.0.1:{port}/redirect?to=http://127.0.0.2:{port}/secret"
    name_hop = f"http://127.0.0.1:{port}/redirect?to=http://inner.test:{port}/secret"
    out = probe([start, name_hop], allow=["127.0.0.1"], static={"inner.test": ["127.0.0.3"]})
    assert out[start].startswith("refused"), out
    assert out[name_hop].startswith("refused"), out
