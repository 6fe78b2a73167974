"""How the tracker writes numbers and dates for people: one format for the web pages,
the emails and the command line, so a call reads the same wherever it is seen.

Dates are "3 March 2027" (GOV.UK style), times "3 March 2027, 14:05" in UK time,
money "£5,000", ranges "£5,000 to £50,000", match scores whole numbers (0–100)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def money(amount: int | None) -> str:
    """'£5,000'; '' when not stated."""
    return "" if amount is None else f"£{amount:,}"


def amount_range(low: int | None, high: int | None, missing: str = "Not stated") -> str:
    """'£5,000 to £50,000', 'up to £50,000', 'from £5,000', '£10,000' or `missing`."""
    if low is not None and high is not None:
        return money(low) if low == high else f"{money(low)} to {money(high)}"
    if high is not None:
        return f"up to {money(high)}"
    if low is not None:
        return f"from {money(low)}"
    return missing


def long_date(value: date | datetime | str | None) -> str:
    """'3 March 2027'; '' for None; text that is not an ISO date comes back unchanged."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _long_day(value)


@lru_cache(maxsize=4096)
def _long_day(value: date) -> str:
    # strftime is slow next to a lookup, and a list page writes a date on every row
    return f"{value.day} {value:%B %Y}"


def date_time(value: datetime | None) -> str:
    """'3 March 2027, 14:05' in UK time (naive datetimes are UTC, as stored)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(LONDON)
    return f"{long_date(local)}, {local:%H:%M}"


def score(value: float | None) -> str:
    """A match score as a whole number, halves rounded up (78.5 → '79'); '' for None."""
    return "" if value is None else str(math.floor(value + 0.5))
