"""UKRI funding finder (ukri.org): RSS feed https://www.ukri.org/opportunity/feed/ and listing pages
/opportunity/ (cards div.opportunity); detail facts in dl.opportunity__summary rows."""

from __future__ import annotations

from typing import Any

from parsel import Selector
from scrapy.http import TextResponse

from spiders.extract.feeds import FeedEntry
from spiders.extract.ocds import london_iso
from spiders.extract.page import Listing, PageResult
from spiders.sites.feed import FeedSpider
from spiders.sites.html import GenericHtmlSpider
from tracker.normalize.raw import RawCall

HOST = "ukri.org"
DETAIL_LINKS = r"/opportunity/(?!page/|feed/)[^/?#]+/?$"
STATUS = {"open": "open", "closed": "closed", "upcoming": "upcoming", "forthcoming": "upcoming"}


def ukri_structured(html: str, call: RawCall) -> None:
    """Typed values from the summary list: time[datetime] of the dates, the opportunity status."""
    sel = Selector(text=html)
    for row in sel.css("dl.opportunity__summary div, dl.opportunity__summary"):
        for dt in row.css("dt"):
            label = " ".join(dt.css("::text").getall()).strip().lower().rstrip(":")
            dd = dt.xpath("following-sibling::dd[1]")
            stamp = london_iso(dd.css("time::attr(datetime)").get())
            text = " ".join(" ".join(dd.css("::text").getall()).split()).lower()
            if label.startswith("closing date") and stamp:
                call.structured.setdefault("deadline", stamp)
            elif label.startswith("opening date") and stamp:
                call.structured.setdefault("opens", stamp)
            elif label.startswith("opportunity status") and text in STATUS:
                call.structured.setdefault("status", STATUS[text])


class UkriFeedSpider(FeedSpider):
    name = "ukri_feed"

    def analyse(self, response: TextResponse, listing: Listing, entry: FeedEntry) -> PageResult:
        result = super().analyse(response, listing, entry)
        for call in result.calls:
            ukri_structured(response.text, call)
        return result


class UkriHtmlSpider(GenericHtmlSpider):
    name = "ukri_html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.overrides.setdefault("link_pattern", DETAIL_LINKS)

    def analyse(self, response: TextResponse, listing: Listing, depth: int) -> PageResult:
        result = super().analyse(response, listing, depth)
        for call in result.calls:
            ukri_structured(response.text, call)
        return result
