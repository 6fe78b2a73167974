"""Run by test_guard_e2e in a child process: fetch URLs with the settings every crawl runs
with (jobs.scrapy_settings.crawl_settings from a tracker config) and print which were
fetched and which were refused."""

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess

from jobs.scrapy_settings import crawl_settings
from tracker.config import Settings
from tracker.db import make_engine, upgrade


class Probe(scrapy.Spider):
    name = "probe"

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.ok, errback=self.err, dont_filter=True, meta={"u": url})

    def ok(self, response):
        self.out[response.meta["u"]] = f"fetched {response.status} {response.url}"

    def err(self, failure):
        self.out[failure.request.meta["u"]] = f"refused {failure.getErrorMessage()[:200]}"


def main() -> None:
    spec = json.loads(sys.argv[1])
    settings = Settings.model_validate(spec["settings"])
    engine = make_engine(settings.db_url)
    upgrade(engine)  # the store pipeline opens the tracker's database like in any crawl
    engine.dispose()
    out: dict[str, str] = {}
    process = CrawlerProcess(crawl_settings(settings))
    process.crawl(Probe, urls=spec["urls"], out=out)
    process.start()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
