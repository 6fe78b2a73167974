"""A small 360Giving JSON loader for tests (the real importer is tested on its own): the
fields the funder panel and partner suggestions read, straight from a real file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlmodel import Session

from tracker.grants.names import name_key
from tracker.models import FundingOrg, GrantRecord

SHARED = Path(__file__).resolve().parents[3] / "shared" / "360giving"
if not SHARED.exists():  # a worktree under /work/wt/<name>
    SHARED = Path("/work/shared/360giving")


def raw_grants(name: str) -> list[dict]:
    return json.loads((SHARED / name).read_text(encoding="utf-8"))["grants"]


def record(g: dict, publisher: str) -> GrantRecord:
    funder, recipient = g["fundingOrganization"][0], g["recipientOrganization"][0]
    amount = g.get("amountAwarded")
    return GrantRecord(
        id=g["id"], title=g.get("title", ""), description=g.get("description", ""),
        amount=None if amount is None else int(round(amount)), award_date=date.fromisoformat(g["awardDate"][:10]),
        funder_org_id=funder["id"], funder_name=funder["name"], recipient_org_id=recipient.get("id", ""),
        recipient_name=recipient.get("name", ""), recipient_type=recipient.get("organisationType"),
        recipient_charity_number=recipient.get("charityNumber"),
        recipient_company_number=recipient.get("companyNumber"),
        recipient_postcode=recipient.get("postalCode"), recipient_district_code=g.get("recipientDistrictGeoCode"),
        recipient_district_name=g.get("recipientDistrictName"),
        beneficiary_codes=[b["geoCode"] for b in g.get("beneficiaryLocation", []) if b.get("geoCode")],
        publisher=publisher)


def load(session: Session, name: str, publisher: str) -> list[dict]:
    """Import a real file's grants and funding organisations; returns the raw grants."""
    grants = raw_grants(name)
    orgs: dict[str, FundingOrg] = {}
    for g in grants:
        session.add(record(g, publisher))
        f = g["fundingOrganization"][0]
        org = orgs.setdefault(f["id"], FundingOrg(id=f["id"], name=f["name"], name_key=name_key(f["name"])))
        if f["id"].startswith("GB-CHC-"):
            org.charity_number = f["id"].removeprefix("GB-CHC-")
        org.grants += 1
    session.add_all(orgs.values())
    session.commit()
    return grants
