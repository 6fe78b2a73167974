"""Run by test_guard_e2e in a child process: fetch URLs through the guarded Scrapy stack
and print which were fetched and which were refused."""

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess


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
    out: dict[str, str] = {}
    process = CrawlerProcess({
        "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "RETRY_ENABLED": False, "DOWNLOAD_TIMEOUT": 5,
        "TRACKER_ALLOW_HOSTS": spec["allow"], "TRACKER_STATIC_HOSTS": spec["static"],
        "TWISTED_DNS_RESOLVER": "spiders.guard.GuardedResolver",
        "DOWNLOADER_MIDDLEWARES": {"spiders.guard.GuardMiddleware": 50},
        "DOWNLOAD_HANDLERS": {"file": None, "data": None, "ftp": None, "s3": None},
    })
    process.crawl(Probe, urls=spec["urls"], out=out)
    process.start()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
