"""The one gate for every URL the tracker fetches: http(s) only, and no loopback,
private, link-local, CGNAT, multicast, reserved or cloud-metadata address unless the
host is allowed in config ([crawl] allow_hosts)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], list[str]]

_EXTRA_BLOCKED = [
    ipaddress.ip_network("100.64.0.0/10"),  # CGNAT: not covered by is_private
    ipaddress.ip_network("0.0.0.0/8"),
    ipaddress.ip_network("192.0.0.0/24"),
    ipaddress.ip_network("198.18.0.0/15"),
    ipaddress.ip_network("fd00:ec2::/32"),  # AWS IPv6 metadata
]


class UnsafeURL(ValueError):
    """A URL the tracker refuses to fetch; the message says why."""


def _unwrap(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return ip.ipv4_mapped
        if ip.sixtofour:
            return ip.sixtofour
        if ip.teredo:
            return ip.teredo[1]
    return ip


def is_blocked_ip(address: str | IPAddress) -> bool:
    """True for any address that is not plainly public."""
    ip = _unwrap(ipaddress.ip_address(address) if isinstance(address, str) else address)
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local:
        return True
    return any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version)


def host_allowed(host: str, ip: str | None, allow_hosts: Iterable[str]) -> bool:
    """True when config exempts this host name or address from the guard."""
    host = host.lower().strip("[]")
    for entry in allow_hosts:
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == host:
            return True
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        for candidate in (host, ip):
            if candidate is None:
                continue
            try:
                if _unwrap(ipaddress.ip_address(candidate)) in network:
                    return True
            except ValueError:
                continue
    return False


def parse_host(url: str) -> tuple[str, str]:
    """(scheme, host) of a URL, refusing what is not a plain http(s) URL."""
    if any(ch in url for ch in ("\\", "\t", "\n", "\r", " ")):
        raise UnsafeURL(f"{url!r}: URL contains a backslash or whitespace")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL(f"{url!r}: only http and https URLs are allowed, not {scheme or 'no scheme'!r}")
    if parts.username or parts.password:
        raise UnsafeURL(f"{url!r}: URLs with a user name or password are not allowed")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeURL(f"{url!r}: URL has no host")
    return scheme, host


def literal_ip(host: str) -> str | None:
    """The address if `host` is an IP literal, in any spelling inet_aton accepts."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:  # 127.1, 0x7f.0.0.1, 2130706433 ...
        return socket.inet_ntoa(socket.inet_aton(host)) if host.replace(".", "").isalnum() else None
    except OSError:
        return None


def check_address(host: str, ip: str, allow_hosts: Iterable[str]) -> None:
    if is_blocked_ip(ip) and not host_allowed(host, ip, allow_hosts):
        raise UnsafeURL(f"{host}: resolves to {ip}, a loopback/private/reserved address "
                        "(add it to [crawl] allow_hosts to allow it)")


def system_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def check_url(url: str, allow_hosts: Iterable[str] = (), resolver: Resolver | None = None) -> None:
    """Raise UnsafeURL unless `url` may be fetched. With a resolver, every address the
    name resolves to is checked (one bad answer blocks it)."""
    allow_hosts = list(allow_hosts)
    _, host = parse_host(url)
    ip = literal_ip(host)
    if ip is not None:
        check_address(host, ip, allow_hosts)
        return
    if host == "localhost" or host.endswith((".localhost", ".internal", ".local")):
        if not host_allowed(host, None, allow_hosts):
            raise UnsafeURL(f"{host}: local host names are not allowed (add to [crawl] allow_hosts)")
        return
    if resolver is None:
        return
    try:
        addresses = resolver(host)
    except OSError as exc:
        raise UnsafeURL(f"{host}: cannot resolve host name ({exc})") from exc
    if not addresses:
        raise UnsafeURL(f"{host}: host name has no addresses")
    for address in addresses:
        check_address(host, address, allow_hosts)
