"""Upsert each call into the tracker's database and keep the source's CrawlRun counts.
With TRACKER_DRY_RUN the calls are written as JSON lines to TRACKER_DRY_RUN_OUT instead."""

from __future__ import annotations

import json
from dataclasses import asdict

from scrapy import Spider
from scrapy.crawler import Crawler
from sqlmodel import Session, select

from tracker.db import make_engine
from tracker.models import Source
from tracker.normalize import Facts
from tracker.store import upsert_call


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.dry_out = settings.get("TRACKER_DRY_RUN_OUT")
        self.url = settings.get("TRACKER_DATABASE_URL")
        self.run_id: int | None = None
        self.engine = None
        self.source = None
        self.counts = {"new": 0, "changed": 0, "unchanged": 0}
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        if self.dry_out or not self.url:
            return
        self.engine = make_engine(self.url)
        spider = self.crawler.spider
        name = getattr(spider, "source_name", None)
        self.run_id = getattr(spider, "crawl_run_id", None)
        with Session(self.engine) as session:
            self.source = session.exec(select(Source).where(Source.name == name)).first()

    def process_item(self, item: Facts) -> Facts:
        if item.url in self.seen:  # the same call reached twice (listing and feed) in one crawl
            self.crawler.stats.inc_value("tracker/duplicate_item")
            return item
        self.seen.add(item.url)
        if self.dry_out:
            with open(self.dry_out, "a", encoding="utf-8") as out:
                out.write(json.dumps(asdict(item), default=str) + "\n")
            return item
        if self.engine is None:
            return item
        with Session(self.engine, expire_on_commit=False) as session:
            _, outcome = upsert_call(session, item, self.source, self.run_id)
            session.commit()
        self.counts[outcome] += 1
        self.crawler.stats.inc_value(f"tracker/calls_{outcome}")
        return item

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.engine is not None:
            self.engine.dispose()
