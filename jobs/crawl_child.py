"""One crawl batch in its own process (Twisted's reactor cannot restart in-process).

Usage: python -m jobs.crawl_child SPEC.json
SPEC: {"settings": {...tracker Settings...}, "dry_run_out": path|null, "today": "YYYY-MM-DD"|null,
       "sources": [{"name", "kind", "url", "funder", "overrides", "crawl_run_id"}]}
Prints one JSON event per line on stdout (progress, done) for the parent's progress
display, and writes each source's CrawlRun counts itself when its spider closes."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess

from jobs.scrapy_settings import crawl_settings
from tracker.config import Settings
from tracker.processes import die_with_parent


def emit(event: str, **data: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **data}) + "\n")
    sys.stdout.flush()


class Progress:
    """Pages and calls per source, sent to the parent four times a second when they move
    (an event per page would cost more than the page)."""

    def __init__(self) -> None:
        self.crawlers: dict[str, Crawler] = {}
        self.sent: dict[str, tuple[int, int]] = {}

    def report(self) -> None:
        for name, crawler in self.crawlers.items():
            stats = crawler.stats
            counts = (int(stats.get_value("tracker/pages", 0)), int(stats.get_value("tracker/calls", 0)))
            if counts != self.sent.get(name, (0, 0)):
                self.sent[name] = counts
                emit("progress", source=name, pages=counts[0], calls=counts[1])


def source_failed(source: dict[str, Any], why: str) -> None:
    """Report a source that produced no result; the parent records its CrawlRun as failed."""
    emit("done", source=source["name"], status="failed", pages=0, calls=0, errors=1, error_text=why)


class ErrorLog(logging.Handler):
    """Each spider's own error messages, from the records that name it, so a CrawlRun can say
    what went wrong and count its errors. (Scrapy's log_count/ERROR counts every record in the
    process: one broken source would put errors on every source crawled beside it.)"""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.by_spider: dict[int, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        spider = getattr(record, "spider", None)
        if spider is None:
            return
        message = record.getMessage().splitlines()[0][:300]
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None:  # Scrapy's "Spider error processing <url>" says where, the exception what
            what = str(exc).splitlines()[0][:300] if str(exc) else ""
            message += f" ({type(exc).__name__}{': ' + what if what else ''})"
        self.by_spider.setdefault(id(spider), []).append(message)


def no_calls_reason(errors: list[str], skipped: list[tuple[str, str]], pages: int) -> str:
    """Why a crawl found no calls: its first error, else why its first page read was not a call."""
    if errors:
        return errors[0]
    if skipped:
        url, why = skipped[0]
        more = f" (and {len(skipped) - 1} more page(s) skipped)" if len(skipped) > 1 else ""
        return f"{why}: {url}{more}"
    return f"{pages} page(s) read, none with a call"


def start_page_only(title: str) -> str:
    """The reason given when the one call found is the start page itself: right for a page about
    one fund, wrong for a page listing several (read under its own heading)."""
    return (f'only the start page itself was read as a call ("{title}"); if the page lists funds, '
            "pick a group of its links as the source's link pattern (sources test)")


def _finish_run(db_url: str, run_id: int | None, stats: dict[str, Any], errors: list[str],
                dry_run: bool, skipped: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    pages = int(stats.get("tracker/pages", 0) or stats.get("response_received_count", 0))
    error_count = int(stats.get("tracker/errors", 0))  # the spider's own, counted by ErrorLog
    calls = int(stats.get("tracker/calls", 0))
    if stats.get("tracker/start_page_error"):
        status = "failed"
    elif not stats.get("response_received_count"):
        status = "failed"
        if not errors:
            errors = [f"no page could be fetched ({stats.get('finish_reason', 'unknown')})"]
    else:
        status = "failed" if error_count and calls == 0 else "ok"
    summary = {
        "status": status, "pages": pages, "errors": error_count, "calls": calls,
        "calls_new": int(stats.get("tracker/calls_new", 0)),
        "calls_changed": int(stats.get("tracker/calls_changed", 0)),
        "calls_unchanged": int(stats.get("tracker/calls_unchanged", 0)),
        "skipped": int(stats.get("tracker/skipped_non_call", 0)),
        "error_text": "\n".join(dict.fromkeys(errors))[:4000],
        "reason": "" if calls else no_calls_reason(errors, skipped or [], pages),
        "not_modified": int(stats.get("httpcache/revalidate", 0)),
        "unchanged_pages": int(stats.get("tracker/unchanged_pages", 0)),
        "cache": {k.split("/", 1)[1]: v for k, v in stats.items() if k.startswith("httpcache/")},
        "missing": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("tracker/missing/")},
    }
    if run_id and not dry_run:
        from spiders.pipelines.writer import Writer
        from tracker.models import CrawlRun

        writer = Writer.get(db_url)  # the pipelines' writer: a second connection would wait on its lock
        run = writer.session.get(CrawlRun, run_id)
        if run is not None:
            run.finished_at = datetime.now(UTC)
            for key in ("status", "pages", "errors", "calls_new", "calls_changed", "calls_unchanged",
                        "skipped", "error_text"):
                setattr(run, key, summary[key])
            writer.session.add(run)
        writer.commit()
    return summary


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    # Without its runner nobody enforces the time limit or records the result: end with it.
    die_with_parent()
    if spec.get("runner_pid") and os.getppid() != spec["runner_pid"]:
        return 1  # the runner died before the line above took effect
    settings = Settings.model_validate(spec["settings"])
    project = crawl_settings(settings, dry_run_out=spec.get("dry_run_out"), today=spec.get("today"),
                             overrides=spec.get("scrapy_overrides"))
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    from spiders import offload
    from spiders.sites import spider_for

    offload.start(settings.crawl.workers, preload=("tracker.normalize.call",))
    process = CrawlerProcess(project)
    # Scrapy filters by level in its handler, after building a record for every page's debug
    # lines; a logger level drops them before they are built.
    logging.getLogger().setLevel(project.get("LOG_LEVEL"))
    progress = Progress()

    def attach(crawler: Crawler, source: dict[str, Any]) -> None:
        name = source["name"]
        start_status: list[int] = []

        def on_response(response, request, spider) -> None:  # noqa: ANN001
            if request.url == source["url"] or source["url"] in request.meta.get("redirect_urls", []):
                start_status.append(response.status)
                crawler.signals.disconnect(on_response, signal=signals.response_received)  # seen it

        def on_closed(spider, reason) -> None:  # noqa: ANN001
            stats = crawler.stats.get_stats()
            stats["finish_reason"] = reason
            problems = errors.by_spider.get(id(spider), [])
            stats["tracker/errors"] = len(problems)
            if start_status and start_status[-1] >= 400:
                stats["tracker/start_page_error"] = start_status[-1]
                problems = [f"start page {source['url']} answered HTTP {start_status[-1]}", *problems]
            summary = _finish_run(settings.db_url, source.get("crawl_run_id"), stats, problems,
                                  bool(spec.get("dry_run_out")), getattr(spider, "skipped", []))
            summary["skipped_pages"] = list(getattr(spider, "skipped", []))[:200]
            summary["stopped"] = getattr(spider, "stopped", "")
            summary["link_groups"] = getattr(spider, "link_groups", None) or []
            if summary["calls"] == 1 and getattr(spider, "start_page_call", ""):
                summary["reason"] = start_page_only(spider.start_page_call)
            elif summary["calls"] == 0 and summary["link_groups"] and summary["status"] == "ok":
                summary["reason"] += (f"; the start page has {len(summary['link_groups'])} group(s) of links: "
                                      "test the source to pick the one that leads to the funds")
            progress.report()
            emit("done", source=name, **summary)

        crawler.signals.connect(on_response, signal=signals.response_received, weak=False)
        progress.crawlers[name] = crawler
        crawler.signals.connect(on_closed, signal=signals.spider_closed, weak=False)

    for source in spec["sources"]:
        try:
            spider_cls = spider_for(source["kind"], source["url"])
            crawler = process.create_crawler(spider_cls)
            attach(crawler, source)
            deferred = process.crawl(crawler, source_name=source["name"], start_url=source["url"],
                                     funder=source.get("funder"), overrides=source.get("overrides") or {},
                                     crawl_run_id=source.get("crawl_run_id"))
            deferred.addErrback(lambda failure, s=source: source_failed(
                s, f"spider crashed: {failure.getErrorMessage()}"))
        except Exception as exc:  # one broken source must not stop the others
            source_failed(source, f"cannot start: {exc}")
    from twisted.internet import reactor, task

    from spiders.pipelines.writer import Writer

    committer = task.LoopingCall(Writer.commit_all)
    reactor.callWhenRunning(committer.start, 1.0, False)
    reporter = task.LoopingCall(progress.report)
    reactor.callWhenRunning(reporter.start, 0.25, False)
    try:
        process.start()
    finally:
        offload.stop()
    Writer.close_all()
    return 0


if __name__ == "__main__":
    code = main(sys.argv)
    # Everything is committed and reported; tearing down a crawl's heap of objects one by
    # one would add a fifth of a second to every crawl.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
