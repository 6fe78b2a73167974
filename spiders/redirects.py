"""Redirect loops, named as such. Scrapy's redirect middleware hands a redirect back to a page
already visited to the scheduler, whose duplicate filter drops it without a word: the source
then looks like a site with nothing on it."""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import canonicalize_url

REDIRECTS = (301, 302, 303, 307, 308)


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL this request has already been redirected from."""


class RedirectLoopMiddleware:
    """Downloader middleware, ahead of Scrapy's RedirectMiddleware (a higher priority number, so
    it sees the response first): refuse a redirect that leads back along its own chain."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        location = response.headers.get(b"Location") if response.status in REDIRECTS else None
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if canonicalize_url(target) in {canonicalize_url(url) for url in chain}:
            raise RedirectLoop(f"redirect loop ({' → '.join([*chain, target])})")
        return response
