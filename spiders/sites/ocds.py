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


class OcdsSpider(TrackerSpider):
    name = "ocds"
    max_pages = 20

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse, meta={"tracker_page": 1})

    def parse(self, response: Response, **kwargs: Any) -> Iterator[RawCall | scrapy.Request]:
        self.count_page()
        try:
            package = json.loads(response.body)
        except ValueError:
            self.logger.error("not JSON: %s", response.url)
            return
        if not isinstance(package, dict):
            self.logger.error("not an OCDS package: %s", response.url)
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
        link = next_page(package)
        if link and page < self.max_pages:
            yield response.follow(link, callback=self.parse, meta={"tracker_page": page + 1})
