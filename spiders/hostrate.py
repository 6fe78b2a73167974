"""Politeness across crawl workers (queue mode): one request rate per host for every crawl
process on every machine, not one per process.

Scrapy's download delay (and AutoThrottle, spiders/throttle.py) keeps requests to a host apart
within one crawl process; two workers crawling two sources on one host would each keep their own
pace and hit it twice as often. Before each request this downloader middleware claims the host's
next slot in the database's host_slot table with one atomic statement (the row lock orders
concurrent claims; the database's clock is the only clock, so machines need not agree on the
time) and waits until that slot, without blocking the crawl's other hosts."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.engine import make_url
from twisted.internet import reactor
from twisted.internet.task import deferLater

CLAIM = """
INSERT INTO host_slot (host, next_at) VALUES (%(host)s, extract(epoch FROM clock_timestamp()) + %(delay)s)
ON CONFLICT (host) DO UPDATE
   SET next_at = greatest(host_slot.next_at, extract(epoch FROM clock_timestamp())) + %(delay)s
RETURNING next_at - %(delay)s, extract(epoch FROM clock_timestamp())
"""


class SharedHostRate:
    """Downloader middleware: at most one request per host every DOWNLOAD_DELAY seconds across
    all crawl processes sharing the database (TRACKER_SHARED_HOST_RATE on)."""

    def __init__(self, db_url: str, delay: float) -> None:
        url = make_url(db_url).set(drivername="postgresql")
        self.conninfo = url.render_as_string(hide_password=False)
        self.delay = delay
        self.conn: psycopg.Connection | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostRate:
        settings = crawler.settings
        delay = settings.getfloat("DOWNLOAD_DELAY")
        if not settings.getbool("TRACKER_SHARED_HOST_RATE") or delay <= 0:
            raise NotConfigured
        return cls(settings.get("TRACKER_DATABASE_URL"), delay)

    def claim(self, host: str) -> tuple[float, float]:
        """The moment this request to `host` may go, and now (epoch seconds, the database's clock)."""
        if self.conn is None or self.conn.closed:
            # One short statement per request on the reactor thread: a round trip to the database
            # costs far less than the delay it enforces.
            self.conn = psycopg.connect(self.conninfo, autocommit=True)
        start, now = self.conn.execute(CLAIM, {"host": host, "delay": self.delay}).fetchone()
        return float(start), float(now)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if not host:
            return
        start, now = self.claim(host)
        wait = start - now
        if wait > 0:
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
