"""Today's date for the whole tracker. TRACKER_TODAY (YYYY-MM-DD) pins it, so a test, a
replay of an old crawl or an evaluation reads deadlines as of a fixed day."""

from __future__ import annotations

import os
from datetime import date


def today(pinned: str | None = None) -> date:
    """`pinned` (a crawl's TRACKER_TODAY setting, say), else TRACKER_TODAY, else the date."""
    pinned = (pinned or os.environ.get("TRACKER_TODAY", "")).strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError as exc:
            raise ValueError(f"TRACKER_TODAY={pinned!r}: expected a date as YYYY-MM-DD") from exc
    return date.today()
