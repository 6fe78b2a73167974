"""Small SQLite files kept beside the HTTP cache (pages, page analyses): one connection per
file per crawl process, shared by its crawlers, with writes committed in batches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

COMMIT_EVERY = 200


class SqliteFile:
    _open: dict[str, SqliteFile] = {}
    _inherited: list[SqliteFile] = []

    def __init__(self, path: Path, schema: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(path), timeout=30)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(schema)
        self.writes = 0

    @classmethod
    def get(cls, path: Path, schema: str) -> SqliteFile:
        key = str(path)
        if key not in cls._open:
            cls._open[key] = cls(path, schema)
        return cls._open[key]

    def wrote(self) -> None:
        self.writes += 1
        if self.writes % COMMIT_EVERY == 0:
            self.conn.commit()

    def commit(self) -> None:
        self.conn.commit()

    @classmethod
    def after_fork(cls) -> None:
        """In a forked child: open files afresh. The parent's connections must not be used,
        nor closed, here (SQLite forbids carrying a connection across fork), so they are
        set aside untouched for the life of the child."""
        cls._inherited = list(cls._open.values())
        cls._open = {}

    @classmethod
    def commit_all(cls) -> None:
        for db in cls._open.values():
            db.commit()
