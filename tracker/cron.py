"""Crontab lines → APScheduler triggers, with crontab's weekday numbers."""

from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger

_DOW = {"0": "sun", "1": "mon", "2": "tue", "3": "wed", "4": "thu", "5": "fri", "6": "sat", "7": "sun"}


def cron_trigger(expr: str, tz: str = "Europe/London", jitter: int | None = None) -> CronTrigger:
    """A CronTrigger from 'minute hour day month weekday'. Weekday numbers follow crontab
    (0 or 7 = Sunday); APScheduler 3 counts 0 as Monday, so they become names first."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"cron {expr!r}: expected 5 fields (minute hour day month weekday)")
    minute, hour, day, month, dow = fields
    dow = re.sub(r"(?<![/\d])[0-7](?!\d)", lambda m: _DOW[m.group(0)], dow)
    try:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=dow, timezone=tz,
                           jitter=jitter)
    except ValueError as exc:
        raise ValueError(f"cron {expr!r}: {exc}") from exc
