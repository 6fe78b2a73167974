"""Canonical URLs: one spelling per page (or page section)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga|_hsenc|_hsmi)$", re.I)
# A fragment names a section ("#community-action-fund"), not client-side state ("#/search?q=", "#top").
_SECTION = re.compile(r"^[A-Za-z][\w.:-]*$")
_NOT_SECTIONS = {"top", "main", "content", "main-content", "maincontent", "skip", "page", "header", "footer", "nav"}


def canonical_url(url: str) -> str:
    """w3lib canonical form without tracking parameters, keeping a #fragment only when it names a section."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    fragment = parts.fragment
    keep = bool(fragment) and bool(_SECTION.match(fragment)) and fragment.lower() not in _NOT_SECTIONS
    cleaned = urlunsplit((parts.scheme, parts.netloc, parts.path, query, fragment if keep else ""))
    return canonicalize_url(cleaned, keep_fragments=keep)
