"""Small SQLite files kept beside the HTTP cache (pages, page analyses): one connection per
file per crawl process, shared by its crawlers.

Only the crawl process writes them, and never holds a write transaction open: writes are
staged in memory and written in one short transaction per batch. A transaction held open
across writes keeps the file locked for every other writer (a page-reading worker, a second
crawl sharing the cache folder), which waits out the 30 s busy timeout and then fails."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tracker.db import use_wal

COMMIT_EVERY = 200
BUSY_TIMEOUT = 30.0  # seconds
# Statements, or functions of the connection (upgrades that look before they change).
Schema = tuple[str | Callable[[sqlite3.Connection], None], ...]


class SqliteFile:
    _open: dict[str, SqliteFile] = {}

    def __init__(self, path: Path, schema: Schema) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no transaction is opened behind our back; write() opens them.
        self.conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)
        use_wal(self.conn, BUSY_TIMEOUT)
        self.conn.execute("PRAGMA synchronous=NORMAL")
        with self.write() as conn:  # one process at a time creates or upgrades the file
            for step in schema:
                if isinstance(step, str):
                    conn.execute(step)
                else:
                    step(conn)
        self.staged: list[tuple[str, tuple[Any, ...]]] = []

    @classmethod
    def get(cls, path: Path, schema: Schema) -> SqliteFile:
        key = str(path)
        if key not in cls._open:
            cls._open[key] = cls(path, schema)
        return cls._open[key]

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE: a deferred one can fail
        on upgrade to a write lock without waiting) and ended before returning."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def stage(self, sql: str, params: tuple[Any, ...]) -> None:
        """A write for the next batch; written once COMMIT_EVERY are staged, or on flush."""
        self.staged.append((sql, params))
        if len(self.staged) >= COMMIT_EVERY:
            self.flush()

    def flush(self) -> None:
        staged, self.staged = self.staged, []
        if not staged:
            return
        with self.write() as conn:
            for sql, params in staged:
                conn.execute(sql, params)

    @classmethod
    def flush_all(cls) -> None:
        for db in cls._open.values():
            db.flush()

