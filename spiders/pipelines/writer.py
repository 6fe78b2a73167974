"""One database writer per crawl process. All crawlers of a batch run in one reactor
thread; with a session each, one crawler's open SQLite write transaction would block the
others (and the reactor with them). So they share a session and its batched commits."""

from __future__ import annotations

import time

from sqlmodel import Session

from tracker.db import make_engine

BATCH = 100
BATCH_SECONDS = 2.0


class Writer:
    _instances: dict[str, Writer] = {}

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.session = Session(self.engine, expire_on_commit=False)
        self.pending = 0
        self.last_commit = time.monotonic()

    @classmethod
    def get(cls, url: str) -> Writer:
        if url not in cls._instances:
            cls._instances[url] = cls(url)
        return cls._instances[url]

    def wrote(self, n: int = 1) -> None:
        self.pending += n
        if self.pending >= BATCH or time.monotonic() - self.last_commit > BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        self.session.commit()
        self.pending = 0
        self.last_commit = time.monotonic()

    @classmethod
    def commit_all(cls) -> None:
        """Called every second by the crawl process: an open SQLite write transaction
        blocks the web app and the scheduler, so none is left open while pages download."""
        for writer in cls._instances.values():
            if writer.session.in_transaction():
                writer.commit()

    @classmethod
    def close_all(cls) -> None:
        for writer in cls._instances.values():
            writer.session.commit()
            writer.session.close()
            writer.engine.dispose()
        cls._instances.clear()
