"""The SQLite files beside the HTTP cache are shared by every crawl process on the machine
(several workers, or a crawl beside a worker). Processes that open a new file at the same
moment must all get it: switching a fresh file to WAL is refused at once ("database is
locked", SQLite's busy handler is not asked) while another process holds it."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from spiders.sqlite_file import SqliteFile

SCHEMA = ("CREATE TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY, value TEXT)",)
PROCESSES = 4
ROUNDS = 12


def _open_and_write(path: str, barrier, errors) -> None:  # noqa: ANN001 - multiprocessing proxies
    barrier.wait()
    try:
        db = SqliteFile(Path(path), SCHEMA)
        db.stage("INSERT INTO kept (key, value) VALUES (?, ?)", (str(multiprocessing.current_process().pid), "x"))
        db.flush()
    except Exception as exc:  # noqa: BLE001 - the test reports what each process met
        errors.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_a_new_file_at_once_all_get_it(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    errors = ctx.Queue()
    for n in range(ROUNDS):
        path = tmp_path / f"round-{n}" / "analysis.sqlite"
        barrier = ctx.Barrier(PROCESSES)
        procs = [ctx.Process(target=_open_and_write, args=(str(path), barrier, errors)) for _ in range(PROCESSES)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        met = []
        while not errors.empty():
            met.append(errors.get())
        assert not met, f"round {n}: {met}"
        rows = SqliteFile(path, SCHEMA).conn.execute("SELECT count(*) FROM kept").fetchone()[0]
        assert rows == PROCESSES, f"round {n}: {rows} of {PROCESSES} writes kept"
