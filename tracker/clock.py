"""Today's date for the whole tracker. TRACKER_TODAY (YYYY-MM-DD) pins it, so a test, a
replay of an old crawl or an evaluation reads deadlines as of a fixed day."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def today(pinned: str | None = None) -> date:
    """`pinned` (a crawl's TRACKER_TODAY setting, say), else TRACKER_TODAY, else the date."""
    pinned = (pinned or os.environ.get("TRACKER_TODAY", "")).strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError as exc:
            raise ValueError(f"TRACKER_TODAY={pinned!r}: expected a date as YYYY-MM-DD") from exc
    return date.today()


def now() -> datetime:
    """The current UTC time; on TRACKER_TODAY's date (same time of day) when that is pinned, so
    what is sent "now" (a digest, its week) reads deadlines as of the same day as the rest."""
    current = datetime.now(UTC)
    if not os.environ.get("TRACKER_TODAY", "").strip():
        return current
    pinned = today()
    return current.replace(year=pinned.year, month=pinned.month, day=pinned.day)
