"""The HTTP cache keeps one row per page; a 304 with the same validators rewrites nothing,
new validators are kept for the next conditional request."""

import sqlite3

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from spiders.cache_storage import SqliteCacheStorage
from spiders.sqlite_file import SqliteFile

URL = "http://funders.test/grants/youth.html"


def _storage(tmp_path) -> tuple[SqliteCacheStorage, object]:
    crawler = get_crawler(settings_dict={"HTTPCACHE_DIR": str(tmp_path)})
    spider = crawler._create_spider("t")  # noqa: SLF001 - a spider bound to the crawler, as Scrapy makes it
    storage = SqliteCacheStorage(Settings({"HTTPCACHE_DIR": str(tmp_path)}))
    storage.open_spider(spider)
    return storage, spider


def _stored(tmp_path) -> tuple[float, bytes]:
    SqliteFile.commit_all()
    with sqlite3.connect(tmp_path / "pages.sqlite") as conn:
        return conn.execute("SELECT stored, body FROM page").fetchone()


def test_a_304_with_the_same_validators_rewrites_nothing(tmp_path) -> None:
    storage, spider = _storage(tmp_path)
    page = HtmlResponse(URL, body=b"<h1>Youth Fund</h1>", headers={"ETag": '"v1"'})
    storage.store_response(spider, Request(URL), page)
    first = _stored(tmp_path)

    request = Request(URL)
    cached = storage.retrieve_response(spider, request)
    assert cached.body == b"<h1>Youth Fund</h1>" and cached.headers[b"ETag"] == b'"v1"'
    cached.flags.append("cached")  # as Scrapy's cache middleware marks it
    storage.store_response(spider, request, cached)
    assert _stored(tmp_path) == first

    cached.headers[b"ETag"] = b'"v2"'  # the 304 carried a new validator: keep it
    storage.store_response(spider, request, cached)
    assert _stored(tmp_path)[0] > first[0]
    again = storage.retrieve_response(spider, Request(URL))
    assert again.headers[b"ETag"] == b'"v2"' and again.flags.count("cached") == 0
