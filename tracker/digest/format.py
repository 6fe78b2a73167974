"""Small formatters for the digests: deadlines and periods; money and dates as tracker.format
writes them everywhere."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from tracker import format as shared
from tracker.format import money

__all__ = ["money"]


def amount_range(low: int | None, high: int | None) -> str:
    """'£5,000 to £50,000', 'up to £50,000', 'from £5,000', '£10,000' or 'Amount not stated'."""
    return shared.amount_range(low or None, high or None, missing="Amount not stated")


def short_date(value: date | str | None) -> str:
    return shared.long_date(value) or "none"


def days_left(deadline: date, today: date) -> int:
    return (deadline - today).days


@lru_cache(maxsize=4096)  # a batch of digests states the same few hundred deadlines thousands of times
def deadline_text(deadline: date | None, today: date, rolling: bool = False, time: str | None = None) -> str:
    """'14 March 2027 (108 days)', '2 December 2026 at 17:00 (today)', 'Rolling (no fixed deadline)'."""
    if deadline is None:
        return "Rolling (no fixed deadline)" if rolling else "No deadline given"
    left = days_left(deadline, today)
    when = {0: "today", 1: "1 day"}.get(left, f"{left} days") if left >= 0 else "closed"
    at = f" at {time}" if time else ""
    return f"{short_date(deadline)}{at} ({when})"


FREQUENCIES = ("weekly", "daily")  # a digest that is "off" is not sent (User.digest is False)
PERIOD_LENGTH = {"weekly": timedelta(days=7), "daily": timedelta(days=1)}


def period_for(now: datetime, tz: str, frequency: str = "weekly") -> str:
    """The ledger's period of `now` in the digest's timezone: the ISO week ('2026-W48') for
    a weekly digest, the date ('2026-11-30') for a daily one."""
    local = now.astimezone(ZoneInfo(tz))
    if frequency == "daily":
        return local.date().isoformat()
    iso = local.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def frequency_of(period: str) -> str:
    """Which digest a ledger period belongs to: '2026-W48' weekly, '2026-11-30' daily."""
    return "weekly" if "-W" in period else "daily"


def local_today(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def week_ago(now: datetime) -> datetime:
    return now - timedelta(days=7)


def safe_name(email: str) -> str:
    """A file-name-safe form of an email address (keeps letters, digits, @ . _ -)."""
    return re.sub(r"[^A-Za-z0-9@._-]", "_", email).strip(".") or "recipient"
