"""The scheduler, the web server and crawl processes open the SQLite database on their own:
on a new install they can do so at the same moment, and each must get its connection
(switching a new file to WAL is refused at once while another process holds it)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from sqlalchemy import text

from tracker.db import make_engine

PROCESSES = 4
ROUNDS = 12


def _connect(url: str, barrier, errors) -> None:  # noqa: ANN001 - multiprocessing proxies
    barrier.wait()
    try:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS seen (pid INTEGER)"))
            conn.execute(text("INSERT INTO seen VALUES (:pid)"), {"pid": multiprocessing.current_process().pid})
    except Exception as exc:  # noqa: BLE001 - the test reports what each process met
        errors.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_a_new_database_at_once_all_connect(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    errors = ctx.Queue()
    for n in range(ROUNDS):
        url = f"sqlite:///{tmp_path / f'round-{n}' / 'tracker.db'}"
        barrier = ctx.Barrier(PROCESSES)
        procs = [ctx.Process(target=_connect, args=(url, barrier, errors)) for _ in range(PROCESSES)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        met = []
        while not errors.empty():
            met.append(errors.get())
        assert not met, f"round {n}: {met}"
        with make_engine(url).connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM seen")).scalar() == PROCESSES, f"round {n}"
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
