"""Run a function in several forked processes released at the same moment (a barrier), for
races between processes that share a file or a database."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any


def _released(target: Callable[..., None], args: tuple, barrier: Any, errors: Any) -> None:
    barrier.wait()
    try:
        target(*args)
    except Exception as exc:  # noqa: BLE001 - reported to the test, which names it
        errors.put(f"{type(exc).__name__}: {exc}")


def run_at_once(target: Callable[..., None], args: tuple, processes: int) -> list[str]:
    """Each process's error, as "Type: message"; an empty list when every one succeeded."""
    ctx = multiprocessing.get_context("fork")
    errors, barrier = ctx.Queue(), ctx.Barrier(processes)
    procs = [ctx.Process(target=_released, args=(target, args, barrier, errors)) for _ in range(processes)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    met = []
    while not errors.empty():
        met.append(errors.get())
    return met
