"""What every tracker spider shares: constructor contract, skip records and page stats."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from spiders import memo, offload
from spiders.failures import failure_reason
from tracker import clock
from tracker.normalize.raw import UnchangedPage
from tracker.normalize.urls import canonical_url

_worker_spiders: dict[tuple[type, str], TrackerSpider] = {}


@dataclass
class PageJob:
    """One page to read, as sent to a worker process: the spider is remade there from its
    constructor arguments (once per worker), the response from its bytes."""

    spider_cls: type[TrackerSpider]
    init: dict[str, Any]
    response_cls: type[TextResponse]
    url: str
    body: bytes
    encoding: str
    args: tuple
    today: date
    keep: bool = False  # hand back the analysis pickled, for the memo


def read_page(job: PageJob) -> tuple[Any, bytes | None]:
    """Analyse the page (pickled for the memo if asked), then make the calls' urls canonical
    and normalise the calls for the day: the whole CPU cost of a page, in one step."""
    from tracker.normalize import normalize_call

    key = (job.spider_cls, repr(sorted(job.init.items())))
    spider = _worker_spiders.get(key)
    if spider is None:
        spider = _worker_spiders[key] = job.spider_cls(**job.init)
    result = spider.analyse(job.response_cls(url=job.url, body=job.body, encoding=job.encoding), *job.args)
    packed = memo.pack(result) if job.keep else None
    for call in result.calls:
        call.url = canonical_url(call.url)
        call.normalised = (job.today, normalize_call(call, today=job.today))
    return result, packed


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

    def count(self, key: str) -> None:
        """Add one to a crawl stat (nothing when the spider runs without a crawler)."""
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.stats.inc_value(key)

    def unchanged(self, response: Any) -> bool:
        """Answered 304 by the server (the cached copy is current), reached through a listing
        or feed that was unchanged too, and read with the settings of the last full crawl, so
        the calls on it are as stored."""
        return ("cached" in response.flags and response.meta.get("context_unchanged", True)
                and not self._settings_changed)

    @cached_property
    def _settings_fingerprint(self) -> str:
        return f"{type(self).__name__}|{sorted(self.init_args.items())!r}"

    @cached_property
    def _settings_changed(self) -> bool:
        path = self._memo_path
        return path is None or memo.settings_changed(path, self.init_args["source_name"], self._settings_fingerprint)

    def calls_or_unchanged(self, response: Any, calls: list) -> Iterator[Any]:
        if calls and self.unchanged(response):
            self.count("tracker/unchanged_pages")
            yield UnchangedPage(url=response.url, calls=list(calls))
        else:
            yield from calls

    def analyse(self, response: TextResponse, *args: Any) -> Any:
        raise NotImplementedError

    async def analysed(self, response: TextResponse, context: str, *args: Any, urgent: bool = False) -> Any:
        """read_page (analyse, keep, normalise the calls), in a crawl worker process when there
        is one (`urgent`: ahead of the pages waiting for it); or last crawl's result when the
        page is unchanged (304) and reached with the same listing context (needs the HTTP cache)."""
        path = self._memo_path
        key = memo.memo_key(response.url, response.body, context, self._settings_fingerprint) if path else ""
        if path is not None and "cached" in response.flags:
            hit = memo.get(path, key)
            if hit is not None:
                return hit
        job = PageJob(type(self), self.init_args, type(response), response.url, response.body, response.encoding,
                      args, self.today, keep=path is not None)
        result, packed = await offload.run(read_page, job, urgent=urgent)
        if packed is not None:
            memo.put(path, key, packed)
        return result

    @cached_property
    def today(self) -> date:
        """The crawl's day, for dates without a year and statuses (TRACKER_TODAY in tests); read
        once, as the pipelines read it, so a crawl across midnight keeps one day."""
        settings = self.crawler.settings if getattr(self, "crawler", None) else None
        return clock.today(settings.get("TRACKER_TODAY") if settings is not None else None)

    @cached_property
    def _memo_path(self) -> Path | None:
        """Where analyses are kept: beside the HTTP cache, when there is one."""
        settings = self.crawler.settings if getattr(self, "crawler", None) else None
        enabled = settings is not None and settings.getbool("HTTPCACHE_ENABLED")
        return Path(settings["HTTPCACHE_DIR"]) / "analysis.sqlite" if enabled else None

    def closed(self, reason: str) -> None:
        path = self._memo_path
        if path is not None:
            if reason == "finished":
                memo.remember_settings(path, self.init_args["source_name"], self._settings_fingerprint)
            memo.flush(path)

    def count_page(self) -> None:
        self.count("tracker/pages")

    def request(self, url: str, callback: Callable[..., Any], **kwargs: Any) -> scrapy.Request:
        """A request for a page (`url` an http(s) address read through spiders.extract.links.web_url);
        unless the caller handles its failure, a failure is a problem of this source."""
        kwargs.setdefault("errback", self.fetch_failed)
        return scrapy.Request(url, callback=callback, **kwargs)

    def fetch_failed(self, failure: Failure) -> None:
        settings = self.crawler.settings if getattr(self, "crawler", None) else None
        cap = settings.getint("DOWNLOAD_MAXSIZE") if settings is not None else 0
        self.problem(failure.request.url, failure_reason(failure, cap))

    def problem(self, url: str, reason: str) -> None:
        """A page this source could not be read from: logged as an error of this spider (the crawl
        counts its own spider's errors), reason first, as the source's health will show it."""
        self.logger.error("%s: %s", reason, url)

    def readable(self, response: Response) -> bool:
        """Count a fetched page; an empty one is a problem of the source, not a page without calls."""
        self.count_page()
        if response.body.strip():
            return True
        self.problem(response.url, "empty response")
        return False

    def skip(self, url: str, reason: str) -> None:
        """Record a page that is not a call (news, past awards, guidance ...)."""
        self.skipped.append((url, reason))
        self.count("tracker/skipped_non_call")
        self.logger.debug("skipped %s: %s", url, reason)
