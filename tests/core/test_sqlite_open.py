"""The scheduler, the web server and crawl processes open the SQLite database on their own:
on a new install they can do so at the same moment, and each must get its connection
(switching a new file to WAL is refused at once while another process holds it)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

from tests.at_once import run_at_once
from tracker.db import make_engine

PROCESSES = 4
ROUNDS = 30  # the race is met in most rounds, not every one


def _connect_and_write(url: str) -> None:
    with make_engine(url).begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS seen (pid INTEGER)"))
        conn.execute(text("INSERT INTO seen VALUES (:pid)"), {"pid": os.getpid()})


def test_processes_opening_a_new_database_at_once_all_connect(tmp_path: Path) -> None:
    for n in range(ROUNDS):
        url = f"sqlite:///{tmp_path / f'round-{n}' / 'tracker.db'}"
        assert run_at_once(_connect_and_write, (url,), PROCESSES) == [], f"round {n}"
        with make_engine(url).connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM seen")).scalar() == PROCESSES, f"round {n}"
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
