"""HTTP cache storage in one SQLite file. Scrapy's filesystem storage writes six files per
page on every fetch, 304 revalidations included, which costs more than the crawl; here a
revalidated page rewrites one row, and writes are committed in batches."""

from __future__ import annotations

import pickle
import time
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_from_dict

from spiders.sqlite_file import SqliteFile

_SCHEMA = "CREATE TABLE IF NOT EXISTS page (key TEXT PRIMARY KEY, url TEXT, stored REAL, meta BLOB, body BLOB)"


class SqliteCacheStorage:
    def __init__(self, settings: BaseSettings) -> None:
        self.path = Path(settings["HTTPCACHE_DIR"]) / "pages.sqlite"
        self.expiration_secs = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.db: SqliteFile | None = None

    def open_spider(self, spider: Spider) -> None:
        self.db = SqliteFile.get(self.path, _SCHEMA)
        self._fingerprinter = spider.crawler.request_fingerprinter

    def close_spider(self, spider: Spider) -> None:
        if self.db is not None:
            self.db.commit()

    def _key(self, request: Request) -> str:
        return self._fingerprinter.fingerprint(request).hex()

    def retrieve_response(self, spider: Spider, request: Request) -> Response | None:
        row = self.db.conn.execute("SELECT stored, meta, body FROM page WHERE key = ?",
                                   (self._key(request),)).fetchone()
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
        self.db.conn.execute(
            "INSERT INTO page (key, url, stored, meta, body) VALUES (?,?,?,?,?) ON CONFLICT(key) DO UPDATE "
            "SET url = excluded.url, stored = excluded.stored, meta = excluded.meta, body = excluded.body",
            (key, response.url, time.time(), meta, body))
        self.db.wrote()


def _validators(response: Response) -> tuple[bytes | None, bytes | None]:
    return response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
