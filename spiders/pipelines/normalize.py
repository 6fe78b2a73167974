"""RawCall → Facts, counting missing and unreadable fields in the crawl stats."""

from __future__ import annotations

from functools import partial

from scrapy.crawler import Crawler

from spiders import offload
from tracker import clock
from tracker.normalize import Facts, RawCall, normalize_call
from tracker.normalize.raw import UnchangedPage
from tracker.normalize.urls import canonical_url

COUNTED = ("deadline", "amount_max", "areas", "eligible_org_types", "themes")


class NormalizePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.today = clock.today(crawler.settings.get("TRACKER_TODAY"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def normalize(self, raw: RawCall) -> Facts:
        raw.url = canonical_url(raw.url)
        return self.count(normalize_call(raw, today=self.today))

    def count(self, facts: Facts) -> Facts:
        self.stats.inc_value("tracker/calls")
        for name in COUNTED:
            value = getattr(facts, name)
            if value in (None, [], "") and not (name == "deadline" and facts.rolling):
                self.stats.inc_value(f"tracker/missing/{name}")
        for problem in facts.problems:
            self.stats.inc_value(f"tracker/invalid/{problem.split(':', 1)[0]}")
        return facts

    async def process_item(self, item: RawCall | Facts | UnchangedPage) -> Facts | UnchangedPage:
        if isinstance(item, RawCall):
            if item.normalised is not None and item.normalised[0] == self.today:
                return self.count(item.normalised[1])  # read_page made its url canonical too
            item.url = canonical_url(item.url)
            return self.count(await offload.run(partial(normalize_call, today=self.today), item))
        if isinstance(item, UnchangedPage):
            item.url = canonical_url(item.url)
            for raw in item.calls:
                raw.url = canonical_url(raw.url)
        return item  # unchanged pages are normalised only if the store does not know them
