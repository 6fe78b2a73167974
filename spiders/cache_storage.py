"""HTTP cache storage in one SQLite file. Scrapy's filesystem storage writes six files per
page on every fetch, 304 revalidations included, which costs more than the crawl; here a
revalidated page rewrites one row, and writes are made in batches.

A cached page is what lets the next crawl take a 304 as "its calls are stored already".
That holds only once its calls are committed to the tracker's database, so each row is
written as pending, tagged with this crawl, and confirmed when the store pipeline says the
crawl's calls are committed. A crawl that is killed first leaves its rows pending: the next
crawl asks for those pages afresh and stores their calls."""

from __future__ import annotations

import pickle
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_from_dict

from spiders.signals import calls_committed
from spiders.sqlite_file import Schema, SqliteFile

UNCONFIRMED = "written before crawls confirmed their pages"


def _add_pending(conn: sqlite3.Connection) -> None:
    """Files from before pages were confirmed: their rows are not known to be stored."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(page)")}
    if "pending" not in columns:
        conn.execute("ALTER TABLE page ADD COLUMN pending TEXT")
        conn.execute("UPDATE page SET pending = ?", (UNCONFIRMED,))


_SCHEMA: Schema = (
    "CREATE TABLE IF NOT EXISTS page (key TEXT PRIMARY KEY, url TEXT, stored REAL, meta BLOB, body BLOB, "
    "pending TEXT)",
    _add_pending,
    "CREATE INDEX IF NOT EXISTS page_pending ON page (pending) WHERE pending IS NOT NULL",
)


class SqliteCacheStorage:
    def __init__(self, settings: BaseSettings) -> None:
        self.path = Path(settings["HTTPCACHE_DIR"]) / "pages.sqlite"
        self.expiration_secs = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.db: SqliteFile | None = None
        self.crawl = uuid.uuid4().hex  # tags this crawl's rows until they are confirmed

    def open_spider(self, spider: Spider) -> None:
        self.db = SqliteFile.get(self.path, _SCHEMA)
        self._fingerprinter = spider.crawler.request_fingerprinter
        spider.crawler.signals.connect(self.confirm, signal=calls_committed)

    def close_spider(self, spider: Spider) -> None:
        if self.db is not None:
            self.db.flush()

    def confirm(self) -> None:
        """The calls of every page this crawl cached are in the database: trust its rows."""
        self.db.flush()
        with self.db.write() as conn:
            conn.execute("UPDATE page SET pending = NULL WHERE pending = ?", (self.crawl,))

    def _key(self, request: Request) -> str:
        return self._fingerprinter.fingerprint(request).hex()

    def retrieve_response(self, spider: Spider, request: Request) -> Response | None:
        row = self.db.conn.execute("SELECT stored, meta, body FROM page WHERE key = ? AND "
                                   "(pending IS NULL OR pending = ?)", (self._key(request), self.crawl)).fetchone()
        if row is None:
            return None
        stored, meta, body = row
        if 0 < self.expiration_secs < time.time() - stored:
            return None
        data: dict[str, Any] = pickle.loads(meta)  # noqa: S301 - our own cache file
        data["body"] = body
        request.meta["cache_timestamp"] = stored
        response = response_from_dict(data)
        request.meta["cache_validators"] = _validators(response)
        return response

    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        if "cached" in response.flags and request.meta.get("cache_validators") == _validators(response):
            return  # answered 304 with the same validators: the stored copy is still the page
        key = self._key(request)
        data = response.to_dict()
        data["flags"] = [flag for flag in data.get("flags") or [] if flag != "cached"]
        body = data.pop("body", b"") or b""
        meta = pickle.dumps(data, protocol=4)
        self.db.stage(
            "INSERT INTO page (key, url, stored, meta, body, pending) VALUES (?,?,?,?,?,?) ON CONFLICT(key) DO "
            "UPDATE SET url = excluded.url, stored = excluded.stored, meta = excluded.meta, body = excluded.body, "
            "pending = excluded.pending",
            (key, response.url, time.time(), meta, body, self.crawl))


def _validators(response: Response) -> tuple[bytes | None, bytes | None]:
    return response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
