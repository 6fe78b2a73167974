"""Run a real Scrapy crawl of some sources (child process: the reactor cannot restart).

Usage: python -m tests.spiders.crawl_probe SPEC_JSON   (SPEC: [{"kind", "url", "funder"}])
Prints one JSON line per item ({"item": {...}}) and per spider at close ({"closed": ..., "skipped": [...],
"stats": {...}})."""

from __future__ import annotations

import dataclasses
import json
import sys

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from spiders.sites import spider_for


def main(spec: list[dict]) -> None:
    settings = Settings()
    settings.setmodule("spiders.settings", priority="project")
    settings.setdict({"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "ERROR",
                      "TRACKER_ALLOW_HOSTS": ["127.0.0.1"], "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                      "CLOSESPIDER_TIMEOUT": 60}, priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=False)
    for source in spec:
        crawler = process.create_crawler(spider_for(source["kind"], source["url"]))

        def on_item(item, response, spider):  # noqa: ANN001
            fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name != "normalised"}
            print(json.dumps({"item": fields, "spider": spider.name}), flush=True)

        def on_closed(spider, reason, crawler=crawler):  # noqa: ANN001
            stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, str))}
            print(json.dumps({"closed": spider.name, "reason": reason, "skipped": spider.skipped,
                              "stats": stats}), flush=True)

        crawler.signals.connect(on_item, signal=signals.item_scraped, weak=False)
        crawler.signals.connect(on_closed, signal=signals.spider_closed, weak=False)
        process.crawl(crawler, source_name=source["kind"], start_url=source["url"], funder=source.get("funder"))
    process.start()


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
