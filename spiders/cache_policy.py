"""HTTP cache policy for a change tracker: always ask the server, with the validators of
the stored copy. Scrapy's RFC 2616 policy serves heuristically "fresh" pages without
asking, and on `Cache-Control: no-cache` revalidates without sending If-None-Match /
If-Modified-Since at all, so an unchanged page would be downloaded in full."""

from __future__ import annotations

from scrapy import Request
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Response


class AlwaysRevalidatePolicy(RFC2616Policy):
    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False
