"""The HTTP cache keeps one row per page; a 304 with the same validators rewrites nothing,
new validators are kept for the next conditional request; a crawl's pages are served to
later crawls only once that crawl's calls are committed."""

import sqlite3

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from spiders.cache_storage import SqliteCacheStorage
from spiders.signals import calls_committed
from spiders.sqlite_file import SqliteFile

URL = "http://funders.test/grants/youth.html"


def _storage(tmp_path) -> tuple[SqliteCacheStorage, object]:
    crawler = get_crawler(settings_dict={"HTTPCACHE_DIR": str(tmp_path)})
    spider = crawler._create_spider("t")  # noqa: SLF001 - a spider bound to the crawler, as Scrapy makes it
    storage = SqliteCacheStorage(Settings({"HTTPCACHE_DIR": str(tmp_path)}))
    storage.open_spider(spider)
    return storage, spider


def _stored(tmp_path) -> tuple[float, bytes]:
    SqliteFile.flush_all()
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


def test_pages_of_a_crawl_whose_calls_were_not_committed_are_fetched_again(tmp_path) -> None:
    page = HtmlResponse(URL, body=b"<h1>Youth Fund</h1>", headers={"ETag": '"v1"'})
    killed, spider = _storage(tmp_path)
    killed.store_response(spider, Request(URL), page)
    SqliteFile.flush_all()  # on disk, as a crawl killed after a batch of pages leaves it
    later, spider = _storage(tmp_path)
    assert later.retrieve_response(spider, Request(URL)) is None  # no 304 shortcut: read afresh

    later.store_response(spider, Request(URL), page)
    spider.crawler.signals.send_catch_log(signal=calls_committed)  # the store pipeline's word
    third, spider = _storage(tmp_path)
    assert third.retrieve_response(spider, Request(URL)).headers[b"ETag"] == b'"v1"'


def test_a_cache_file_from_before_confirmation_is_not_trusted(tmp_path) -> None:
    with sqlite3.connect(tmp_path / "pages.sqlite") as conn:
        conn.execute("CREATE TABLE page (key TEXT PRIMARY KEY, url TEXT, stored REAL, meta BLOB, body BLOB)")
        conn.execute("INSERT INTO page VALUES ('k', ?, 0, x'', x'')", (URL,))
    _storage(tmp_path)
    with sqlite3.connect(tmp_path / "pages.sqlite") as conn:
        assert conn.execute("SELECT pending FROM page").fetchone()[0] is not None
