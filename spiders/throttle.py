"""AutoThrottle that treats 304 Not Modified as a normal answer. Stock AutoThrottle never
lowers its delay after a non-200 status (so small error pages cannot speed it up); on a
re-crawl that is answered almost entirely with 304s the delay could then only grow."""

from __future__ import annotations

from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response


class RevalidatingAutoThrottle(AutoThrottle):
    def _adjust_delay(self, slot, latency: float, response: Response) -> None:  # noqa: ANN001
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
