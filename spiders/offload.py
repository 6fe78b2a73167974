"""The CPU work of a crawl (reading pages, normalising calls) in worker processes.

Scrapy runs in one thread; reading a page and normalising its calls cost more than
downloading it, so on a machine with a spare core that work runs in a worker while
Scrapy keeps downloading. Without a pool (tests, one-core machines, a broken worker)
the same functions run inline, with the same results.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)
_pool: ProcessPoolExecutor | None = None


def default_workers() -> int:
    return max(0, (os.cpu_count() or 1) - 1)


def _die_with_parent() -> None:
    """A killed crawl (time limit) must not leave workers behind holding its output pipes."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start(workers: int | None = None) -> int:
    """Start the workers; call before the reactor runs, because they are forked (no
    re-import, so they start in milliseconds) and a fork must not copy running threads."""
    global _pool
    count = default_workers() if workers is None else workers
    if count < 1 or _pool is not None:
        return 0
    _pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                initializer=_die_with_parent)
    _pool.submit(int).result()  # the fork context starts every worker on the first task
    return count


def stop() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


async def run(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) in a worker when there is one, else here."""
    global _pool
    if _pool is None:
        return fn(*args)
    try:
        return await asyncio.wrap_future(_pool.submit(fn, *args))
    except BrokenProcessPool:
        log.warning("crawl worker process died; reading pages in the crawl process from now on")
        _pool = None
        return fn(*args)
