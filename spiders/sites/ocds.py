"""OcdsSpider: an OCDS release or record package (paged through links.next) → one call per tender."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from spiders.extract.ocds import next_page, release_call, releases, skip_reason
from spiders.sites.base import TrackerSpider
from tracker.normalize.raw import RawCall


def read_package(spider: TrackerSpider, response: Response) -> dict[str, Any] | None:
    """The page's OCDS package (a JSON object), or None with the problem said for the source."""
    if not spider.readable(response):
        return None
    try:
        package = json.loads(response.body)
    except ValueError as exc:
        spider.problem(response.url, f"not JSON ({exc})")
        return None
    if not isinstance(package, dict):
        spider.problem(response.url, "not an OCDS package (the JSON is not an object)")
        return None
    return package


class OcdsSpider(TrackerSpider):
    name = "ocds"
    max_pages = 20

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.request(self.start_url, self.parse, meta={"tracker_page": 1})

    def parse(self, response: Response, **kwargs: Any) -> Iterator[RawCall | scrapy.Request]:
        package = read_package(self, response)
        if package is None:
            return
        for release in releases(package):
            # one stable url per ocid: the registered package url, whatever page it came on
            url = f"{self.start_url.split('#', 1)[0]}#{release.get('ocid')}"
            reason = skip_reason(release)
            if reason:
                self.skip(url, reason)
                continue
            call = release_call(release, self.start_url)
            call.funder = call.funder or self.funder
            yield call
        page = int(response.meta.get("tracker_page", 1))
        link = next_page(package, response.url)
        if link and page < self.max_pages:
            yield self.request(link, self.parse, meta={"tracker_page": page + 1})
