"""A quiet static server for the demo funder web (pure standard library).

    with serve_site() as server:
        print(server.url)        # http://127.0.0.1:PORT
        ...                      # crawl server.url + "/fenvalley-pcc/funding/index.html"

The whole ``site/`` directory is served at the server root. Responses carry ``ETag`` (a hash of the
file's modification time and size) and ``Last-Modified``; conditional requests get ``304 Not Modified``.
Directories without an index page are 404 (no auto-generated listings) and nothing is logged to stderr.

Run ``python -m tracker.demo.server [--port 8000]`` to browse the demo site by hand.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import os
import socketserver
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent / "site"

__all__ = ["DEMO_HOST", "DEMO_PORT", "SITE_DIR", "DemoRequestHandler", "DemoServer", "serve_demo_site", "serve_site"]

# The demo's URLs must be the same on every run, or a second `tracker demo` would store every
# call again under a new address. The host name is pinned to loopback through the crawl's
# `[crawl] hosts` map (`.invalid` never resolves in DNS), and the port is fixed; what may change
# between runs is the loopback address behind the name, when another program holds the port.
DEMO_HOST = "funders.demo.invalid"
DEMO_PORT = 8089
_LOOPBACK_TRIES = 64  # 127.0.0.1 .. 127.0.0.64: all of 127/8 is loopback on Linux


def file_etag(path: str | os.PathLike[str]) -> str:
    """Strong validator derived from the file's mtime and size (quoted, as sent on the wire)."""
    st = os.stat(path)
    digest = hashlib.sha1(f"{st.st_mtime_ns}-{st.st_size}".encode()).hexdigest()[:20]
    return f'"{digest}"'


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses weak comparison: W/"x" matches "x"; "*" matches any existing file."""
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return True
        if candidate.startswith("W/"):
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


class DemoRequestHandler(SimpleHTTPRequestHandler):
    server_version = "TrackerDemo/1.0"
    # Persistent connections, as real sites keep them; without TCP_NODELAY the header and body
    # writes of each response would meet Nagle's algorithm and the client's delayed ACK (40 ms).
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    _etag: str | None = None

    # -- quiet ---------------------------------------------------------------
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    # -- content types --------------------------------------------------------
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        path = os.fspath(path)
        if path.endswith(".xml"):
            try:
                with open(path, "rb") as f:
                    head = f.read(1024)
            except OSError:
                head = b""
            if b"<rss" in head:
                return "application/rss+xml"
            if b"<feed" in head:
                return "application/atom+xml"
            return "application/xml"
        return super().guess_type(path)

    # -- validators -----------------------------------------------------------
    def _resolve_file(self) -> str | None:
        """The file a GET/HEAD would serve, or None (missing, or a directory that will redirect)."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
                return None
            for index in ("index.html", "index.htm"):
                candidate = os.path.join(path, index)
                if os.path.isfile(candidate):
                    return candidate
            return None
        return path if os.path.isfile(path) else None

    def send_head(self):  # type: ignore[override]
        self._etag = None
        target = self._resolve_file()
        if target is not None:
            try:
                self._etag = file_etag(target)
            except OSError:
                self._etag = None
        inm = self.headers.get("If-None-Match")
        if self._etag and inm is not None and _etag_matches(inm, self._etag):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            st = os.stat(target)  # type: ignore[arg-type]
            self.send_header("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True))
            self.end_headers()
            return None
        # The stdlib handles Last-Modified and If-Modified-Since (ignored when If-None-Match is present).
        return super().send_head()

    def end_headers(self) -> None:
        if self._etag:
            self.send_header("ETag", self._etag)
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def list_directory(self, path):  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # several crawlers connect at once; the default backlog of 5 drops SYNs

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the address up with socket.getfqdn, which for 127.0.0.x
        # other than .1 may ask a DNS server off this machine; the name is never used here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request, client_address) -> None:  # type: ignore[override]
        pass  # client hang-ups etc.; keep test and demo output clean


class DemoServer:
    """A running demo server; stop it with ``stop()`` or use it as a context manager."""

    def __init__(self, httpd: ThreadingHTTPServer, thread: threading.Thread, directory: Path,
                 name: str | None = None) -> None:
        self._httpd = httpd
        self._thread = thread
        self.directory = directory
        host, port = httpd.server_address[:2]
        self.host: str = str(host)  # the address bound
        self.port: int = int(port)
        shown = name or (f"[{self.host}]" if ":" in self.host else self.host)
        self.url = f"http://{shown}:{self.port}"
        self._stopped = False

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"DemoServer(url={self.url!r}, directory={str(self.directory)!r})"


def serve_demo_site(directory: Path | None = None, port: int = DEMO_PORT) -> DemoServer:
    """The demo site at ``http://DEMO_HOST:port`` (the same URLs on every run), bound to the first
    loopback address whose ``port`` is free; pin DEMO_HOST to ``server.host`` before crawling it."""
    busy: OSError | None = None
    for last in range(1, _LOOPBACK_TRIES + 1):
        try:
            return serve_site(directory, f"127.0.0.{last}", port, name=DEMO_HOST)
        except OSError as exc:  # in use, or (macOS) only 127.0.0.1 exists
            busy = exc
    raise OSError(f"demo site: port {port} is taken on 127.0.0.1 to 127.0.0.{_LOOPBACK_TRIES} ({busy})")


def serve_site(directory: Path | None = None, host: str = "127.0.0.1", port: int = 0,
               name: str | None = None,
               handler_class: type[DemoRequestHandler] = DemoRequestHandler) -> DemoServer:
    """Serve ``directory`` (default: the bundled demo site) in a daemon thread; port 0 picks a free port.
    With ``name``, ``server.url`` uses that host name instead of the address; ``handler_class`` lets
    a test serve the same files with a behaviour of its own."""
    root = Path(directory) if directory is not None else SITE_DIR
    if not root.is_dir():
        raise FileNotFoundError(f"demo site directory not found: {root}")
    handler = partial(handler_class, directory=str(root))
    server_cls = _QuietServer
    if ":" in host:
        import socket

        server_cls = type("_QuietServer6", (_QuietServer,), {"address_family": socket.AF_INET6})
    httpd = server_cls((host, port), handler)
    thread = threading.Thread(
        target=httpd.serve_forever, name=f"demo-site:{httpd.server_address[1]}", daemon=True
    )
    thread.start()
    return DemoServer(httpd, thread, root, name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the demo funder web.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", type=Path, default=None)
    args = parser.parse_args(argv)
    server = serve_site(args.directory, args.host, args.port)
    print(f"Serving {server.directory} at {server.url}/  (Ctrl+C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
