"""Who could lead the bid with us: local organisations already funded for the same themes.

Many calls let a council join only as a partner. Candidates are the recipients of imported
360Giving grants in the need's area (recipient district or beneficiary location) whose grants'
title and description carry one of the themes wanted (the need's, and the call's when given),
by the theme tagger calls are read with. Ranked by relevance and recency: each grant on a
wanted theme counts 1 + its number of wanted themes, halved for every RECENCY_YEARS since
its award.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from tracker.funder_history import district_codes, in_codes, near_codes
from tracker.grants.stats import with_former_codes
from tracker.models import GrantRecord, Need, NeedPartner, Opportunity, utcnow
from tracker.normalize.themes import themes_in

RECENCY_YEARS = 4.0
MAX_CANDIDATES = 30


@dataclass
class Candidate:
    name: str
    org_id: str
    charity_number: str | None
    company_number: str | None
    grants: int = 0  # grants on wanted themes in the area
    themes: list[str] = field(default_factory=list)  # wanted themes their grants were for
    latest_award: dict | None = None  # {date, amount, title, funder, grant_id}
    funded_for: list[str] = field(default_factory=list)  # titles of their latest such grants
    score: float = 0.0

    def as_json(self) -> dict:
        latest = dict(self.latest_award) if self.latest_award else None
        if latest and latest.get("date") is not None:
            latest["date"] = latest["date"].isoformat()
        return {"name": self.name, "org_id": self.org_id, "charity_number": self.charity_number,
                "company_number": self.company_number, "grants": self.grants, "themes": self.themes,
                "latest_award": latest, "funded_for": self.funded_for, "score": round(self.score, 2)}


def _weight(awarded: date | None, today: date) -> float:
    if awarded is None:
        return 0.25
    years = max(0.0, (today - awarded).days / 365.25)
    return 0.5 ** (years / RECENCY_YEARS)


def local_grants(session: Session, area: str) -> list[GrantRecord]:
    """Grants whose recipient is in the area's districts or whose beneficiaries are."""
    codes = with_former_codes(district_codes(area))
    if not codes:
        return []
    return [g for g in session.exec(select(GrantRecord).where(near_codes(codes)))
            if in_codes(codes, g.recipient_district_code, g.beneficiary_codes)]


def suggest_partners(session: Session, need: Need, themes: Iterable[str], today: date,
                     limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """Local organisations funded for any of `themes` in the need's area, best first."""
    wanted = list(dict.fromkeys(themes))
    found: dict[str, Candidate] = {}
    titles: dict[str, list[tuple[date, str]]] = {}
    for g in local_grants(session, need.area):
        if not g.recipient_org_id:
            continue
        shared = [t for t in themes_in(f"{g.title}\n{g.description}") if t in wanted]
        if not shared:
            continue
        c = found.get(g.recipient_org_id)
        if c is None:
            c = found[g.recipient_org_id] = Candidate(g.recipient_name, g.recipient_org_id,
                                                      g.recipient_charity_number, g.recipient_company_number)
        c.grants += 1
        c.score += (1 + len(shared)) * _weight(g.award_date, today)
        c.themes = [t for t in wanted if t in c.themes or t in shared]
        newer = c.latest_award is None or (g.award_date or date.min) > (c.latest_award["date"] or date.min)
        if newer:
            c.latest_award = {"date": g.award_date, "amount": g.amount, "title": g.title,
                              "funder": g.funder_name, "grant_id": g.id}
        titles.setdefault(c.org_id, []).append((g.award_date or date.min, g.title))
    out = sorted(found.values(), key=lambda c: (-c.score, c.name.casefold(), c.org_id))[:limit]
    for c in out:
        c.funded_for = [t for _, t in sorted(titles[c.org_id], reverse=True)[:3]]
    return out


def themes_for(need: Need, opp: Opportunity | None) -> list[str]:
    """The themes a partner should share: the need's, then the call's."""
    return list(dict.fromkeys([*need.themes, *(opp.themes if opp is not None else [])]))


class PartnerError(ValueError):
    """A shortlist change that cannot be made (names what was wrong)."""


def add_partner(session: Session, need: Need, org_id: str, by: str | None, note: str = "") -> NeedPartner:
    """Put a 360Giving recipient on the need's shortlist (once; again is no change)."""
    org_id = org_id.strip()
    grant = session.exec(select(GrantRecord).where(GrantRecord.recipient_org_id == org_id)
                         .order_by(col(GrantRecord.award_date).desc().nulls_last())).first()
    if grant is None:
        raise PartnerError(f"no imported grant went to the org id {org_id!r}")
    row = session.exec(select(NeedPartner).where(NeedPartner.need_id == need.id,
                                                 NeedPartner.org_id == org_id)).first()
    if row is None:
        row = NeedPartner(need_id=need.id, org_id=org_id, name=grant.recipient_name, note=note, added_by=by,
                          added_at=utcnow())
        session.add(row)
        session.flush()
    return row


def remove_partner(session: Session, need: Need, org_id: str) -> bool:
    row = session.exec(select(NeedPartner).where(NeedPartner.need_id == need.id,
                                                 NeedPartner.org_id == org_id)).first()
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def shortlist(session: Session, need_id: str) -> list[NeedPartner]:
    return list(session.exec(select(NeedPartner).where(NeedPartner.need_id == need_id)
                             .order_by(col(NeedPartner.added_at), col(NeedPartner.id))))
