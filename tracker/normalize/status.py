"""Status (open / upcoming / closed) from dates and from the words on the page."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

Status = Literal["open", "upcoming", "closed"]
Hint = Literal["open", "upcoming", "closed"]

_CLOSED = re.compile(
    r"\b(?:(?:is|are|has|have|now|fund|programme|scheme|grant|round)\s+(?:now\s+)?closed\b(?! (?:on|at) \d)"
    r"|closed to (?:new )?applications|no longer (?:accepting|taking|open)|not (?:currently )?accepting applications"
    r"|applications (?:have |are )?(?:now )?closed|stopped (?:taking|accepting) applications|deadline has passed"
    r"|round (?:is|has) (?:now )?closed)",
    re.I,
)
_CLOSED_BADGE = re.compile(r"^\W*(?:closed|status:?\s*closed|now closed|closed for applications)\W*$", re.I)
_UPCOMING = re.compile(
    r"\b(?:opening soon|coming soon|opens soon|not (?:yet )?open(?: yet)?|will (?:re)?open|expected to (?:re)?open"
    r"|(?:next )?round opens in|opens in (?:early |late |mid-?)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|spring|summer|autumn|winter)|due to open|launch(?:es)? (?:soon|in)|not open for applications yet"
    r"|(?:you can )?apply from \d)",
    re.I,
)
_OPEN = re.compile(
    r"\b(?:now open|is open|open for applications|open to applications|accepting applications"
    r"|apply now)\b|^\W*open\W*$",
    re.I,
)
_TITLE_PREFIX = re.compile(
    r"^\s*(?P<word>closed|coming soon|opening soon|open now|now open|open|upcoming)\s*[:\-–—|]\s*", re.I
)


def status_words(text: str) -> Hint | None:
    """What the page's own words say: 'closed', 'upcoming', 'open' or None."""
    lines = text.splitlines() or [text]
    if any(_CLOSED_BADGE.match(line) for line in lines) or _CLOSED.search(text):
        return "closed"
    if _UPCOMING.search(text):
        return "upcoming"
    if _OPEN.search(text) or any(_OPEN.match(line) for line in lines):
        return "open"
    return None


def split_title_prefix(title: str) -> tuple[str, Hint | None]:
    """ "CLOSED: Winter Warmth Fund" -> ("Winter Warmth Fund", "closed")."""
    m = _TITLE_PREFIX.match(title)
    if not m:
        return title, None
    word = m["word"].lower()
    hint: Hint = "closed" if word == "closed" else "open" if "open" in word and "soon" not in word else "upcoming"
    return title[m.end() :], hint


def decide_status(
    *,
    today: date,
    deadline: date | None,
    opens: date | None,
    rolling: bool = False,
    tbc: bool = False,
    hint: Hint | None = None,
) -> Status:
    """Dates decide first; the page's words fill in where dates are silent."""
    future_deadline = deadline is not None and deadline >= today
    if deadline is not None and not future_deadline:
        return "closed"
    if hint == "closed" and not future_deadline:
        return "closed"
    if opens is not None and opens > today:
        return "upcoming"
    if opens is not None and opens <= today:
        return "open"
    if hint == "upcoming":
        return "upcoming"
    if tbc and deadline is None and not rolling:
        return "upcoming"
    return "open"
