"""Jinja2 filters: money, dates and scores (written by tracker.format, as in emails and the
CLI), theme names, people's names, and scraped summaries cleaned with nh3."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

import jinja2
import nh3
from markupsafe import Markup, escape

from tracker import format as fmt
from tracker.schedule_words import describe
from tracker.vocab import load_vocabulary

SUMMARY_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i"}


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


def options(items: Iterable[Any], selected: Any = "", blank: str | None = "Any") -> Markup:
    """<option> tags for a <select>. The funder and area lists (hundreds of options) are on
    every list page, so each list's HTML is kept for the value chosen."""
    chosen = "" if selected is None else str(selected)
    items = tuple(items)
    try:
        return _options_html(items, chosen, blank)
    except TypeError:  # unhashable items: built each time
        return _options_html.__wrapped__(items, chosen, blank)


@lru_cache(maxsize=256)
def _options_html(items: tuple[Any, ...], chosen: str, blank: str | None) -> Markup:
    parts = [f'<option value="">{escape(blank)}</option>'] if blank is not None else []
    for item in items:
        value, label = (str(item[0]), str(item[1])) if isinstance(item, tuple) else (str(item), str(item))
        selected = " selected" if value == chosen else ""
        parts.append(f'<option{selected} value="{escape(value)}">{escape(label)}</option>')
    return Markup("".join(parts))


def theme_name(key: str) -> str:
    """The theme's short name from the vocabulary ("Drugs and alcohol"), not its key."""
    return load_vocabulary().theme_name(key)


def person(user: Any) -> str:
    """A user's name, or the local part of their email when they have not given one."""
    if user is None:
        return ""
    return (user.name or "").strip() or user.email.partition("@")[0]


def install(env: jinja2.Environment) -> None:
    env.filters.update(money=fmt.money, amount_range=fmt.amount_range, day=fmt.long_date, when=fmt.date_time,
                       score=fmt.score, days_left=days_left, theme_name=theme_name, person=person,
                       clean_html=clean_html, safe_url=safe_url, cron_words=describe)
    env.globals["options"] = options
