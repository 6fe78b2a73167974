"""Spider classes and the registry that picks one for a source (kind + host)."""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy

from spiders.sites.feed import FeedSpider
from spiders.sites.find_a_grant import HOST as FIND_A_GRANT_HOST
from spiders.sites.find_a_grant import FindAGrantSpider
from spiders.sites.html import GenericHtmlSpider
from spiders.sites.ocds import OcdsSpider
from spiders.sites.tenders import ContractsFinderSpider, FindATenderSpider
from spiders.sites.ukri import HOST as UKRI_HOST
from spiders.sites.ukri import UkriFeedSpider, UkriHtmlSpider

KINDS = ("html", "rss", "atom", "ocds", "contracts-finder", "find-a-tender")
_GENERIC: dict[str, type[scrapy.Spider]] = {
    "html": GenericHtmlSpider, "rss": FeedSpider, "atom": FeedSpider, "ocds": OcdsSpider,
    "contracts-finder": ContractsFinderSpider, "find-a-tender": FindATenderSpider,
}
_SITES: dict[tuple[str, str], type[scrapy.Spider]] = {
    (FIND_A_GRANT_HOST, "html"): FindAGrantSpider,
    (UKRI_HOST, "html"): UkriHtmlSpider,
    (UKRI_HOST, "rss"): UkriFeedSpider,
    (UKRI_HOST, "atom"): UkriFeedSpider,
}


def _on_host(host: str, site: str) -> bool:
    return host == site or host.endswith("." + site)


def spider_for(kind: str, url: str) -> type[scrapy.Spider]:
    """The spider class for a source kind (html|rss|atom|ocds|contracts-finder|find-a-tender) and start URL's host."""
    kind = (kind or "").strip().lower()
    if kind not in _GENERIC:
        raise ValueError(f"unknown source kind {kind!r} (expected one of {', '.join(KINDS)})")
    host = (urlsplit(url).hostname or "").lower()
    for (site, site_kind), cls in _SITES.items():
        if site_kind == kind and _on_host(host, site):
            return cls
    return _GENERIC[kind]


__all__ = ["ContractsFinderSpider", "FeedSpider", "FindATenderSpider",
           "FindAGrantSpider", "GenericHtmlSpider", "OcdsSpider", "UkriFeedSpider",
           "UkriHtmlSpider", "spider_for"]
