"""Helpers shared by tests that run real servers and processes on loopback.

No sleeps to synchronise and no ports picked then released: waits are on a condition with
a deadline, servers bind port 0 themselves and the test reads the port back, and process
checks look only at the test's own children."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from aiosmtpd.controller import Controller

T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float, what: str, every: float = 0.05) -> T:
    """check()'s first truthy value, polled until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        threading.Event().wait(every)


class LoopbackSMTP(Controller):
    """aiosmtpd on 127.0.0.1, on a port the kernel picks when the server binds (read it
    from `.port` after start())."""

    def __init__(self, handler: object, **kwargs: object) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=0, **kwargs)

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port bound but never listening: connections are refused while it is held."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


class Output:
    """A child's output lines, read in a thread; the test waits for a pattern."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip())
                self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def find(self, pattern: str) -> re.Match | None:
        return next((m for line in self.lines if (m := re.search(pattern, line))), None)

    def wait_for(self, pattern: str, timeout: float) -> re.Match | None:
        """The first line matching the regex `pattern`, or None at the deadline or when the
        child closed its output without printing one."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while (found := self.find(pattern)) is None and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)
            return found

    def __str__(self) -> str:
        return "\n".join(self.lines[-40:])


def start(args: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[subprocess.Popen, Output]:
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, Output(proc)


def served_url(out: Output, timeout: float = 60) -> str:
    """The address `tracker serve|run --port 0` bound (it says so once it holds the port), once
    an app process has started: with workers, the parent binds and reports the port first and
    a worker accepts when its application has started."""
    found = out.wait_for(r"(?:^serving|Uvicorn running) on (http://127\.0\.0\.1:\d+)", timeout)
    assert found, f"the web app did not start:\n{out}"
    assert out.wait_for(r"Application startup complete", timeout), f"the web app did not start:\n{out}"
    return found.group(1)


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


def descendants(pid: int | None = None) -> list[int]:
    """Live processes below `pid` (this process by default), from /proc's children lists."""
    found, todo = [], [pid or os.getpid()]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{parent}/task/{tid}/children", encoding="ascii") as handle:
                    kids = [int(k) for k in handle.read().split()]
            except OSError:
                continue
            found.extend(kids)
            todo.extend(kids)
    return found


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
