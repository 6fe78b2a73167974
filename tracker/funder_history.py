"""A call's funder's grant history, for the call page, the digest and matching.

The figures come from imported 360Giving grants (tracker.grants.stats) of the funding
organisation the call's funder is linked to (tracker.funder_links), in the area of a need
(its district GSS codes) and nationally. Everything here is cheap to ask twice: a
`HistoryCache` keeps figures per (org id, area) for one page, digest or match run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from tracker.format import money
from tracker.funder_links import Link, current_link
from tracker.grants.stats import FunderStats, UnknownPlace, area_codes, funder_stats, with_former_codes
from tracker.models import GrantRecord

LICENCE = "CC BY 4.0"
HISTORY_REASON = "this funder made "  # how match_bonus's reason starts (the digest states it itself)
# matching: a funder with a record of grants in the need's area is a better bet; the bonus is
# small next to the 0-100 score (relevance x fit), so it reorders close calls, never a poor fit
BONUS_PER_GRANT = 0.25
MAX_BONUS = 3.0


@dataclass
class AreaHistory:
    """One funder's grants in one need's area, and nationally."""

    area: str
    local: FunderStats
    national: FunderStats

    def line(self) -> str:
        """'this funder made 14 grants in Peterborough, latest 3 March 2024, median £8,500'."""
        return history_line(self.local, self.area)

    def amount_check(self, ask: int | None) -> str | None:
        """'asks £50,000; this funder's largest grant here is £10,000' when the need asks more
        than the funder has ever given (in the area, else anywhere); None when it fits."""
        if ask is None:
            return None
        stats, where = (self.local, " here") if self.local.max is not None else (self.national, "")
        if stats.max is None or ask <= stats.max:
            return None
        return f"asks {money(ask)}; this funder's largest grant{where} is {money(stats.max)}"


@dataclass
class FunderHistory:
    """What the call page shows: the link and its figures per need area."""

    funder: str | None
    link: Link | None
    areas: list[AreaHistory] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)

    @property
    def national(self) -> FunderStats | None:
        return self.areas[0].national if self.areas else None

    def credit(self) -> str:
        return credit(self.publishers)


def credit(publishers: Iterable[str]) -> str:
    names = ", ".join(p for p in publishers if p) or "the funder"
    return f"Data: {names}, 360Giving, {LICENCE}"


def history_line(stats: FunderStats, area: str) -> str:
    if not stats.grants:
        return f"no published grants by this funder in {area}"
    latest = stats.latest_award or {}
    parts = [f"{HISTORY_REASON}{stats.grants} grant{'s' if stats.grants != 1 else ''} in {area}"]
    if latest.get("date"):
        parts.append(f"latest {latest['date'].year}")
    if stats.median is not None:
        parts.append(f"median {money(stats.median)}")
    return ", ".join(parts)


def district_codes(area: str) -> set[str]:
    """The need area's district codes; empty for a place the gazetteer does not know."""
    try:
        return area_codes(area)
    except UnknownPlace:
        return set()


class HistoryCache:
    """Figures per (org id, area), computed once; links per funder name, looked up once."""

    def __init__(self, session: Session, guess: bool = True) -> None:
        self.session = session
        self.guess = guess  # False: stored links only (a match run stores them first)
        self._links: dict[str, Link | None] = {}
        self._codes: dict[str, set[str]] = {}
        self._stats: dict[tuple[str, str | None], FunderStats] = {}

    def link(self, funder: str | None) -> Link | None:
        if not funder:
            return None
        if funder not in self._links:
            self._links[funder] = current_link(self.session, funder, self.guess)
        return self._links[funder]

    def stats(self, org_id: str, area: str | None) -> FunderStats:
        key = (org_id, area)
        if key not in self._stats:
            codes = None
            if area is not None:
                if area not in self._codes:
                    self._codes[area] = district_codes(area)
                codes = self._codes[area]
            self._stats[key] = funder_stats(self.session, [org_id], codes)
        return self._stats[key]

    def area_history(self, funder: str | None, area: str) -> AreaHistory | None:
        link = self.link(funder)
        if link is None or link.org_id is None:
            return None
        return AreaHistory(area, self.stats(link.org_id, area), self.stats(link.org_id, None))


def publishers_of(session: Session, org_id: str) -> list[str]:
    return sorted(p for p in session.exec(select(GrantRecord.publisher).where(
        GrantRecord.funder_org_id == org_id).distinct()) if p)


def funder_history(session: Session, funder: str | None, areas: list[str],
                   cache: HistoryCache | None = None) -> FunderHistory:
    """The call page's panel: the funder's link, and its grants in each area and nationally."""
    cache = cache or HistoryCache(session)
    link = cache.link(funder)
    history = FunderHistory(funder, link)
    if link is None or link.org_id is None:
        return history
    for area in dict.fromkeys(areas):
        found = cache.area_history(funder, area)
        if found is not None:
            history.areas.append(found)
    if history.areas and history.areas[0].national.grants:
        history.publishers = publishers_of(session, link.org_id)
    return history


def digest_line(found: AreaHistory | None) -> str:
    """One short line for a digest card: the funder's grants in the area and nationally; ''
    when the funder is not linked to 360Giving data (the card stays as it was)."""
    if found is None:
        return ""
    local, national = found.local, found.national
    nationally = f"{national.grants:,} nationally" if national.grants else "none imported"
    if not local.grants:
        return f"Funder's record: no grants in {found.area}; {nationally}"
    return f"Funder's record: {history_line(local, found.area).removeprefix(HISTORY_REASON)}; {nationally}"


def match_bonus(found: AreaHistory | None) -> tuple[float, str | None]:
    """The ranking bonus for a funder's record in the need's area, and its reason."""
    if found is None or not found.local.grants:
        return 0.0, None
    return min(MAX_BONUS, BONUS_PER_GRANT * found.local.grants), found.line()


def near_codes(codes: set[str]):  # noqa: ANN201 - a SQL condition
    """Grants possibly in these districts: the JSON list as text narrows the rows in SQL on
    SQLite and PostgreSQL alike; `in_codes` then checks membership exactly."""
    return or_(col(GrantRecord.recipient_district_code).in_(codes),
               *(cast(GrantRecord.beneficiary_codes, String).like(f'%"{c}"%') for c in codes))


def in_codes(codes: set[str], district: str | None, beneficiaries: list | None) -> bool:
    return district in codes or bool(codes.intersection(beneficiaries or ()))


def grants_in_area(session: Session, org_id: str | None, area: str | None, page: int, per_page: int = 25,
                   recipient_org_id: str | None = None) -> tuple[list[GrantRecord], int]:
    """A page of grants, newest first: one funder's (in an area's districts, by recipient
    district or beneficiary location, as the figures count them), or one recipient's."""
    where = []
    if org_id is not None:
        where.append(GrantRecord.funder_org_id == org_id)
    if recipient_org_id is not None:
        where.append(GrantRecord.recipient_org_id == recipient_org_id)
    order = (col(GrantRecord.award_date).desc().nulls_last(), col(GrantRecord.id))
    start = (max(page, 1) - 1) * per_page
    if area is None:
        total = session.exec(select(func.count()).select_from(GrantRecord).where(*where)).one()
        rows = session.exec(select(GrantRecord).where(*where).order_by(*order).offset(start).limit(per_page))
        return list(rows), int(total)
    codes = with_former_codes(district_codes(area))
    if not codes:
        return [], 0
    ids = [gid for gid, district, beneficiaries in session.exec(
        select(GrantRecord.id, GrantRecord.recipient_district_code, GrantRecord.beneficiary_codes)
        .where(*where, near_codes(codes)).order_by(*order))
        if in_codes(codes, district, beneficiaries)]
    shown = ids[start:start + per_page]
    rows = {g.id: g for g in session.exec(select(GrantRecord).where(col(GrantRecord.id).in_(shown)))}
    return [rows[i] for i in shown], len(ids)


