"""Upsert each call into the tracker's database and keep the source's counts. Writes go through
the process's shared Writer, batched, because a transaction per call costs more than the
crawl. With TRACKER_DRY_RUN_OUT the calls are written as JSON lines there instead."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import datetime

from scrapy import Spider
from scrapy.crawler import Crawler
from sqlalchemy import update
from sqlmodel import Session, select

from spiders.pipelines.normalize import NormalizePipeline
from spiders.pipelines.writer import Writer
from spiders.signals import calls_committed
from tracker.models import Opportunity, Source, utcnow
from tracker.normalize import Facts
from tracker.normalize.raw import UnchangedPage, WindowDone
from tracker.store import upsert_calls

TOUCH_BATCH = 200  # calls of unchanged pages per UPDATE
STORE_BATCH = 100  # new or changed calls per query and flush
BATCH_SECONDS = 1.0  # a slow site's calls are not held back longer than this


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.dry_out = crawler.settings.get("TRACKER_DRY_RUN_OUT")
        self.url = crawler.settings.get("TRACKER_DATABASE_URL")
        self.normalizer = NormalizePipeline(crawler)
        self.run_id: int | None = None
        self.writer: Writer | None = None
        self.session: Session | None = None
        self.source: Source | None = None
        self.seen: set[str] = set()
        self.unchanged: list[UnchangedPage] = []
        self.batch: list[Facts] = []
        self.batch_started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        if self.dry_out or not self.url:
            return
        spider = self.crawler.spider
        self.run_id = getattr(spider, "crawl_run_id", None)
        self.writer = Writer.get(self.url)
        self.session = self.writer.session
        name = getattr(spider, "source_name", None)
        self.source = self.session.exec(select(Source).where(Source.name == name)).first()

    def process_item(self, item: Facts | UnchangedPage | WindowDone) -> Facts | UnchangedPage | WindowDone:
        if isinstance(item, WindowDone):
            self._window_done(item)
            return item
        if isinstance(item, UnchangedPage):
            if self.session is None:
                for raw in item.calls:
                    self._store(self.normalizer.normalize(raw))
                return item
            self.unchanged.append(item)
            if sum(len(p.calls) for p in self.unchanged) >= TOUCH_BATCH:
                self._flush_unchanged()
            return item
        self._store(item)
        return item

    def _flush_unchanged(self) -> None:
        """Move last_seen for the calls of unchanged pages, many pages per statement; a page
        whose calls the database does not know (all of them) is stored like a new one."""
        pages, self.unchanged = self.unchanged, []
        urls = [call.url for page in pages for call in page.calls]
        if not urls:
            return
        known = set(self.session.exec(select(Opportunity.url).where(Opportunity.url.in_(urls))))
        touch = [u for page in pages if all(c.url in known for c in page.calls) for u in (c.url for c in page.calls)]
        if touch:
            self.session.execute(update(Opportunity).where(Opportunity.url.in_(touch)).values(last_seen=utcnow()))
            self.stats.inc_value("tracker/calls", len(touch))
            self.stats.inc_value("tracker/calls_unchanged", len(touch))
            self.seen.update(touch)
            self.writer.wrote(len(touch))
        for page in pages:
            if not all(c.url in known for c in page.calls):
                for raw in page.calls:
                    self._store(self.normalizer.normalize(raw))

    def _store(self, facts: Facts) -> None:
        if facts.url in self.seen:  # the same call reached twice (listing and feed) in one crawl
            self.stats.inc_value("tracker/duplicate_item")
            if getattr(self.crawler.spider, "later_wins", False):
                self._restore(facts)
            return
        self.seen.add(facts.url)
        if self.dry_out:
            with open(self.dry_out, "a", encoding="utf-8") as out:
                out.write(json.dumps(asdict(facts), default=str) + "\n")
            return
        if self.session is None:
            return
        if not self.batch:
            self.batch_started = time.monotonic()
        self.batch.append(facts)
        if len(self.batch) >= STORE_BATCH or time.monotonic() - self.batch_started > BATCH_SECONDS:
            self._flush_batch()

    def _restore(self, facts: Facts) -> None:
        """A later notice of the same call in one crawl (a tender amended within the span read):
        it replaces the earlier reading, which may be stored already."""
        if self.dry_out or self.session is None:
            return
        self.batch = [f for f in self.batch if f.url != facts.url]
        if not self.batch:
            self.batch_started = time.monotonic()
        self.batch.append(facts)

    def _window_done(self, item: WindowDone) -> None:
        """Commit the window's calls and, in the same transaction, where the next crawl starts."""
        if self.session is None or self.source is None:
            return  # a preview: nothing is stored, the window is read again
        self._flush_unchanged()
        self._flush_batch()
        self.source.window_end = datetime.fromisoformat(item.end)
        self.session.add(self.source)
        self.writer.commit()

    def _flush_batch(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        for outcome in upsert_calls(self.session, batch, self.source, self.run_id):
            self.stats.inc_value(f"tracker/calls_{outcome}")
        self.writer.wrote(len(batch))

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.session is not None:
            self._flush_unchanged()  # first: it hands the batch the calls the database lacks
            self._flush_batch()
        if self.writer is not None:
            self.writer.commit()
        self.crawler.signals.send_catch_log(signal=calls_committed)
