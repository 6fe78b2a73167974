"""`tracker worker`: run queued jobs (jobs.queue) until stopped.

Each worker sends procrastinate a heartbeat every [workers] heartbeat_seconds. Every worker also
sweeps, every sweep_seconds, for jobs left 'doing' by a worker silent for stalled_after_seconds
(killed, machine lost) and puts them back on the queue, where any worker takes them; a crawl
re-run stores nothing twice (calls are keyed by address and the HTTP cache commits only what was
stored). SIGTERM / SIGINT: running crawls are killed (their jobs retried a minute later), the
other jobs finish, then the worker exits."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from collections.abc import Callable, Iterable

from procrastinate import App

from jobs import queue as queue_module
from jobs import tasks as jobs_tasks
from tracker.config import Settings

logger = logging.getLogger("tracker.worker")


async def sweep_stalled(app: App, settings: Settings, say: Callable[[str], None]) -> int:
    """Put the jobs of silent workers back on the queue; how many."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=settings.workers.stalled_after_seconds)
    retried = 0
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except Exception as exc:  # noqa: BLE001 - another worker's sweep took it first
            logger.debug("stalled job %s not retried: %s", job.id, exc)
            continue
        retried += 1
        say(f"job {job.id} ({job.task_name} {job.task_kwargs}) of a silent worker put back on the queue")
    await app.job_manager.prune_stalled_workers(settings.workers.stalled_after_seconds)
    return retried


async def _sweep_forever(app: App, settings: Settings, say: Callable[[str], None]) -> None:
    while True:
        try:
            await sweep_stalled(app, settings, say)
        except Exception as exc:  # noqa: BLE001 - a lost connection: try again next time
            logger.warning("stalled-job sweep failed: %s", exc)
        await asyncio.sleep(settings.workers.sweep_seconds)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_worker(settings: Settings, engine, *, concurrency: int = 1,  # noqa: ANN001
               queues: Iterable[str] | None = None, say: Callable[[str], None] = print) -> None:
    """Take jobs from `queues` (all when None), `concurrency` at a time, until SIGTERM/SIGINT."""
    from jobs.crawl_runner import abort_all

    jobs_tasks.configure(settings, engine)
    app = queue_module.make_app(settings)
    name = worker_name()
    chosen = list(queues) if queues else list(queue_module.QUEUES)

    async def main() -> None:
        async with app.open_async():
            loop = asyncio.get_running_loop()
            work = asyncio.create_task(app.run_worker_async(
                queues=chosen, concurrency=concurrency, name=name, install_signal_handlers=False,
                update_heartbeat_interval=settings.workers.heartbeat_seconds,
                stalled_worker_timeout=settings.workers.stalled_after_seconds,
                fetch_job_polling_interval=min(5.0, settings.workers.sweep_seconds)))
            sweeper = asyncio.create_task(_sweep_forever(app, settings, say))

            def stop() -> None:
                killed = abort_all()
                say(f"worker {name} stopping" + (f"; {killed} crawl(s) abandoned, to be retried" if killed else ""))
                work.cancel()

            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop)
            say(f"worker {name} taking jobs from {', '.join(chosen)} ({concurrency} at a time)")
            try:
                await work
            except asyncio.CancelledError:
                pass
            finally:
                sweeper.cancel()
        say(f"worker {name} stopped")

    asyncio.run(main())
