"""What a crawl run says went wrong: each spider's own errors, with the exception that
caused them (Scrapy's "Spider error processing <url>" names the page, not the fault)."""

from __future__ import annotations

import logging
import sqlite3
import sys

from jobs.crawl_child import ErrorLog


def _record(message: str, spider: object | None, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = None
    if exc is not None:
        try:
            raise exc
        except BaseException:  # noqa: BLE001 - raised only to capture a real exc_info
            exc_info = sys.exc_info()
    record = logging.LogRecord("scrapy.core.scraper", logging.ERROR, __file__, 1, message, None, exc_info)
    record.spider = spider
    return record


def test_a_spider_error_names_the_page_and_the_exception() -> None:
    log, spider = ErrorLog(), object()
    log.emit(_record("Spider error processing <GET http://f.test/calls/> (referer: None)", spider,
                     sqlite3.OperationalError("database is locked\nmore detail")))
    assert log.by_spider[id(spider)] == [
        "Spider error processing <GET http://f.test/calls/> (referer: None) (OperationalError: database is locked)"]


def test_errors_are_kept_per_spider_and_plain_messages_unchanged() -> None:
    log, one, other = ErrorLog(), object(), object()
    log.emit(_record("Gave up on http://f.test/a: 503", one))
    log.emit(_record("Spider error processing <GET http://f.test/b>", other, KeyError()))
    log.emit(_record("an error of the whole process", None, RuntimeError("x")))
    assert log.by_spider == {id(one): ["Gave up on http://f.test/a: 503"],
                             id(other): ["Spider error processing <GET http://f.test/b> (KeyError)"]}
