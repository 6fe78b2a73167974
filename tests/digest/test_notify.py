"""GOV.UK Notify transport against a local fake of its HTTP API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import select

from tests.digest.conftest import ADA, FAST, NOW, SAM, SECRET, VAL, make_settings
from tracker.db import session_scope
from tracker.digest import send_digests
from tracker.digest.notify import NotifyTransport, make_jwt, parse_api_key
from tracker.digest.send import make_transport
from tracker.models import Digest

SERVICE, KEY_SECRET, TEMPLATE = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
API_KEY = f"digest_key-{SERVICE}-{KEY_SECRET}"


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def check_jwt(token: str) -> bool:
    header, payload, signature = token.split(".")
    expected = hmac.new(KEY_SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    claims = json.loads(_unb64(payload))
    return (hmac.compare_digest(expected, _unb64(signature)) and json.loads(_unb64(header))["alg"] == "HS256"
            and claims["iss"] == SERVICE and abs(claims["iat"] - time.time()) < 30)


class FakeNotify(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[dict] = []
        self.script: list[tuple[int, dict]] = []  # responses to give before the default 201
        self.refuse: dict[str, tuple[int, dict]] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeNotify

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        auth = self.headers.get("Authorization", "")
        if self.path != "/v2/notifications/email":
            status, reply = 404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "no"}]}
        elif not (auth.startswith("Bearer ") and check_jwt(auth[7:])):
            status, reply = 403, {"status_code": 403, "errors": [{"error": "AuthError", "message": "Invalid token"}]}
        elif body["email_address"] in self.server.refuse:
            status, reply = self.server.refuse[body["email_address"]]
        elif self.server.script:
            status, reply = self.server.script.pop(0)
        else:
            self.server.received.append(body)
            status, reply = 201, {"id": str(uuid.uuid4()), "reference": body.get("reference")}
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def notify():
    server = FakeNotify()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def transport(notify, key=API_KEY):
    return NotifyTransport(key, TEMPLATE, base_url=notify.url, timeout=5)


def statuses(engine):
    with session_scope(engine) as s:
        return {d.recipient: (d.status, d.error) for d in s.exec(select(Digest))}


def test_api_key_and_jwt():
    assert parse_api_key(API_KEY) == (SERVICE, KEY_SECRET)
    with pytest.raises(ValueError):
        parse_api_key("not-a-key")
    assert check_jwt(make_jwt(SERVICE, KEY_SECRET))


def test_sends_each_digest_through_notify(engine, seeded, tmp_path, notify):
    report = send_digests(engine, make_settings(tmp_path), now=NOW, secret=SECRET, options=FAST,
                          transport=transport(notify))
    assert report.sent == 3 and report.transport == "notify"
    by_address = {b["email_address"]: b for b in notify.received}
    assert sorted(by_address) == [ADA, SAM, VAL]
    ada = by_address[ADA]
    assert ada["template_id"] == TEMPLATE
    assert ada["personalisation"]["subject"].startswith("Funding digest: 5 new for you")
    assert "Youth Diversion Fund" in ada["personalisation"]["body"]
    with session_scope(engine) as s:
        row = s.exec(select(Digest).where(Digest.recipient == ADA)).one()
    assert ada["reference"] == row.message_id.strip("<>") and row.transport == "notify"


def test_rate_limit_is_retried_and_bad_request_is_permanent(engine, seeded, tmp_path, notify):
    notify.script = [(429, {"status_code": 429, "errors": [{"error": "RateLimitError", "message": "slow"}]})]
    notify.refuse[SAM] = (400, {"status_code": 400, "errors": [
        {"error": "BadRequestError", "message": "Can't send to this recipient using a team-only API key"}]})
    report = send_digests(engine, make_settings(tmp_path), now=NOW, secret=SECRET, options=FAST,
                          transport=transport(notify))
    assert report.sent == 2 and report.failed == 1
    status, error = statuses(engine)[SAM]
    assert status == "failed" and "400 BadRequestError: Can't send to this recipient" in error
    assert sorted(b["email_address"] for b in notify.received) == [ADA, VAL]


def test_bad_key_stops_the_batch(engine, seeded, tmp_path, notify):
    wrong = f"digest_key-{SERVICE}-{uuid.uuid4()}"
    report = send_digests(engine, make_settings(tmp_path), now=NOW, secret=SECRET, options=FAST,
                          transport=transport(notify, wrong))
    assert report.sent == 0 and report.failed == 0 and "403" in report.aborted
    assert [s for s, _ in statuses(engine).values()] == ["pending"]


def test_chosen_from_the_environment(tmp_path, monkeypatch, notify):
    monkeypatch.setenv("TRACKER_NOTIFY_API_KEY", API_KEY)
    monkeypatch.setenv("TRACKER_NOTIFY_TEMPLATE_ID", TEMPLATE)
    monkeypatch.setenv("TRACKER_NOTIFY_BASE_URL", notify.url)
    chosen = make_transport(make_settings(tmp_path))
    assert isinstance(chosen, NotifyTransport) and chosen.base_url == notify.url
