"""FeedSpider: RSS 2.0 / Atom feed → each item's detail page (the call), with the item's text as
listing context. News items in a grants feed are skipped."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from spiders.extract import cues as C
from spiders.extract.feeds import FeedEntry, FeedError, entry_anchor, news_reason, parse_feed
from spiders.extract.page import Listing, PageResult, analyse_page
from spiders.sites.base import TrackerSpider
from tracker.normalize.raw import RawCall


def entry_listing(entry: FeedEntry) -> Listing:
    fields = {"Feed title": entry.title}
    if entry.categories:
        fields["Category"] = ", ".join(entry.categories)
    return Listing(text="\n".join(x for x in (entry.title, entry.text) if x), fields=fields)


def entry_call(entry: FeedEntry, feed_url: str, funder: str | None) -> RawCall:
    """A call from the feed item alone (when its page cannot be fetched or has no link)."""
    url = entry.link or f"{feed_url.split('#', 1)[0]}#{entry_anchor(entry)}"
    return RawCall(url=url, title=entry.title, funder=funder, summary=entry.text.split("\n")[0][:500],
                   text=entry.text, listing_text=entry_listing(entry).text,
                   listing_fields=entry_listing(entry).fields)


class FeedSpider(TrackerSpider):
    name = "feed"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.request(self.start_url, self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[RawCall | scrapy.Request]:
        if not self.readable(response):
            return
        try:
            entries = parse_feed(response.body, response.url)
        except FeedError as exc:
            self.problem(response.url, str(exc))
            return
        if not entries:
            self.skip(response.url, "the feed has no entries")
        for entry in entries:
            if entry.refused_link:
                self.count("tracker/refused_links")
            reason = news_reason(entry)
            if reason:
                self.skip(entry.link or response.url, reason)
                continue
            if not entry.link:  # the entry is all there is: it must read as a call itself
                if C.is_call(C.call_cues(entry.text, {}, entry.title)):
                    yield entry_call(entry, response.url, self.funder)
                else:
                    why = (f"entry link {entry.refused_link!r} is not a web address" if entry.refused_link
                           else "entry without a link")
                    self.skip(f"{response.url}#{entry.guid or entry.title}", f"{why} or call signals")
                continue
            yield self.request(entry.link, self.parse_item, errback=self.item_failed,
                               cb_kwargs={"entry": entry}, meta={"context_unchanged": self.unchanged(response)})

    def analyse(self, response: TextResponse, listing: Listing, entry: FeedEntry) -> PageResult:
        result = analyse_page(response.text, response.url, listing=listing, funder=self.funder,
                              selectors=self.selectors, allow_listing=False)
        for call in result.calls:
            call.title = call.title or entry.title
            call.summary = call.summary or entry.text.split("\n")[0][:500]
        return result

    async def parse_item(self, response: Response, entry: FeedEntry) -> AsyncIterator[RawCall]:
        if not self.readable(response) or not isinstance(response, TextResponse):
            yield entry_call(entry, self.start_url, self.funder)
            return
        listing = entry_listing(entry)
        context = f"feed\n{listing.text}\n{sorted(listing.fields.items())}"
        result = await self.analysed(response, context, listing, entry)
        if result.kind == "noncall":
            self.skip(response.url, result.reason)
            return
        for out in self.calls_or_unchanged(response, result.calls):
            yield out

    def item_failed(self, failure: Failure) -> Iterator[RawCall]:
        """The item's page is gone or refused: a problem of the source, and the call is kept as
        the feed describes it."""
        self.fetch_failed(failure)
        entry = failure.request.cb_kwargs.get("entry")
        if entry is not None:
            yield entry_call(entry, self.start_url, self.funder)
