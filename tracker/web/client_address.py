"""The client's address: the connecting peer, or, when that peer is a trusted reverse proxy,
the right-most address in X-Forwarded-For that is not a trusted proxy. Everything left of
that was written by the client and can be forged, so it is never read."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from fastapi import Request

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(text: str) -> IPAddress | None:
    """An address as proxies write it (bare, [v6], with or without a port); None if not one."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]  # IPv4 with a port
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def resolve(peer: str, forwarded_for: Iterable[str], trusted: Sequence[IPNetwork]) -> str:
    """The client address for a request from `peer` carrying these X-Forwarded-For headers."""
    address = parse_address(peer)
    if address is None:
        return peer or "unknown"

    def is_trusted(candidate: IPAddress) -> bool:
        return any(candidate in network for network in trusted)

    hops = [hop for header in forwarded_for for hop in header.split(",") if hop.strip()]
    while is_trusted(address) and hops:
        previous = parse_address(hops.pop())
        if previous is None:  # a proxy wrote nonsense: keep the last address we could trust
            break
        address = previous
    return str(address)


def client_address(request: Request, trusted: Sequence[IPNetwork]) -> str:
    peer = request.client.host if request.client else ""
    return resolve(peer, request.headers.getlist("x-forwarded-for"), trusted)
