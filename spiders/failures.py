"""Why a page could not be fetched, in words an admin can act on (Scrapy's own messages
name exception classes and byte counts, or say nothing at all for a dropped response)."""

from __future__ import annotations

import scrapy.exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

_OVER_CAP = ("larger than download max size", "DOWNLOAD_MAXSIZE")  # Content-Length, streamed, decompressed


def _either(twisted_name: str, scrapy_name: str) -> tuple[type[BaseException], ...]:
    """Twisted's exception and the Scrapy one that wraps it in newer Scrapy (2.19 has it)."""
    wrapper = getattr(scrapy_errors, scrapy_name, None)
    return (getattr(twisted_errors, twisted_name), *((wrapper,) if wrapper else ()))


LOOKUP_FAILED = _either("DNSLookupError", "CannotResolveHostError")
_TIMED_OUT = (*_either("TimeoutError", "DownloadTimeoutError"), twisted_errors.TCPTimedOutError)
_REFUSED = _either("ConnectionRefusedError", "DownloadConnectionRefusedError")


def failure_reason(failure: Failure, size_cap: int) -> str:
    """One short phrase for a failed request: "HTTP 404", "response larger than the size cap
    (5120 KB)", "redirect loop: ...", "blocked by the address guard: ..." and so on."""
    exc = failure.value
    message = failure.getErrorMessage()
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    if any(mark in message for mark in _OVER_CAP):
        return f"response larger than the size cap ({size_cap // 1024} KB)"
    if isinstance(exc, IgnoreRequest) and "max redirections" in message:
        return "too many redirects"
    if isinstance(exc, LOOKUP_FAILED):
        return "DNS lookup failed"
    if isinstance(exc, _TIMED_OUT):
        return "timed out"
    if isinstance(exc, _REFUSED):
        return "connection refused"
    return message.splitlines()[0] if message.strip() else type(exc).__name__
