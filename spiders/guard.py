"""SSRF guard, both halves: a downloader middleware that refuses bad schemes and IP
literals before any retry, and a DNS resolver that checks every address a host name
resolves to (so redirects and DNS tricks meet the same rule as the first request).
A third, small middleware makes the resolver's refusal fail as the guard's refusal."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer, provider

from spiders.failures import LOOKUP_FAILED
from tracker.netguard import UnsafeURL, check_address, check_url, literal_ip

logger = logging.getLogger(__name__)
# Host name → why the resolver refused its last lookup. The resolver is one per process (Scrapy
# builds it once for the reactor) and can only answer "no addresses", which Twisted reports as
# a failed DNS lookup; RefusedLookupMiddleware, one per crawler, reads the reason back here.
_refused: dict[str, str] = {}


class GuardMiddleware:
    """Downloader middleware; runs for the first request and for every redirect."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allow_hosts = crawler.settings.getlist("TRACKER_ALLOW_HOSTS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        try:
            check_url(request.url, self.allow_hosts)  # no resolver here: the DNS hook checks names
        except UnsafeURL as exc:
            self.crawler.stats.inc_value("tracker/blocked_url")
            logger.warning("blocked %s: %s", request.url, exc, extra={"spider": self.crawler.spider})
            raise IgnoreRequest(f"blocked by the address guard: {exc}") from exc


class RefusedLookupMiddleware:
    """Downloader middleware, outermost (its process_exception runs before the retry and cache
    middlewares'): a lookup the resolver refused fails as the guard's refusal, not as a DNS
    error to retry and report as one."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RefusedLookupMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        why = _refused.get((urlsplit(request.url).hostname or "").lower())
        if why is None or not isinstance(exception, LOOKUP_FAILED):
            return
        self.crawler.stats.inc_value("tracker/blocked_dns")
        logger.warning("blocked %s: %s", request.url, why, extra={"spider": self.crawler.spider})
        raise IgnoreRequest(f"blocked by the address guard: {why}")


@provider(IResolutionReceiver)
class _CheckingReceiver:
    """Buffers every answer and passes them on only if none is blocked."""

    def __init__(self, receiver: IResolutionReceiver, host: str, allow_hosts: list[str],
                 crawler: Crawler | None) -> None:
        self.receiver, self.host, self.allow_hosts, self.crawler = receiver, host, allow_hosts, crawler
        self.addresses: list = []

    def resolutionBegan(self, resolution) -> None:  # noqa: ANN001, N802
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address) -> None:  # noqa: ANN001, N802
        self.addresses.append(address)

    def resolutionComplete(self) -> None:  # noqa: N802
        refusals = []
        for address in self.addresses:
            try:
                check_address(self.host, address.host, self.allow_hosts)
            except UnsafeURL as exc:
                refusals.append(str(exc))
        if refusals:
            _refused[self.host.lower()] = refusals[0]
        else:
            _refused.pop(self.host.lower(), None)
            for address in self.addresses:
                self.receiver.addressResolved(address)
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class GuardedResolver:
    """TWISTED_DNS_RESOLVER: resolves through the reactor's resolver (or the static map
    in TRACKER_STATIC_HOSTS, used like /etc/hosts) and drops blocked answers."""

    def __init__(self, reactor, allow_hosts: list[str], static_hosts: dict[str, list[str]],  # noqa: ANN001
                 crawler: Crawler | None = None) -> None:
        self.reactor = reactor
        self.original = reactor.nameResolver
        self.allow_hosts = allow_hosts
        self.static_hosts = {k.lower(): v for k, v in static_hosts.items()}
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor) -> GuardedResolver:  # noqa: ANN001
        return cls(reactor, crawler.settings.getlist("TRACKER_ALLOW_HOSTS"),
                   crawler.settings.getdict("TRACKER_STATIC_HOSTS"), crawler)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(self, resolutionReceiver, hostName, portNumber=0, addressTypes=None,  # noqa: ANN001, N802, N803
                        transportSemantics="TCP"):  # noqa: ANN201, N803
        checking = _CheckingReceiver(resolutionReceiver, hostName, self.allow_hosts, self.crawler)
        static = self.static_hosts.get(hostName.lower())
        if static is None and literal_ip(hostName) is None:
            return self.original.resolveHostName(checking, hostName, portNumber, addressTypes,
                                                 transportSemantics)
        from scrapy.resolver import HostResolution
        from twisted.internet.address import IPv4Address, IPv6Address

        resolution = HostResolution(hostName)
        checking.resolutionBegan(resolution)
        for ip in static or [literal_ip(hostName)]:
            cls = IPv6Address if ":" in ip else IPv4Address
            checking.addressResolved(cls("TCP", ip, portNumber))
        checking.resolutionComplete()
        return resolution
