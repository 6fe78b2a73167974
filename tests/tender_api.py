"""A fake of Contracts Finder's and Find a Tender's OCDS search APIs on loopback, for the live
tender tests: date windows (publishedFrom/To, updatedFrom/To: UTC, no offset), stages,
limit <= 100, cursor paging through links.next, and rate limits (429 / 403 with Retry-After) as
a test scripts them. It records every request and counts the successful answers per URL, so a
test can tell that no page was fetched twice."""

from __future__ import annotations

import base64
import copy
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tenders"
PATHS = {"/api/1.0/ocdsReleasePackages": ("find-a-tender", "updatedFrom", "updatedTo"),
         "/Published/Notices/OCDS/Search": ("contracts-finder", "publishedFrom", "publishedTo")}
API_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def fixture_releases(kind: str) -> list[dict]:
    return json.loads((FIXTURES / f"{kind}-releases.json").read_text(encoding="utf-8"))["releases"]


def stage(release: dict) -> str:
    tags = {str(t).lower() for t in release.get("tag") or []}
    if tags & {"planning", "planningupdate"}:
        return "planning"
    if any(t.startswith("tender") for t in tags):
        return "tender"
    return "award"


def spread(releases: list[dict], now: datetime, days: float) -> list[dict]:
    """Copies of the releases dated evenly over the `days` before `now` (UTC), oldest first."""
    out = []
    for n, release in enumerate(releases):
        moment = now - timedelta(days=days) + timedelta(days=days) * (n + 0.5) / len(releases)
        out.append({**copy.deepcopy(release), "date": moment.strftime("%Y-%m-%dT%H:%M:%SZ")})
    return out


@dataclass
class Seen:
    path: str
    params: dict[str, str]
    status: int
    at: float  # time.monotonic() when the request arrived
    url: str


class FakeTenderApi:
    def __init__(self, releases: dict[str, list[dict]]) -> None:
        self.releases = releases
        self.honour_stages = True
        self.requests: list[Seen] = []
        self.served: Counter[str] = Counter()  # 200 answers per path+query
        # called with the API request's number (from 1) and url: (status, Retry-After) to refuse it
        self.limit: Callable[[int, str], tuple[int, str | None] | None] = lambda n, url: None
        self.before_answer: Callable[[Seen], None] | None = None
        self.lock = threading.Lock()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api_requests(self, kind: str | None = None) -> list[Seen]:
        return [s for s in self.requests if s.path in PATHS and (kind is None or PATHS[s.path][0] == kind)]

    def windows(self, kind: str) -> list[tuple[str, str]]:
        """The date windows asked for, in order, once each (first pages only)."""
        _, low, high = next(v for v in PATHS.values() if v[0] == kind)
        return [(s.params[low], s.params[high]) for s in self.api_requests(kind)
                if "cursor" not in s.params and s.status == 200]

    def answer(self, path: str, query: str) -> tuple[int, dict[str, str], bytes]:
        if path not in PATHS:
            return 404, {}, b"not found"
        kind, low, high = PATHS[path]
        params = dict(parse_qsl(query))
        with self.lock:
            number = len(self.api_requests()) + 1
        refused = self.limit(number, f"{path}?{query}")
        if refused is not None:
            status, after = refused
            return status, ({"Retry-After": after} if after is not None else {}), b'{"error": "too many requests"}'
        for name in (low, high):
            if not API_TIME.fullmatch(params.get(name, "")):
                return 400, {}, f'{{"error": "{name} must be YYYY-MM-DDTHH:MM:SS"}}'.encode()
        limit = int(params.get("limit", "100"))
        if not 1 <= limit <= 100:
            return 400, {}, b'{"error": "limit must be 1 to 100"}'
        start, end = (datetime.fromisoformat(params[n]).replace(tzinfo=UTC) for n in (low, high))
        stages = set(params.get("stages", "planning,tender,award").split(","))
        found = sorted((r for r in self.releases[kind]
                        if start <= datetime.fromisoformat(r["date"].replace("Z", "+00:00")) < end
                        and (not self.honour_stages or stage(r) in stages)),
                       key=lambda r: (r["date"], r["id"]))
        offset = int(base64.b64decode(params["cursor"]).decode()) if "cursor" in params else 0
        package: dict = {"uri": f"{self.url}{path}?{query}", "version": "1.1",
                         "publishedDate": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "releases": found[offset:offset + limit], "links": {}}
        if offset + limit < len(found):
            rest = {k: v for k, v in params.items() if k != "cursor"}
            cursor = base64.b64encode(str(offset + limit).encode()).decode()
            package["links"]["next"] = f"{self.url}{path}?{urlencode({**rest, 'cursor': cursor})}"
        return 200, {"Content-Type": "application/json"}, json.dumps(package).encode()


@contextmanager
def serve_api(api: FakeTenderApi) -> Iterator[FakeTenderApi]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            arrived = time.monotonic()
            parts = urlsplit(self.path)
            status, headers, body = api.answer(parts.path, parts.query)
            seen = Seen(parts.path, dict(parse_qsl(parts.query)), status, arrived, self.path)
            with api.lock:
                api.requests.append(seen)
                if status == 200:
                    api.served[self.path] += 1
            if api.before_answer is not None:
                api.before_answer(seen)
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
