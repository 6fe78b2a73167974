"""Scrapy settings for every tracker crawl. Per-run values come from tracker config
(see jobs/crawl_child.py), these are the safe defaults."""

BOT_NAME = "funding-tracker"
SPIDER_MODULES = ["spiders.sites"]
NEWSPIDER_MODULE = "spiders.sites"

USER_AGENT = "funding-tracker/0.1 (+contact: funding@example.gov.uk)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Items of one response processed in parallel. Scrapy starts that many tasks for every
# response, whatever it yields; a page yields one call or a few, and they are read and
# normalised already (in the crawl's worker), so one at a time is all the parallelism there is.
CONCURRENT_ITEMS = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 starts an HTTP server in every crawl that runs Python code sent to it (behind
# a token); a crawler of untrusted sites has no use for one.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "WARNING"
# Admin-typed URLs must not reach files, data: URLs, FTP or S3.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
HTTPPROXY_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
# Scrapy re-reads and parses a callback's source on every response to warn about
# `return value` in generators (its cache is keyed by short-lived bound methods);
# our spiders are few and tested, so the check is off.
WARN_ON_GENERATOR_RETURN_VALUE = False
