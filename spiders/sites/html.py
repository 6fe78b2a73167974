"""GenericHtmlSpider: start URL → listing (cards, lists, tables; paginated) → detail pages, or a single
call page, or a page with several funds in sections."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from spiders.extract.link_groups import link_groups
from spiders.extract.page import Listing, PageResult, analyse_page
from spiders.sites.base import TrackerSpider
from tracker.normalize.raw import RawCall

LISTING_PRIORITY = 10  # Scrapy's scheduler sends higher priorities first; detail pages keep 0


class GenericHtmlSpider(TrackerSpider):
    name = "html"
    max_depth = 2  # listing → detail → (a nested listing's) detail
    max_listing_pages = 500  # [crawl] max_listing_pages (TRACKER_MAX_LISTING_PAGES) overrides it

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing_urls = {self.start_url}  # listing pages asked for
        self.stopped = ""  # why the crawl did not read the whole listing, when it did not
        self.link_groups: list[dict] | None = None  # groups of similar links on the start page
        self.start_page_call = ""  # the title of the call the start page itself was read as

    @property
    def listing_page_limit(self) -> int:
        settings = self.crawler.settings if getattr(self, "crawler", None) else None
        return settings.getint("TRACKER_MAX_LISTING_PAGES", self.max_listing_pages) if settings else \
            self.max_listing_pages

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.request(self.start_url, self.parse, meta={"tracker_depth": 0})

    def analyse(self, response: TextResponse, listing: Listing, depth: int) -> PageResult:
        """Read one page; site-specific spiders override this."""
        return analyse_page(response.text, response.url, listing=listing, funder=self.funder,
                            link_pattern=self.link_pattern, selectors=self.selectors,
                            allow_listing=depth < self.max_depth, explore=depth == 0)

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[RawCall | scrapy.Request]:
        if not self.readable(response):
            return
        if not isinstance(response, TextResponse):
            self.skip(response.url, "not a text page")
            return
        depth = int(response.meta.get("tracker_depth", 0))
        if depth == 0 and self.link_groups is None:  # the start page: what an admin could pick instead
            self.link_groups = [g.as_dict() for g in link_groups(response.text, response.url)]
        listing = Listing(response.meta.get("listing_text", ""), dict(response.meta.get("listing_fields") or {}))
        context = f"{depth}\n{listing.text}\n{sorted(listing.fields.items())}"
        # A listing page's links and next page must not queue behind the detail pages.
        result = await self.analysed(response, context, listing, depth, urgent=depth == 0)
        if result.kind == "noncall":
            self.skip(response.url, result.reason)
        if depth == 0 and result.kind == "call" and not self.start_page_call:
            self.start_page_call = result.calls[0].title if result.calls else response.url
        for out in self.calls_or_unchanged(response, result.calls):
            yield out
        # a listing's links; a start page's main-content links whatever it is (explored, judged there)
        if result.links or result.next_pages:
            for request in self.follow_listing(result, depth, self.unchanged(response)):
                yield request

    def follow_listing(self, result: PageResult, depth: int, unchanged: bool = False) -> Iterator[scrapy.Request]:
        for link in result.links:
            yield self.request(link.url, self.parse, meta={
                "tracker_depth": depth + 1, "listing_text": link.context_text,
                "listing_fields": link.context_fields, "context_unchanged": unchanged})
        limit = self.listing_page_limit
        for url in result.next_pages:
            if url in self._listing_urls:
                continue  # numbered pagination names the same pages on every page
            if len(self._listing_urls) >= limit:
                self.stop_listing(limit, url)
                break
            self._listing_urls.add(url)
            # the next listing page goes ahead of the detail pages waiting to be fetched
            yield self.request(url, self.parse, meta={"tracker_depth": depth}, priority=LISTING_PRIORITY)

    def stop_listing(self, limit: int, next_url: str) -> None:
        """The listing page limit is reached: said once, in the crawl's stats, its skip records
        and the source's health, never silently."""
        if self.stopped:
            return
        self.stopped = (f"stopped after {limit} listing pages; the next one, {next_url}, was not read "
                        "(raise [crawl] max_listing_pages to read on)")
        self.count("tracker/listing_page_limit")
        self.skip(next_url, "listing page limit reached: " + self.stopped)
        self.logger.warning("%s: %s", self.source_name, self.stopped)
