"""Scrapy settings for a crawl, built from the tracker's typed config."""

from __future__ import annotations

from typing import Any

from scrapy.settings import Settings as ScrapySettings

from tracker.config import Settings


def scrapy_settings(settings: Settings, *, dry_run_out: str | None = None) -> dict[str, Any]:
    crawl = settings.crawl
    values: dict[str, Any] = {
        "USER_AGENT": f"funding-tracker/0.1 (+mailto:{crawl.contact})",
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "DOWNLOAD_DELAY": crawl.download_delay,
        # AutoThrottle never lowers its delay on non-200 answers, so a re-crawl of 304s would
        # keep any start delay above the configured minimum for the whole crawl.
        "AUTOTHROTTLE_START_DELAY": crawl.download_delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_domain),
        "EXTENSIONS": {"scrapy.extensions.throttle.AutoThrottle": None,
                       "spiders.throttle.RevalidatingAutoThrottle": 0,
                       "scrapy.extensions.remote_control.RemoteControl": None},  # see spiders/settings.py
        "DOWNLOAD_MAXSIZE": crawl.max_page_kb * 1024,
        "DOWNLOAD_WARNSIZE": crawl.max_page_kb * 512,
        "TRACKER_ALLOW_HOSTS": list(crawl.allow_hosts),
        "TRACKER_STATIC_HOSTS": dict(crawl.hosts),
        "TRACKER_MAX_LISTING_PAGES": crawl.max_listing_pages,
        "TRACKER_TENDERS": settings.tenders.model_dump(mode="json"),
        "TWISTED_DNS_RESOLVER": "spiders.guard.GuardedResolver",
        # Every component runs on every request, and the crawl is CPU-bound on Scrapy's own
        # machinery: off with those the tracker never uses (no allowed_domains, credentials,
        # Referer, depth limit; the byte counts and meta-copy hints are read by nobody).
        "DOWNLOADER_MIDDLEWARES": {"spiders.guard.GuardMiddleware": 50,
                                   # after Scrapy's redirects (600) and retries (550), so these
                                   # see the response / the failed lookup first
                                   "spiders.redirects.RedirectLoopMiddleware": 610,
                                   "spiders.guard.RefusedLookupMiddleware": 950,
                                   # after the guard: a refused request claims no slot
                                   "spiders.hostrate.SharedHostRate": 60,
                                   "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
                                   "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
                                   "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
                                   # off in settings too; None also saves importing them
                                   "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
                                   "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None},
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.referer.RefererMiddleware": None,
                               "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
                               "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None},
        "ITEM_PIPELINES": {
            "spiders.pipelines.normalize.NormalizePipeline": 100,
            "spiders.pipelines.store.StorePipeline": 200,
        },
        "TRACKER_DATABASE_URL": settings.db_url,
        # queue mode: workers on several machines keep one pace per host between them
        "TRACKER_SHARED_HOST_RATE": settings.workers.mode == "queue" and not dry_run_out,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en-GB,en;q=0.8",
        },
    }
    if crawl.http_cache and not dry_run_out:
        values.update({
            "HTTPCACHE_ENABLED": True,
            "HTTPCACHE_DIR": str(settings.cache_dir.resolve()),
            # Revalidate every page (If-None-Match / If-Modified-Since): see cache_policy.
            "HTTPCACHE_POLICY": "spiders.cache_policy.AlwaysRevalidatePolicy",
            "HTTPCACHE_STORAGE": "spiders.cache_storage.SqliteCacheStorage",
            "HTTPCACHE_ALWAYS_STORE": True,
            "HTTPCACHE_IGNORE_HTTP_CODES": [500, 502, 503, 504, 408, 429],
        })
    if dry_run_out:
        values["TRACKER_DRY_RUN_OUT"] = dry_run_out
    return values


def crawl_settings(settings: Settings, *, dry_run_out: str | None = None, today: str | None = None,
                   overrides: dict[str, Any] | None = None) -> ScrapySettings:
    """Everything a crawl runs with: spiders/settings.py, this config's values on top, then
    per-run overrides (a preview's page limit)."""
    values = scrapy_settings(settings, dry_run_out=dry_run_out)
    if today:
        values["TRACKER_TODAY"] = today
    values.update(overrides or {})
    values["LOG_INSTALL_ROOT_HANDLER"] = True  # warnings and errors go to the crawl log (stderr)
    project = ScrapySettings()
    project.setmodule("spiders.settings", priority="project")
    project.setdict(values, priority="cmdline")
    return project
