"""Parallel sign-in guesses against the real `tracker serve` (2 worker processes, each
answering from a thread pool) and `tracker run` (one process) on SQLite and PostgreSQL: only
the allowed number of guesses reach the password check, the right password after them is
refused, and a forged X-Forwarded-For from an untrusted peer does not help."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import _fast_hashing  # noqa: F401 - cheap argon2 for the seeded users
from tracker.db import session_scope
from tracker.users import add_user

TRACKER = str(Path(sys.executable).with_name("tracker"))
COMMANDS = {"serve": (["serve", "--workers", "2"], 2), "run": (["run"], 1)}  # arguments, worker processes
ADA, VAL, PASSWORD = "ada@council.example", "val@council.example", "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Server:
    """`tracker serve|run --port 0`: the kernel picks the port while uvicorn holds the socket,
    and uvicorn's start-up line says which."""

    def __init__(self, home: Path, db_url: str, command: str = "serve") -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env.update(TRACKER_HOME=str(home), TRACKER_DATABASE_URL=db_url, COLUMNS="200")
        if (home / "config.toml").exists():
            env["TRACKER_CONFIG"] = str(home / "config.toml")
        args, self.workers = COMMANDS[command]
        self.proc = subprocess.Popen([TRACKER, *args, "--port", "0"], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line.rstrip())
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_until_serving(self, timeout: float = 60) -> str:
        """The base URL once every worker has finished starting up."""
        def port() -> str | None:
            said = (re.search(r"(?:^serving|running) on http://[^:]+:(\d+)", line) for line in self.lines)
            return next((m.group(1) for m in said if m), None)

        def ready() -> bool:
            started = sum("Application startup complete" in line for line in self.lines)
            return (started >= self.workers and port() is not None) or self.proc.poll() is not None

        with self.changed:
            self.changed.wait_for(ready, timeout)
            assert ready() and self.proc.poll() is None, "tracker did not start:\n" + "\n".join(self.lines)
            return f"http://127.0.0.1:{port()}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def serve(tmp_path: Path, db_url: str, engine) -> Iterator:  # noqa: ANN001
    """serve(config_text, command) → the URL of a running `tracker serve` (or `run`) on this
    test's database, which holds ada and val (password PASSWORD)."""
    with session_scope(engine) as s:
        add_user(s, ADA, "admin", PASSWORD)
        add_user(s, VAL, "viewer", PASSWORD)
    servers: list[Server] = []

    def start(config: str = "", command: str = "serve") -> str:
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        if config:
            (home / "config.toml").write_text(config, encoding="utf-8")
        servers.append(Server(home, db_url, command))
        return servers[-1].wait_until_serving()

    yield start
    for server in servers:
        server.stop()


def guess_together(url: str, attempts: list[tuple[str, str, str]]) -> list[httpx.Response]:
    """POST every (email, password, X-Forwarded-For) sign-in at once, each from its own
    browser session, released together once all of them are ready."""
    clients = [httpx.Client(base_url=url, timeout=60) for _ in attempts]
    tokens = [CSRF.search(c.get("/login").text).group(1) for c in clients]
    barrier = threading.Barrier(len(attempts))

    def post(i: int) -> httpx.Response:
        email, password, forwarded = attempts[i]
        barrier.wait(timeout=60)
        return clients[i].post("/login", data={"email": email, "password": password, "csrf_token": tokens[i]},
                               headers={"X-Forwarded-For": forwarded})

    try:
        with ThreadPoolExecutor(len(attempts)) as pool:
            return list(pool.map(post, range(len(attempts))))
    finally:
        for client in clients:
            client.close()


def sign_in(url: str, email: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=60) as client:
        token = CSRF.search(client.get("/login").text).group(1)
        return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.mark.parametrize("command", COMMANDS)
def test_parallel_wrong_passwords_cannot_outrun_the_account_limit(serve, command: str) -> None:  # noqa: ANN001
    url = serve(command=command)
    # Each guess also forges a different X-Forwarded-For: no proxy is trusted, so none helps.
    guesses = [(ADA, f"wrong guess {n}", f"198.51.100.{n}") for n in range(24)]
    statuses = Counter(r.status_code for r in guess_together(url, guesses))
    assert statuses == {401: 5, 429: 19}, f"24 parallel wrong passwords: {dict(statuses)} (5 may be checked)"
    r = sign_in(url, ADA, PASSWORD)
    assert r.status_code == 429 and "Too many failed attempts" in r.text
    assert sign_in(url, VAL, PASSWORD).status_code == 303  # another account is not locked


def test_parallel_spraying_of_many_emails_cannot_outrun_the_address_limit(serve) -> None:  # noqa: ANN001
    url = serve("[web]\nlogin_failures_per_address = 4\n")
    guesses = [(f"user{n}@council.example", "a common password", "198.51.100.1") for n in range(12)]
    statuses = Counter(r.status_code for r in guess_together(url, guesses))
    assert statuses == {401: 4, 429: 8}, f"12 parallel guesses at 12 emails: {dict(statuses)} (4 may be checked)"
    assert sign_in(url, VAL, PASSWORD).status_code == 429
