"""OCDS release packages and record packages (Contracts Finder / Find a Tender) → RawCalls."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from spiders.extract.links import web_url
from tracker.normalize.raw import RawCall

LONDON = ZoneInfo("Europe/London")
AWARD_TAGS = {"award", "awardupdate", "awardcancellation", "contract", "contractupdate", "contractamendment",
              "contracttermination", "implementation", "implementationupdate"}
CLOSED_STATUS = {"complete", "cancelled", "unsuccessful", "withdrawn"}
GRANT_WORDS = re.compile(r"\bgrants?\b", re.I)


def london_iso(value: str | None) -> str | None:
    """An ISO datetime as Europe/London wall-clock time with its offset; dates stay dates."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(LONDON).isoformat()


def _amount(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("amount")
    if isinstance(value, (int, float)) and value >= 0:
        return int(round(value))
    return None


def releases(package: dict[str, Any]) -> list[dict[str, Any]]:
    """The latest release per ocid from a release package, or each record's compiled release."""
    found: dict[str, dict[str, Any]] = {}
    if isinstance(package.get("records"), list):
        for record in package["records"]:
            rel = record.get("compiledRelease")
            if not rel:
                embedded = [r for r in record.get("releases") or [] if isinstance(r, dict) and r.get("tender")]
                rel = max(embedded, key=lambda r: r.get("date") or "", default=None)
            if rel:
                found[rel.get("ocid") or record.get("ocid", "")] = _with_stage_tags(rel, record)
    for rel in package.get("releases") or []:
        if not isinstance(rel, dict):
            continue
        ocid = rel.get("ocid", "")
        if ocid not in found or (rel.get("date") or "") >= (found[ocid].get("date") or ""):
            found[ocid] = rel
    return [r for k, r in found.items() if k]


def _with_stage_tags(rel: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """A compiled release is tagged "compiled": what stage it is at is the tag of the record's latest
    release (embedded or linked), e.g. "award" once the contract is awarded."""
    tags = {str(t).lower() for t in rel.get("tag") or []}
    if tags - {"compiled"}:
        return rel
    latest = max((r for r in record.get("releases") or [] if isinstance(r, dict) and r.get("tag")),
                 key=lambda r: r.get("date") or "", default=None)
    return {**rel, "tag": list(latest["tag"])} if latest else rel


def skip_reason(release: dict[str, Any]) -> str | None:
    tender = release.get("tender") or {}
    tags = {str(t).lower() for t in release.get("tag") or []}
    if not tender.get("title") and not tender.get("description"):
        return "no tender in release"
    if tags and tags <= AWARD_TAGS:
        return "award/contract notice, not a call"
    return None


def release_call(release: dict[str, Any], base_url: str) -> RawCall:
    """One tender (or planned tender) as a RawCall; typed values go into `structured`."""
    tender = release.get("tender") or {}
    tags = {str(t).lower() for t in release.get("tag") or []}
    status = str(tender.get("status") or "").lower()
    structured: dict[str, Any] = {}
    period = tender.get("tenderPeriod") or {}
    if london_iso(period.get("endDate")):
        structured["deadline"] = london_iso(period.get("endDate"))
    if london_iso(period.get("startDate")):
        structured["opens"] = london_iso(period.get("startDate"))
    if status in ("planned", "planning") or ("planning" in tags and not status):
        structured["status"] = "upcoming"
    elif status in CLOSED_STATUS:
        structured["status"] = "closed"
    value, minimum = _amount(tender.get("value")), _amount(tender.get("minValue"))
    about = " ".join(str(tender.get(k) or "") for k in ("title", "description", "procurementMethodDetails"))
    if minimum is not None:
        structured["amount_min"] = minimum
        if value is not None:
            structured["amount_max"] = value
    elif value is not None:
        # a grant competition publishes the whole pot as its value; a contract its (maximum) value
        structured["total_pot" if GRANT_WORDS.search(about) else "amount_max"] = value
    buyer = (release.get("buyer") or {}).get("name") or next(
        (p.get("name") for p in release.get("parties") or [] if "buyer" in (p.get("roles") or [])), None)
    places = [a.get("locality") or a.get("region") for item in tender.get("items") or []
              for a in item.get("deliveryAddresses") or [] if isinstance(a, dict)]
    fields = {
        "Buyer": buyer or "",
        "Procurement method": tender.get("procurementMethodDetails") or tender.get("procurementMethod") or "",
        "Category": tender.get("mainProcurementCategory") or "",
        "Classification": (tender.get("classification") or {}).get("description") or "",
        "Delivery locations": ", ".join(dict.fromkeys(p for p in places if p)),
        "Suitable for": ", ".join(k.upper() for k, v in (tender.get("suitability") or {}).items() if v is True),
        "Status": status,
    }
    text = "\n".join(x for x in (tender.get("title"), tender.get("description"),
                                 *(f"{k}: {v}" for k, v in fields.items() if v)) if x)
    return RawCall(
        url=f"{base_url.split('#', 1)[0]}#{release.get('ocid')}", title=str(tender.get("title") or ""),
        funder=buyer, summary=str(tender.get("description") or "")[:500], text=text,
        fields={k: v for k, v in fields.items() if v}, structured=structured)


def next_page(package: dict[str, Any], page_url: str) -> str | None:
    """The package's links.next, resolved against the page it was read on, if it is a web address."""
    links = package.get("links") or {}
    return web_url(links.get("next"), page_url) if isinstance(links, dict) else None
