"""A read engine for GET requests. tracker.db starts every SQLite transaction with BEGIN
IMMEDIATE (right for writers), which would make every page view take the write lock and
queue behind the others; pages only read, so they get deferred transactions on a
query-only connection (WAL lets readers run beside the writer)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

from tracker.db import make_engine, normalise_url

POOL_SIZE = 20


def make_read_engine(url: str) -> Engine:
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return make_engine(url)
    if make_url(url).database in (None, "", ":memory:"):
        return make_engine(url)
    engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=10,
                           connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in ("foreign_keys=ON", "busy_timeout=30000", "query_only=ON"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql("BEGIN")

    return engine
