"""Jinja2 filters: money, dates, and scraped summaries cleaned with nh3."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import nh3
from markupsafe import Markup, escape

LONDON = ZoneInfo("Europe/London")
SUMMARY_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i"}


def money(value: int | None) -> str:
    return "" if value is None else f"£{value:,}"


def amount_range(lo: int | None, hi: int | None) -> str:
    if lo is None and hi is None:
        return "Not stated"
    if lo is None:
        return f"up to {money(hi)}"
    if hi is None or hi == lo:
        return f"from {money(lo)}" if hi is None else money(lo)
    return f"{money(lo)} to {money(hi)}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {value:%b %Y}"


def when(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%b %Y %H:%M}"


def days_left(value: date | None, today: date | None = None) -> str:
    if value is None:
        return ""
    delta = (value - (today or date.today())).days
    if delta < 0:
        return "closed"
    return "today" if delta == 0 else f"{delta} day{'s' if delta != 1 else ''} left"


def clean_html(text: str | None) -> Markup:
    """A scraped summary keeps only simple formatting; everything else is stripped."""
    return Markup(nh3.clean(text or "", tags=SUMMARY_TAGS, attributes={}, link_rel=None))


def safe_url(url: str | None) -> str:
    """Scraped links only as http(s): never javascript:, data: or the like in an href."""
    text = (url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else "#"


@lru_cache(maxsize=64)
def _option_tags(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((value, f'<option value="{escape(value)}">{escape(label)}</option>') for value, label in pairs)


def options(items: Iterable[Any], selected: Any = "", blank: str | None = "Any") -> Markup:
    """<option> tags for a <select>, escaped once per list (long funder lists are on every page)."""
    pairs = tuple((str(i[0]), str(i[1])) if isinstance(i, tuple) else (str(i), str(i)) for i in items)
    chosen = "" if selected is None else str(selected)
    parts = [f'<option value="">{escape(blank)}</option>'] if blank is not None else []
    for value, tag in _option_tags(pairs):
        parts.append(tag.replace("<option ", "<option selected ", 1) if value == chosen else tag)
    return Markup("".join(parts))


def install(env: jinja2.Environment) -> None:
    env.filters.update(money=money, amount_range=amount_range, day=day, when=when, days_left=days_left,
                       clean_html=clean_html, safe_url=safe_url)
    env.globals["options"] = options
