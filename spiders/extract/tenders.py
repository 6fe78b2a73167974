"""Live tender notices (Contracts Finder, Find a Tender): which OCDS releases are opportunities,
the per-source filters, ITL region codes to the tracker's areas, and the notice page on the real
site. The release itself is read by spiders.extract.ocds, as for a static OCDS package."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from spiders.extract.ocds import AWARD_TAGS, CLOSED_STATUS, release_call, skip_reason
from tracker.normalize.raw import RawCall

SITES = {"contracts-finder": "https://www.contractsfinder.service.gov.uk",
         "find-a-tender": "https://www.find-tender.service.gov.uk"}
NAMES = {"contracts-finder": "Contracts Finder", "find-a-tender": "Find a Tender"}
# ITL1 (and NUTS1) regions by their letter: UKH / TLH = East of England. Finer codes fall back to
# their region, except the few ITL3 areas below (the gazetteer has no ITL table).
ITL1 = {"C": "North East", "D": "North West", "E": "Yorkshire and The Humber", "F": "East Midlands",
        "G": "West Midlands", "H": "East of England", "I": "London", "J": "South East", "K": "South West",
        "L": "Wales", "M": "Scotland", "N": "Northern Ireland"}
ITL3 = {"H11": "Peterborough", "H12": "Cambridgeshire County Council"}
ITL_CODE = re.compile(r"(?:UK|TL)([C-N])([0-9A-Z]{0,3})", re.I)
OPPORTUNITY_TAGS = {"planning", "planningupdate", "tender", "tenderamendment", "tenderupdate"}
CF_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
FTS_NOTICE = re.compile(r"\d{6}-\d{4}")


def itl_area(code: str) -> str | None:
    """The tracker's area for an ITL or NUTS code (UKH12, TLH12, UKH), or None if it is not one."""
    match = ITL_CODE.fullmatch(code.strip())
    if not match:
        return None
    region, rest = match.group(1).upper(), match.group(2).upper()
    return ITL3.get(region + rest) or ITL1[region]


def _vocab() -> Any:
    from tracker.vocab import load_vocabulary

    return load_vocabulary()


def release_regions(release: dict[str, Any]) -> list[str]:
    """The places a notice is for, as published: delivery addresses' regions (ITL codes on Find a
    Tender, region names on Contracts Finder), else the buyer's address region."""
    tender = release.get("tender") or {}
    found = [str(a.get("region") or a.get("countryName") or "") for item in tender.get("items") or []
             if isinstance(item, dict) for a in item.get("deliveryAddresses") or [] if isinstance(a, dict)]
    found += [str(a.get("region") or "") for a in tender.get("deliveryAddresses") or [] if isinstance(a, dict)]
    found = [f for f in found if f.strip()]
    if not found:
        found = [str((p.get("address") or {}).get("region") or "") for p in release.get("parties") or []
                 if isinstance(p, dict) and "buyer" in (p.get("roles") or [])]
    return list(dict.fromkeys(f.strip() for f in found if f.strip()))


def release_areas(release: dict[str, Any]) -> list[str]:
    """release_regions as the tracker's area names (unknown names are left out)."""
    vocab = _vocab()
    areas = [itl_area(r) or vocab.canonical_area(r) for r in release_regions(release)]
    return list(dict.fromkeys(a for a in areas if a))


def cpv_codes(release: dict[str, Any]) -> list[str]:
    tender = release.get("tender") or {}
    found = [tender.get("classification"), *(tender.get("additionalClassifications") or [])]
    for item in tender.get("items") or []:
        if isinstance(item, dict):
            found += [item.get("classification"), *(item.get("additionalClassifications") or [])]
    return list(dict.fromkeys(str(c.get("id")) for c in found if isinstance(c, dict) and c.get("id")
                              and str(c.get("scheme") or "CPV").upper() == "CPV"))


def _suitable(release: dict[str, Any], who: str) -> bool:
    """Marked suitable for SMEs / VCSEs: OCDS's suitability extension (both services), or Contracts
    Finder's search fields (suitableForSme, suitableForVco) where a notice carries them."""
    tender = release.get("tender") or {}
    if (tender.get("suitability") or {}).get(who) is True:
        return True
    legacy = {"sme": ("suitableForSme", "suitableForSME"), "vcse": ("suitableForVco", "suitableForVcse",
                                                                    "suitableForVCSE")}[who]
    return any(tender.get(k) is True or release.get(k) is True for k in legacy)


def not_an_opportunity(release: dict[str, Any]) -> str | None:
    """Why a release is not a call to bid for (an award, a cancelled or finished procurement), or None."""
    reason = skip_reason(release)
    if reason:
        return reason
    tags = {str(t).lower() for t in release.get("tag") or []}
    status = str((release.get("tender") or {}).get("status") or "").lower()
    if "tendercancellation" in tags or "planningcancellation" in tags or status in CLOSED_STATUS:
        return f"{status or 'cancelled'} procurement, not a call"
    if tags and not tags & OPPORTUNITY_TAGS:
        if tags & AWARD_TAGS:
            return "award/contract notice, not a call"
        return f"{'/'.join(sorted(tags))} notice, not a call"
    return None


def _covers(wanted: str, places: list[str]) -> bool:
    """A wanted region (ITL code or area name) against a notice's published places: a code matches
    finer codes inside it; an area matches a place inside it or a place that contains it (a notice
    for all of England is open to Peterborough)."""
    vocab = _vocab()
    code = ITL_CODE.fullmatch(wanted)
    wanted_key = ("UK" + wanted[2:]).upper() if code else ""
    wanted_area = itl_area(wanted) if code else wanted
    for place in places:
        if code and ITL_CODE.fullmatch(place) and ("UK" + place[2:]).upper().startswith(wanted_key):
            return True
        if ITL_CODE.fullmatch(place) and code:
            continue  # both codes, and not nested: a different region
        area = itl_area(place) or vocab.canonical_area(place)
        if area and wanted_area and (wanted_area in vocab.ancestors(area) or area in vocab.ancestors(wanted_area)):
            return True
    return False


def filtered_out(release: dict[str, Any], filters: dict[str, Any]) -> str | None:
    """Why a notice fails the source's filters, or None when it passes them all. A notice that
    names no place at all is kept by a region filter: it may well cover the area."""
    tender = release.get("tender") or {}
    if words := filters.get("keywords"):
        text = f"{tender.get('title') or ''} {tender.get('description') or ''}"
        if not any(re.search(rf"(?<!\w){re.escape(w)}", text, re.I) for w in words):
            return "matches none of the keywords"
    if prefixes := filters.get("cpv"):
        if not any(code.startswith(p) for code in cpv_codes(release) for p in prefixes):
            return "no CPV code in the filter"
    if regions := filters.get("regions"):
        places = release_regions(release)
        if places and not any(_covers(r, places) for r in regions):
            return f"outside the regions ({', '.join(places[:3])})"
    for who in ("vcse", "sme"):
        if filters.get(who) and not _suitable(release, who):
            return f"not marked suitable for {who.upper()}s"
    return None


def _on_site(url: Any, kind: str) -> str | None:
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    site = urlsplit(SITES[kind])
    if parts.scheme in ("http", "https") and parts.hostname == site.hostname and "/notice/" in parts.path.lower():
        return f"{SITES[kind]}{parts.path}"
    return None


def notice_page(kind: str, release: dict[str, Any]) -> str | None:
    """The notice's page on the real site (not the API, wherever the source reads it from)."""
    documents = (release.get("tender") or {}).get("documents") or []
    linked = next((u for d in documents if isinstance(d, dict) and (u := _on_site(d.get("url"), kind))), None)
    release_id = str(release.get("id") or "")
    if kind == "find-a-tender":
        if FTS_NOTICE.fullmatch(release_id):
            return f"{SITES[kind]}/Notice/{release_id}"
        return linked
    if linked:
        return linked
    guid = CF_GUID.match(release_id) or CF_GUID.search(str(release.get("ocid") or ""))
    return f"{SITES[kind]}/Notice/{guid.group(0).lower()}" if guid else None


def tender_call(kind: str, release: dict[str, Any], url: str, funder: str | None) -> RawCall:
    """One opportunity notice as a call: the static OCDS reading, at the notice's url, with its
    areas from the region codes and a notice-type field saying it is a tender."""
    call = release_call(release, url)
    call.url = url
    call.funder = call.funder or funder
    tags = {str(t).lower() for t in release.get("tag") or []}
    planned = call.structured.get("status") == "upcoming" or (tags and tags <= {"planning", "planningupdate"})
    if planned:
        call.structured["status"] = "upcoming"
    notice = f"{'Planned procurement' if planned else 'Tender'} ({NAMES[kind]})"
    areas = release_areas(release)
    if areas:
        call.structured["areas"] = areas
    extra = {"Notice type": notice, "OCID": str(release.get("ocid") or ""),
             "CPV codes": ", ".join(cpv_codes(release))}
    call.fields = {**{k: v for k, v in extra.items() if v}, **call.fields}
    call.text = "\n".join([f"{k}: {v}" for k, v in extra.items() if v] + [call.text])
    return call
