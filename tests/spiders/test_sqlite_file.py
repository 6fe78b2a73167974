"""The SQLite files beside the HTTP cache are shared by every crawl process on the machine
(several workers, or a crawl beside a worker). Processes that open a new file at the same
moment must all get it: switching a fresh file to WAL is refused at once ("database is
locked", SQLite's busy handler is not asked) while another process holds it."""

from __future__ import annotations

import os
from pathlib import Path

from spiders.sqlite_file import SqliteFile
from tests.at_once import run_at_once

SCHEMA = ("CREATE TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY, value TEXT)",)
PROCESSES = 4
ROUNDS = 30  # the race is met in most rounds, not every one


def _open_and_write(path: Path) -> None:
    db = SqliteFile(path, SCHEMA)
    db.stage("INSERT INTO kept (key, value) VALUES (?, ?)", (str(os.getpid()), "x"))
    db.flush()


def test_processes_opening_a_new_file_at_once_all_get_it(tmp_path: Path) -> None:
    for n in range(ROUNDS):
        path = tmp_path / f"round-{n}" / "analysis.sqlite"
        assert run_at_once(_open_and_write, (path,), PROCESSES) == [], f"round {n}"
        rows = SqliteFile(path, SCHEMA).conn.execute("SELECT count(*) FROM kept").fetchone()[0]
        assert rows == PROCESSES, f"round {n}: {rows} of {PROCESSES} writes kept"
