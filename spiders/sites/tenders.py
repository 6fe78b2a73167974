"""Live tender sources: Contracts Finder's and Find a Tender's OCDS search APIs, read in date
windows since the last window read to its end, paged through links.next, at the pace the
services publish, waiting out their rate limits (429, and Contracts Finder's 403) as told by
Retry-After. Each window's end is stored only once all its pages were read and their calls
committed (a WindowDone item after the last page's calls), so a crawl that is killed or gives up
reads the window again next time and loses nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from spiders.extract.ocds import next_page, releases
from spiders.extract.tenders import filtered_out, not_an_opportunity, notice_page, tender_call
from spiders.sites.base import TrackerSpider
from spiders.sites.ocds import read_package
from tracker.config import TenderSettings
from tracker.normalize.raw import WindowDone

WAIT_STATUSES = [403, 429, 500, 502, 503, 504]  # waited out and asked again; other errors end the crawl


def retry_after(value: bytes | str | None, default: float, now: datetime | None = None) -> float:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date; `default`
    when it is missing or unreadable."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = (value or "").strip()
    if not text:
        return default
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


MIN_WINDOW = timedelta(minutes=1)  # narrower windows than this are not asked for (times are to the second)


def windows(start: datetime, end: datetime, days: float) -> list[tuple[datetime, datetime]]:
    """[start, end] cut into consecutive windows of at most `days`."""
    step = timedelta(days=days)
    spans, left = [], start
    while left < end:
        right = min(left + step, end)
        spans.append((left, right))
        left = right
    return spans or [(start, end)]


def api_time(moment: datetime) -> str:
    """A UTC moment as the APIs take it: YYYY-MM-DDTHH:MM:SS, no offset. UTC, as Find a Tender's
    documentation's example window (2020-12-31T23:00:00 to 2021-01-07T22:59:59) reads; UTC has
    no clock changes, so consecutive windows never leave an hour out."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


class TenderSpider(TrackerSpider):
    """One live tender API; subclasses say where the search is and what its parameters are called."""

    name = "tenders"
    later_wins = True  # windows are read oldest first: a procurement's later notice is its latest state
    kind = ""
    path = ""
    date_params = ("", "")
    delay_setting = ""

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        conf = TenderSettings.model_validate(settings.getdict("TRACKER_TENDERS") or {})
        delay = getattr(conf, cls.delay_setting)
        # The published pace is a floor: not randomised below it, not lowered by AutoThrottle.
        # Above "cmdline": CrawlerProcess.crawl merges the process's settings (cmdline, the
        # tracker's crawl delay) into the crawler again, over values of equal priority.
        above = SETTINGS_PRIORITIES["cmdline"] + 1
        for name, value in (("DOWNLOAD_DELAY", delay), ("AUTOTHROTTLE_START_DELAY", delay),
                            ("DOWNLOAD_DELAY_JITTER", 0.0), ("CONCURRENT_REQUESTS_PER_DOMAIN", 1)):
            settings.set(name, value, priority=above)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> TenderSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.conf = TenderSettings.model_validate(crawler.settings.getdict("TRACKER_TENDERS") or {})
        spider.max_pages = crawler.settings.getint("TRACKER_MAX_LISTING_PAGES", 500)
        return spider

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conf = TenderSettings()
        self.max_pages = 500
        self.filters: dict[str, Any] = dict(self.overrides.get("filters") or {})
        self.known: dict[str, str] = dict(self.overrides.get("known") or {})
        self.spans: list[tuple[datetime, datetime]] = []
        self.waited = 0.0
        self.current = 0  # the window being read when a rate limit stops the crawl
        self.stopped = ""
        self.base = self.start_url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
        if self.path and self.base.lower().endswith(self.path.lower()):
            self.base = self.base[: -len(self.path)]  # the full search address was given

    def plan(self, now: datetime) -> list[tuple[datetime, datetime]]:
        """The windows this crawl reads: from the stored window end (else the look-back) to now."""
        stored = self.overrides.get("window_end")
        start = now - timedelta(days=self.conf.lookback_days)
        if stored:
            moment = datetime.fromisoformat(stored)
            start = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
        return windows(start, max(now, start + timedelta(seconds=1)), self.conf.window_days)

    def window_url(self, index: int) -> str:
        left, right = self.spans[index]
        query = {self.date_params[0]: api_time(left), self.date_params[1]: api_time(right),
                 "stages": ",".join(self.conf.stages), "limit": self.conf.page_size}
        return f"{self.base}{self.path}?{urlencode(query)}"

    def page_request(self, url: str, index: int, page: int) -> scrapy.Request:
        return self.request(url, self.parse, dont_filter=True, headers={"Accept": "application/json"},
                            meta={"window": index, "tracker_page": page, "handle_httpstatus_list": WAIT_STATUSES,
                                  "dont_retry": True, "dont_cache": True})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.spans = self.plan(datetime.now(UTC).replace(tzinfo=None, microsecond=0))
        yield self.page_request(self.window_url(0), 0, 1)

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        index, page = response.meta["window"], response.meta["tracker_page"]
        self.current = index
        if response.status in WAIT_STATUSES:
            retry = await self.wait_out(response)
            if retry is not None:
                yield retry
            return
        package = read_package(self, response)
        if package is None:
            return
        for release in releases(package):
            ocid = str(release.get("ocid") or "")
            page_url = notice_page(self.kind, release)
            where = page_url or f"{response.url}#{ocid}"
            reason = not_an_opportunity(release) or filtered_out(release, self.filters)
            if reason is None and page_url is None:
                reason = "no notice page on the site for this release"
            if reason:
                self.skip(where, reason)
                continue
            # one call per procurement: its first notice's page, whichever notice comes later
            url = self.known.setdefault(ocid, f"{page_url}#{ocid}")
            yield tender_call(self.kind, release, url, self.funder)
        link = next_page(package, response.url)
        if link and link != response.url:
            if page >= self.max_pages:
                if self.narrow(index):
                    yield self.page_request(self.window_url(index), index, 1)
                else:
                    self.stop(response.url, f"window {self.span_text(index)} has more than {self.max_pages} "
                              "pages however narrow; raise [tenders] page_size or [crawl] max_listing_pages")
                return
            yield self.page_request(link, index, page + 1)
            return
        yield WindowDone(self.source_name, self.spans[index][1].replace(tzinfo=UTC).isoformat())
        if index + 1 < len(self.spans):
            yield self.page_request(self.window_url(index + 1), index + 1, 1)

    def narrow(self, index: int) -> bool:
        """A window with more pages than the limit: read it, and the windows after it, in
        windows half as long (a busy week makes its neighbours likely busy too). The pages
        already read are read again under the narrower window; their calls are the same calls.
        False when the window is already as narrow as MIN_WINDOW."""
        left, right = self.spans[index]
        if right - left < 2 * MIN_WINDOW:
            return False
        half = max(timedelta(seconds=(right - left).total_seconds() // 2), MIN_WINDOW)  # whole seconds
        self.spans[index:] = windows(left, self.spans[-1][1], half.total_seconds() / 86400)
        self.count("tracker/windows_narrowed")
        self.logger.info("window %s to %s has more than %d pages: reading it in windows of %s",
                         api_time(left), api_time(right), self.max_pages, half)
        return True

    def span_text(self, index: int) -> str:
        left, right = self.spans[index]
        return f"{api_time(left)} to {api_time(right)}"

    def stop(self, url: str, why: str) -> None:
        """Give up for this crawl: the window being read stays for the next one."""
        self.stopped = f"{why}; the window from {self.span_text(self.current)} is read again next crawl"
        self.problem(url, why)

    async def wait_out(self, response: Response) -> scrapy.Request | None:
        """A rate limit (or a server error): wait as long as Retry-After says, then ask for the same
        page again; past the crawl's budget of waiting, stop until the next crawl."""
        self.current = response.meta["window"]
        self.count("tracker/rate_limited")
        wait = retry_after(response.headers.get("Retry-After"), self.conf.default_retry_after)
        host = urlsplit(response.url).hostname
        if self.waited + wait > self.conf.max_wait_seconds:
            self.stop(response.url, f"rate limited by {host} (HTTP {response.status}, Retry-After {wait:g} s) "
                      f"after {self.waited:g} s of waiting")
            return None
        self.waited += wait
        self.logger.info("HTTP %s from %s: waiting %g s", response.status, host, wait)
        if wait:
            await asyncio.sleep(wait)
        return response.request.replace(dont_filter=True)


class FindATenderSpider(TenderSpider):
    name = "find-a-tender"
    kind = "find-a-tender"
    path = "/api/1.0/ocdsReleasePackages"
    date_params = ("updatedFrom", "updatedTo")
    delay_setting = "find_a_tender_delay"


class ContractsFinderSpider(TenderSpider):
    name = "contracts-finder"
    kind = "contracts-finder"
    path = "/Published/Notices/OCDS/Search"
    date_params = ("publishedFrom", "publishedTo")
    delay_setting = "contracts_finder_delay"
