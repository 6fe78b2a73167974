"""GenericHtmlSpider: start URL → listing (cards, lists, tables; paginated) → detail pages, or a single
call page, or a page with several funds in sections."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from spiders.extract.page import Listing, PageResult, analyse_page
from spiders.sites.base import TrackerSpider
from tracker.normalize.raw import RawCall


class GenericHtmlSpider(TrackerSpider):
    name = "html"
    max_depth = 2  # listing → detail → (a nested listing's) detail
    max_listing_pages = 50

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing_pages = 0

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
        listing = Listing(response.meta.get("listing_text", ""), dict(response.meta.get("listing_fields") or {}))
        context = f"{depth}\n{listing.text}\n{sorted(listing.fields.items())}"
        # A listing page's links and next page must not queue behind the detail pages.
        result = await self.analysed(response, context, listing, depth, urgent=depth == 0)
        if result.kind == "noncall":
            self.skip(response.url, result.reason)
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
        for url in result.next_pages:
            if self._listing_pages >= self.max_listing_pages:
                break
            self._listing_pages += 1
            yield self.request(url, self.parse, meta={"tracker_depth": depth})
