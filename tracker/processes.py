"""Which process owns a piece of work, and whether that process is still there.

A row that says "running" outlives a process killed with SIGKILL; whoever finds it later
needs to tell a live owner from a dead one. A pid alone is not enough (pids are reused),
so the owner is host, pid and the process's start time."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
from pathlib import Path

PR_SET_PDEATHSIG = 1


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None if it is gone;
    "" where /proc is not available."""
    if not Path("/proc/self/stat").exists():
        return ""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def process_owner() -> str:
    """host:pid:start of this process."""
    return f"{socket.gethostname()}:{os.getpid()}:{_start_ticks(os.getpid()) or ''}"


def owner_alive(owner: str) -> bool | None:
    """True if the owning process still runs, False if it is gone, None if it ran on
    another host (or the owner is not in host:pid:start form) and cannot be checked here."""
    host, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    now = _start_ticks(pid)
    if now == "":  # no /proc: the pid is all there is to go on
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return now is not None and now == start


def die_with_parent() -> None:
    """Have the kernel kill this process when the one that started it dies (Linux), so a
    killed parent leaves no orphan working on without anyone to record its result."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
