"""GOV.UK date inputs: three boxes (day, month, year) read and checked on the server, so a
date means the same whatever the browser's locale (a <input type=date> does not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

PARTS = ("day", "month", "year")


@dataclass(frozen=True)
class DateField:
    """What the boxes hold (as typed, to show again) and the date or the one-line problem."""

    name: str
    label: str
    day: str = ""
    month: str = ""
    year: str = ""
    value: date | None = None
    error: str = ""


def read_date(params: Any, name: str, label: str) -> DateField:
    """`name-day`, `name-month`, `name-year` from a form or query string; an ISO `name`
    (old links, the JSON API) is read too. All boxes empty means no date."""
    iso = (params.get(name) or "").strip()
    if iso and not any(params.get(f"{name}-{p}") for p in PARTS):
        try:
            value = date.fromisoformat(iso)
        except ValueError:
            return DateField(name, label, error=f"{label} must be a real date, like 3 3 2027")
        return _field(name, label, value)
    typed = {p: (params.get(f"{name}-{p}") or "").strip()[:8] for p in PARTS}
    if not any(typed.values()):
        return DateField(name, label)
    missing = [p for p in PARTS if not typed[p]]
    if missing:
        return DateField(name, label, **typed, error=f"{label} must include a {' and a '.join(missing)}")
    if not all(typed[p].isdigit() for p in PARTS) or len(typed["year"]) != 4:
        return DateField(name, label, **typed, error=f"{label} must be a real date, like 3 3 2027")
    try:
        value = date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
    except ValueError:
        return DateField(name, label, **typed, error=f"{label} must be a real date, like 3 3 2027")
    return DateField(name, label, **typed, value=value)


def _field(name: str, label: str, value: date) -> DateField:
    return DateField(name, label, str(value.day), str(value.month), str(value.year), value)
