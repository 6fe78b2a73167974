"""Working days in England and Wales: Monday to Friday, less the bank holidays (from the
`holidays` library, which follows the government's published list and its substitute days).

Dates only: a working day is a calendar date, so the clock change (last Sunday of March and
of October) never shifts a count by an hour or a day."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

# England and Wales keep the same bank holidays (Scotland and Northern Ireland differ).
SUBDIVISION = "ENG"


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=SUBDIVISION, years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def subtract_working_days(day: date, count: int) -> date:
    """The working day `count` working days before `day` (count 0: `day` itself, or the last
    working day before it when `day` is a weekend or bank holiday)."""
    if count < 0:
        raise ValueError("count must not be negative")
    current = day
    while not is_working_day(current):
        current -= timedelta(days=1)
    while count:
        current -= timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    days, current = 0, start
    while current < end:
        current += timedelta(days=1)
        days += is_working_day(current)
    return days
