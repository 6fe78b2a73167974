"""Schedules in words ("every Monday at 08:00") and the simple schedule form (how often,
which day, what time) that writes the cron line. Cron stays available as an advanced field.

Written here rather than taken from cron-descriptor: that library says "At 08:00, only on
Monday", and the tracker needs only the handful of shapes its form writes plus a plain
fallback that shows the cron line itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CRON_DAY = {"0": "sunday", "7": "sunday", "1": "monday", "2": "tuesday", "3": "wednesday", "4": "thursday",
             "5": "friday", "6": "saturday"}
_CRON_DAY.update({d[:3]: d for d in DAYS})
DAY_OPTIONS = tuple((d, d.capitalize()) for d in DAYS)
FREQUENCIES = (("default", "The default"), ("hourly", "Every hour"), ("daily", "Every day"),
               ("weekly", "Every week"), ("cron", "Advanced: a cron line"))
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _days(field: str) -> list[str] | None:
    """Day names (Monday first) for a cron weekday field of numbers, names, lists and ranges."""
    chosen: set[str] = set()
    for part in field.lower().split(","):
        ends = part.split("-")
        if not all(e in _CRON_DAY for e in ends) or len(ends) > 2:
            return None
        first, last = DAYS.index(_CRON_DAY[ends[0]]), DAYS.index(_CRON_DAY[ends[-1]])
        if last < first:
            return None
        chosen.update(DAYS[first:last + 1])
    return [d for d in DAYS if d in chosen]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(expr: str) -> str:
    """'every day at 06:00', 'every Monday at 08:00', 'every weekday at 07:30', 'every hour at
    15 minutes past'; any other line as 'custom: <cron>'."""
    fields = expr.split()
    if len(fields) != 5:
        return f"custom: {expr}"
    minute, hour, dom, month, dow = fields
    if minute.startswith("*/") and minute[2:].isdigit() and fields[1:] == ["*"] * 4:
        return f"every {int(minute[2:])} minutes"
    if not minute.isdigit() or month != "*":
        return f"custom: {expr}"
    if hour == "*" and dom == "*" and dow == "*":
        return "every hour, on the hour" if int(minute) == 0 else f"every hour at {int(minute)} minutes past"
    if not hour.isdigit():
        return f"custom: {expr}"
    at = f"at {int(hour):02d}:{int(minute):02d}"
    if dom == "*" and dow == "*":
        return f"every day {at}"
    if dom == "*":
        days = _days(dow)
        if days is None:
            return f"custom: {expr}"
        if days == list(DAYS[:5]):
            return f"every weekday (Monday to Friday) {at}"
        return f"every {_and([d.capitalize() for d in days])} {at}"
    if dom.isdigit() and dow == "*":
        return f"on the {_ordinal(int(dom))} of every month {at}"
    return f"custom: {expr}"


@dataclass(frozen=True)
class SimpleSchedule:
    """The simple form's fields: frequency (see FREQUENCIES), day (monday..sunday), time HH:MM."""

    frequency: str = "default"
    day: str = "monday"
    time: str = "06:00"
    cron: str = ""


def simple_form(expr: str | None) -> SimpleSchedule:
    """The form's fields for a stored cron line (None: the default), so it opens on what is set."""
    if not expr:
        return SimpleSchedule()
    minute, hour, dom, month, dow = (expr.split() + [""] * 5)[:5]
    if not (minute.isdigit() and dom == month == "*") or len(expr.split()) != 5:
        return SimpleSchedule("cron", cron=expr)
    if hour == "*" and dow == "*":
        return SimpleSchedule("hourly", time=f"00:{int(minute):02d}", cron=expr)
    if not hour.isdigit():
        return SimpleSchedule("cron", cron=expr)
    time = f"{int(hour):02d}:{int(minute):02d}"
    if dow == "*":
        return SimpleSchedule("daily", time=time, cron=expr)
    days = _days(dow)
    if days is not None and len(days) == 1:
        return SimpleSchedule("weekly", day=days[0], time=time, cron=expr)
    return SimpleSchedule("cron", cron=expr)


def cron_from_form(frequency: str, day: str, time: str, cron: str) -> str | None:
    """The cron line the simple form asks for; None means the job's default. Raises
    ValueError with a one-line message naming the field that is wrong."""
    if frequency == "default":
        return None
    if frequency == "cron":
        return " ".join(cron.split()) or None
    if frequency not in ("hourly", "daily", "weekly"):
        raise ValueError(f"How often: choose one of {', '.join(f for f, _ in FREQUENCIES)}")
    found = _TIME.match(time.strip())
    if not found:
        raise ValueError(f"Time: {time.strip() or 'nothing'} is not a time of day like 06:00 or 17:30")
    hour, minute = int(found[1]), int(found[2])
    if frequency == "hourly":
        return f"{minute} * * * *"
    if frequency == "daily":
        return f"{minute} {hour} * * *"
    if day not in DAYS:
        raise ValueError(f"Day: choose a day of the week, not {day!r}")
    return f"{minute} {hour} * * {day[:3]}"
