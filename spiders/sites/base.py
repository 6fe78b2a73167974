"""What every tracker spider shares: constructor contract, skip records and page stats."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import TextResponse

from spiders import memo, offload
from tracker.normalize.raw import UnchangedPage

_worker_spiders: dict[tuple[type, str], TrackerSpider] = {}


def analyse_in_worker(spider_cls: type[TrackerSpider], init: dict[str, Any], response_cls: type[TextResponse],
                      url: str, body: bytes, encoding: str, args: tuple) -> Any:
    """`spider.analyse(response, *args)` from what a worker process is sent: the spider's
    constructor arguments (it is made once per worker) and the page's bytes."""
    key = (spider_cls, repr(sorted(init.items())))
    spider = _worker_spiders.get(key)
    if spider is None:
        spider = _worker_spiders[key] = spider_cls(**init)
    return spider.analyse(response_cls(url=url, body=body, encoding=encoding), *args)


class TrackerSpider(scrapy.Spider):
    """Constructed with source_name, start_url, funder and overrides; yields RawCall items.

    overrides (optional, for hard sites): {"link_pattern": regex for detail links on listing pages,
    "selectors": {field: css-or-xpath}} — the automatic path needs neither.
    """

    name = "tracker"

    def __init__(self, source_name: str = "", start_url: str = "", funder: str | None = None,
                 overrides: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(name=kwargs.pop("name", None), **kwargs)
        if not start_url:
            raise ValueError("start_url is required")
        self.init_args = {"source_name": source_name, "start_url": start_url, "funder": funder,
                          "overrides": dict(overrides or {})}
        self.source_name = source_name or start_url
        self.start_url = start_url
        self.funder = funder
        self.overrides = dict(overrides or {})
        self.skipped: list[tuple[str, str]] = []

    @property
    def link_pattern(self) -> str | None:
        return self.overrides.get("link_pattern") or None

    @property
    def selectors(self) -> dict[str, str]:
        return dict(self.overrides.get("selectors") or {})

    def _stats(self):  # noqa: ANN202
        crawler = getattr(self, "crawler", None)
        return crawler.stats if crawler is not None else None

    @staticmethod
    def unchanged(response: Any) -> bool:
        """Answered 304 by the server (the cached copy is current) and reached through a
        listing or feed that was unchanged too, so the calls on it are as stored."""
        return "cached" in response.flags and response.meta.get("context_unchanged", True)

    def calls_or_unchanged(self, response: Any, calls: list) -> Iterator[Any]:
        if calls and self.unchanged(response):
            stats = self._stats()
            if stats is not None:
                stats.inc_value("tracker/unchanged_pages")
            yield UnchangedPage(url=response.url, calls=list(calls))
        else:
            yield from calls

    def analyse(self, response: TextResponse, *args: Any) -> Any:
        raise NotImplementedError

    async def analysed(self, response: TextResponse, context: str, *args: Any, here: bool = False) -> Any:
        """`self.analyse(response, *args)`, in a crawl worker process when there is one (`here`:
        in this one); or last crawl's result when the page is unchanged (304) and reached with
        the same listing context (needs the HTTP cache)."""
        path = self._memo_path()
        key = memo.memo_key(response.url, response.body, context) if path is not None else ""
        if path is not None and "cached" in response.flags:
            hit = memo.get(path, key)
            if hit is not None:
                return hit
        if here:
            result = self.analyse(response, *args)
        else:
            result = await offload.run(analyse_in_worker, type(self), self.init_args, type(response),
                                       response.url, response.body, response.encoding, args)
        if path is not None:
            memo.put(path, key, result)
        return result

    def _memo_path(self) -> Path | None:
        """Where analyses are kept: beside the HTTP cache, when there is one."""
        settings = self.crawler.settings if getattr(self, "crawler", None) else None
        if settings is None or not settings.getbool("HTTPCACHE_ENABLED"):
            return None
        return Path(settings["HTTPCACHE_DIR"]) / "analysis.sqlite"

    def closed(self, reason: str) -> None:
        path = self._memo_path()
        if path is not None:
            memo.flush(path)

    def count_page(self) -> None:
        stats = self._stats()
        if stats is not None:
            stats.inc_value("tracker/pages")

    def skip(self, url: str, reason: str) -> None:
        """Record a page that is not a call (news, past awards, guidance ...)."""
        self.skipped.append((url, reason))
        stats = self._stats()
        if stats is not None:
            stats.inc_value("tracker/skipped_non_call")
        self.logger.debug("skipped %s: %s", url, reason)
