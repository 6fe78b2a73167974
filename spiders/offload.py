"""The CPU work of a crawl (reading pages, normalising calls) in worker processes.

Scrapy runs in one thread; reading a page and normalising its calls cost more than
downloading it, so on a machine with a spare core that work runs in a worker while
Scrapy keeps downloading. Without a pool (tests, one-core machines, a broken worker)
the same functions run inline, with the same results.
"""

from __future__ import annotations

import asyncio
import heapq
import importlib
import itertools
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from tracker.processes import die_with_parent

T = TypeVar("T")
log = logging.getLogger(__name__)
_pool: ProcessPoolExecutor | None = None
_in_flight_limit = 16  # tasks handed to the pool, 16 per worker: enough that none waits on this process
_workers = 0


def default_workers() -> int:
    return max(0, (os.cpu_count() or 1) - 1)


def _worker_start(preload: tuple[str, ...]) -> None:
    # A killed crawl (time limit) must not leave workers behind holding its output pipes.
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Workers write no files: what they read goes back to the crawl process, the one
    # writer of the files beside the HTTP cache (several writers queued on each other's locks).
    for module in preload:
        importlib.import_module(module)


def start(workers: int | None = None, preload: tuple[str, ...] = ()) -> int:
    """Start the workers, which import `preload` while this process gets on with its own
    start. Call before the reactor runs: the workers are forked, and a fork must not copy
    running threads."""
    global _pool, _in_flight_limit, _workers
    count = default_workers() if workers is None else workers
    if count < 1 or _pool is not None:
        return 0
    _in_flight_limit, _workers = 16 * count, count
    _pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                initializer=_worker_start, initargs=(preload,))
    _pool.submit(int)  # the fork context forks every worker here, on the first task
    return count


def stop() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
    _queue.clear()
    _busy.clear()


# Tasks are handed to the pool a few at a time, the rest wait here in order of urgency:
# a listing page's links must not wait behind the detail pages the pool already holds.
_queue: list[tuple[int, int, asyncio.Future]] = []
_busy: set[object] = set()
_order = itertools.count()




async def run(fn: Callable[..., T], *args: Any, urgent: bool = False) -> T:
    """fn(*args) in a worker when there is one, else here; `urgent` tasks go first: here, at
    once, when every worker has work queued (a listing page's next page and links wait on it;
    in the pool it would wait behind every page handed to it already)."""
    global _pool
    if _pool is None or (urgent and len(_busy) >= _workers):
        return fn(*args)
    token = object()
    if len(_busy) >= _in_flight_limit:
        turn = asyncio.get_running_loop().create_future()
        heapq.heappush(_queue, (0 if urgent else 1, next(_order), turn))
        await turn
    _busy.add(token)
    try:
        if _pool is None:  # the pool broke while this task waited
            return fn(*args)
        return await asyncio.wrap_future(_pool.submit(fn, *args))
    except BrokenProcessPool:
        log.warning("crawl worker process died; reading pages in the crawl process from now on")
        _pool = None
        return fn(*args)
    finally:
        _busy.discard(token)
        while _queue and len(_busy) < _in_flight_limit:
            turn = heapq.heappop(_queue)[2]
            if not turn.done():
                turn.set_result(None)
                break
