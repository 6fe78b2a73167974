"""GOV.UK Find a grant: the JSON a Next.js page carries in <script id="__NEXT_DATA__">."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

from spiders.extract.content import collapse
from spiders.extract.feeds import html_to_text
from spiders.extract.ocds import london_iso
from tracker.normalize.raw import RawCall

_SCRIPT = re.compile(r"<script[^>]*\bid=[\"']__NEXT_DATA__[\"'][^>]*>(.*?)</script>", re.S | re.I)
TAB_LABELS = {
    "grantSummaryTab": "Summary", "grantEligibilityTab": "Eligibility", "grantObjectivesTab": "Objectives",
    "grantDatesTab": "Dates", "grantApplyTab": "How to apply", "grantSupportingDocumentsTab": "Supporting information",
}


def next_data(html: str) -> dict[str, Any] | None:
    match = _SCRIPT.search(html or "")
    if not match:
        return None
    try:
        data = json.loads(match.group(1))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def page_props(data: dict[str, Any]) -> dict[str, Any]:
    return ((data.get("props") or {}).get("pageProps") or {}) if data else {}


def rich_text(node: Any) -> str:
    """Contentful rich text (nodeType/content/value), HTML or plain strings → text, a line per block."""
    if node is None:
        return ""
    if isinstance(node, str):
        return html_to_text(node)
    if isinstance(node, list):
        return "\n".join(t for t in (rich_text(n) for n in node) if t)
    if isinstance(node, dict):
        if node.get("nodeType") == "text":
            return str(node.get("value") or "")
        inner = node.get("content")
        if isinstance(inner, list):
            sep = "" if node.get("nodeType") in ("paragraph", "heading-1", "heading-2", "heading-3",
                                                   "heading-4", "hyperlink") else "\n"
            return sep.join(t for t in (rich_text(n) for n in inner) if t)
        if "json" in node:
            return rich_text(node["json"])
    return ""


def _list(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v)
    return str(value or "")


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def grant_fields(g: dict[str, Any]) -> dict[str, str]:
    """The visible labels of a grant, as on its page and its search-result card."""
    low = g.get("grantMinimumAwardDisplay") or g.get("grantMinimumAward")
    high = g.get("grantMaximumAwardDisplay") or g.get("grantMaximumAward")
    out = {
        "Funding organisation": _list(g.get("grantFunder")),
        "Who can apply": _list(g.get("grantApplicantType")),
        "Location": _list(g.get("grantLocation")),
        "How much you can get": f"From {low} to {high}" if low and high else str(high or low or ""),
        "Total size of grant scheme": str(g.get("grantTotalAwardDisplay") or g.get("grantTotalAwardAmount") or ""),
        "Opening date": str(g.get("grantApplicationOpenDate") or ""),
        "Closing date": str(g.get("grantApplicationCloseDate") or ""),
    }
    return {k: collapse(v) for k, v in out.items() if v and v != "None"}


def grant_structured(g: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, name in (("grantApplicationCloseDate", "deadline"), ("grantApplicationOpenDate", "opens")):
        value = london_iso(g.get(key))
        if value:
            out[name] = value
    for key, name in (("grantMinimumAward", "amount_min"), ("grantMaximumAward", "amount_max"),
                      ("grantTotalAwardAmount", "total_pot")):
        value = _int(g.get(key))
        if value:
            out[name] = value
    return out


def grant_call(g: dict[str, Any], url: str) -> RawCall:
    fields = grant_fields(g)
    blocks = [str(g.get("grantShortDescription") or "")]
    for key, label in TAB_LABELS.items():
        body = rich_text(g.get(key))
        if body:
            fields.setdefault(label, "; ".join(body.split("\n"))[:1200])
            blocks += [label, body]
    return RawCall(
        url=url, title=collapse(str(g.get("grantName") or "")), funder=_list(g.get("grantFunder")) or None,
        summary=collapse(str(g.get("grantShortDescription") or "")),
        text="\n".join(b for b in blocks if b), fields=fields, structured=grant_structured(g))


def detail_grant(data: dict[str, Any]) -> dict[str, Any] | None:
    detail = page_props(data).get("grantDetail")
    if isinstance(detail, dict):
        return detail.get("fields") if isinstance(detail.get("fields"), dict) else detail
    return None


def search_results(data: dict[str, Any]) -> list[dict[str, Any]]:
    results = page_props(data).get("searchResult")
    if not isinstance(results, list):
        return []
    return [r.get("fields") if isinstance(r.get("fields"), dict) else r for r in results if isinstance(r, dict)]


def result_url(result: dict[str, Any], page_url: str) -> str | None:
    label = result.get("label")
    return urljoin(page_url, f"/grants/{label}") if label else None


def next_search_page(data: dict[str, Any], page_url: str) -> str | None:
    """The next results page, from totalGrants and the page size, as ?page=N+1."""
    props = page_props(data)
    total, shown = _int(props.get("totalGrants")), len(search_results(data))
    parts = urlsplit(page_url)
    query = parse_qs(parts.query)
    page = _int((query.get("page") or ["1"])[0]) or 1
    if not total or not shown or page * shown >= total:
        return None
    query["page"] = [str(page + 1)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
