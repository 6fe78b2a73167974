"""Pages are read in a worker process when there is one, inline otherwise, with a dead
worker falling back to inline reading instead of failing the crawl."""

import asyncio
import os
import signal

import pytest

from spiders import offload


@pytest.fixture(autouse=True)
def no_pool_left():
    yield
    offload.stop()


def _die_unless_in(pid: int) -> str:
    if os.getpid() != pid:
        os.kill(os.getpid(), signal.SIGKILL)
    return "read here"


def test_work_runs_in_a_worker_process() -> None:
    assert offload.start(1) == 1
    assert asyncio.run(offload.run(os.getpid)) != os.getpid()


def test_without_workers_work_runs_inline() -> None:
    assert offload.start(0) == 0
    assert asyncio.run(offload.run(os.getpid)) == os.getpid()


def test_a_dead_worker_does_not_lose_the_page() -> None:
    offload.start(1)
    assert asyncio.run(offload.run(_die_unless_in, os.getpid())) == "read here"
    assert asyncio.run(offload.run(os.getpid)) == os.getpid()  # and later pages are read here too


def _nap(label: str) -> str:
    import time

    time.sleep(0.02)
    return label


def test_urgent_work_overtakes_work_waiting_for_the_worker() -> None:
    offload.start(1)
    finished: list[str] = []

    async def one(label: str, urgent: bool = False) -> None:
        finished.append(await offload.run(_nap, label, urgent=urgent))

    async def crawl() -> None:
        tasks = [asyncio.create_task(one(f"detail {i}")) for i in range(40)]
        await asyncio.sleep(0)  # the first ones are handed to the pool, the rest wait
        tasks.append(asyncio.create_task(one("listing", urgent=True)))
        await asyncio.gather(*tasks)

    asyncio.run(crawl())
    assert len(finished) == 41
    assert finished.index("listing") < finished.index("detail 39") - 10
