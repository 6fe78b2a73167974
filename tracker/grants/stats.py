"""A funder's grant history in figures: how many, how much (median and range), to whom, and
the latest award, nationally or in an area (district GSS codes), optionally since a date.

Places are resolved to district codes through the gazetteer (``area_codes``); codes of
councils merged since a grant was published (Corby, Harrogate...) count for the council
that took over their land.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import String, cast, or_
from sqlmodel import Session, select

from tracker.gazetteer import load_gazetteer
from tracker.models import GrantRecord

NOT_STATED = "Not stated"  # recipient_types key for grants whose recipient type is not published


@dataclass
class FunderStats:
    """Figures for one funder's grants (or several org ids of the same funder). Amounts are
    whole pounds: a grant in another currency is counted in ``grants`` but its amount is left
    out of total/median/min/max, which are None (total 0) when no counted grant has one.
    ``latest_award`` is {date: datetime.date, amount, recipient_name, title, grant_id}."""

    grants: int = 0
    total: int = 0
    median: int | None = None
    min: int | None = None
    max: int | None = None
    latest_award: dict[str, Any] | None = None
    recipient_types: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The figures with the latest award's date as YYYY-MM-DD."""
        data = asdict(self)
        if self.latest_award and self.latest_award.get("date") is not None:
            data["latest_award"] = {**self.latest_award, "date": self.latest_award["date"].isoformat()}
        return data


class UnknownPlace(LookupError):
    """A place the gazetteer does not know; ``suggestions`` are close names."""

    def __init__(self, place: str, suggestions: list[str]) -> None:
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown place {place!r}{hint}")
        self.place = place
        self.suggestions = suggestions


def funder_stats(session: Session, funder_org_ids: Collection[str], district_codes: Collection[str] | None = None,
                 since: date | None = None) -> FunderStats:
    """Figures for the grants made by any of `funder_org_ids`. With `district_codes`, only grants
    whose recipient's district is one of them or whose beneficiary codes include one; with
    `since`, only grants awarded on or after that day (grants without a date are left out then)."""
    ids = list(funder_org_ids)
    if not ids:
        return FunderStats()
    query = select(GrantRecord.id, GrantRecord.amount, GrantRecord.currency, GrantRecord.award_date, GrantRecord.title,
                   GrantRecord.recipient_name, GrantRecord.recipient_type, GrantRecord.recipient_district_code,
                   GrantRecord.beneficiary_codes).where(GrantRecord.funder_org_id.in_(ids))
    if since is not None:
        query = query.where(GrantRecord.award_date >= since)
    codes: set[str] | None = None
    if district_codes is not None:
        codes = with_former_codes(district_codes)
        if not codes:
            return FunderStats()
        # the JSON list as text narrows the rows on both SQLite and PostgreSQL; the exact
        # membership test is done below in Python
        query = query.where(or_(GrantRecord.recipient_district_code.in_(codes),
                                *(cast(GrantRecord.beneficiary_codes, String).like(f'%"{c}"%') for c in codes)))
    stats = FunderStats()
    amounts: list[int] = []
    types: Counter[str] = Counter()
    latest: tuple | None = None
    for gid, amount, currency, awarded, title, recipient, rtype, district, beneficiaries in session.exec(query):
        if codes is not None and district not in codes and not codes.intersection(beneficiaries or ()):
            continue
        stats.grants += 1
        types[rtype or NOT_STATED] += 1
        if amount is not None and currency == "GBP":
            amounts.append(amount)
        if awarded is not None and (latest is None or (awarded, gid) > (latest[0], latest[1])):
            latest = (awarded, gid, amount, recipient, title)
    if amounts:
        amounts.sort()
        stats.total = sum(amounts)
        stats.min, stats.max = amounts[0], amounts[-1]
        stats.median = _median(amounts)
    if latest is not None:
        stats.latest_award = {"date": latest[0], "amount": latest[2], "recipient_name": latest[3],
                              "title": latest[4], "grant_id": latest[1]}
    stats.recipient_types = dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
    return stats


def _median(sorted_amounts: list[int]) -> int:
    """Median in whole pounds: the mean of the two middle amounts rounds half up (£5,000.50 → £5,001)."""
    n = len(sorted_amounts)
    mid = n // 2
    if n % 2:
        return sorted_amounts[mid]
    half = (Decimal(sorted_amounts[mid - 1]) + Decimal(sorted_amounts[mid])) / 2
    return int(half.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def area_codes(place: str) -> set[str]:
    """District GSS codes (councils with no smaller council inside: unitaries, districts,
    London boroughs, Scottish, Welsh and NI councils) covering a place: a council, county,
    combined authority, police force area, region or nation, by name, alias or code.
    Raises UnknownPlace (with suggestions) for a place the gazetteer does not know."""
    gaz = load_gazetteer()
    area = gaz.find(place.strip())
    if area is None:
        raise UnknownPlace(place, gaz.suggest(place))
    # the gazetteer's leaves are exactly the 361 councils with no council inside them
    return {gaz.by_name[name].key for name in gaz.descendants(area.name) if not gaz.by_name[name].parts}


def with_former_codes(codes: Collection[str]) -> set[str]:
    """The codes plus the former codes of councils since merged into them."""
    wanted = set(codes)
    return wanted | {old for old, new in former_districts().items() if new in wanted}


def current_district(code: str) -> str:
    """The current council's GSS code for a former one (Corby E07000150 → North
    Northamptonshire E06000061); any other code unchanged."""
    return former_districts().get(code, code)


@lru_cache(maxsize=1)
def former_districts() -> dict[str, str]:
    text = resources.files("tracker.grants").joinpath("former_districts.json").read_text(encoding="utf-8")
    return json.loads(text)["former"]
