"""Opportunities out as JSON or CSV, with exactly the contract fields of DESIGN.md."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import defer
from sqlmodel import Session, select

from tracker.csvout import write_csv
from tracker.gazetteer import load_gazetteer
from tracker.models import Opportunity, Source

FIELDS = (
    "url", "title", "funder", "source", "deadline", "deadline_time", "rolling", "opens",
    "amount_min", "amount_max", "total_pot", "currency", "status", "eligible_org_types",
    "excluded_org_types", "areas", "themes", "first_seen", "last_seen", "duplicate_of",
)
LIST_FIELDS = ("eligible_org_types", "excluded_org_types", "areas", "themes", "area_codes")


def export_row(o: Opportunity, sources: dict[int, str], urls: dict[int, str]) -> dict[str, Any]:
    """One opportunity with the contract fields; `sources` maps source ids to names and
    `urls` opportunity ids to URLs (for duplicate_of)."""
    return {
        "url": o.url, "title": o.title, "funder": o.funder, "source": sources.get(o.source_id),
        "deadline": o.deadline.isoformat() if o.deadline else None,
        "deadline_time": o.deadline_time, "rolling": o.rolling,
        "opens": o.opens.isoformat() if o.opens else None,
        "amount_min": o.amount_min, "amount_max": o.amount_max, "total_pot": o.total_pot,
        "currency": o.currency, "status": o.status,
        "eligible_org_types": list(o.eligible_org_types), "excluded_org_types": list(o.excluded_org_types),
        "areas": list(o.areas), "themes": list(o.themes),
        "first_seen": o.first_seen.isoformat(), "last_seen": o.last_seen.isoformat(),
        "duplicate_of": urls.get(o.duplicate_of_id) if o.duplicate_of_id else None,
    }


def opportunity_rows(session: Session, area_codes: bool = False) -> list[dict[str, Any]]:
    """The contract fields; with `area_codes`, also each area's stable key (GSS code, "pfa:...")."""
    sources = {s.id: s.name for s in session.exec(select(Source))}
    # the page text is not exported: leave it in the database
    opps = list(session.exec(select(Opportunity).options(defer(Opportunity.body)).order_by(Opportunity.id)))
    urls = {o.id: o.url for o in opps}
    rows = [export_row(o, sources, urls) for o in opps]
    if area_codes:
        gazetteer = load_gazetteer()
        for row in rows:
            row["area_codes"] = gazetteer.keys_of(row["areas"])
    return rows


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False)


def to_csv(rows: list[dict[str, Any]]) -> str:
    fields = tuple(rows[0]) if rows else FIELDS
    lists = [name for name in LIST_FIELDS if name in fields]
    return write_csv(fields, ({**row, **{name: ";".join(row[name]) for name in lists}} for row in rows))
