"""Status (open / upcoming / closed) from dates and from the words on the page."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

Status = Literal["open", "upcoming", "closed"]
Hint = Literal["open", "upcoming", "closed"]

# Closed is said of the fund or the intake: "is now closed", "are currently closed", "has been paused",
# "closed to new applications"; or the intake as a whole is negated: "we are not currently accepting
# applications", "applications are not being accepted at this time" (not "... from individuals", which
# says who may apply).
_WHOLE = (r"(?=\s*(?:[.;,!)]|$|at (?:the moment|this time|present)|(?:for|to|into) (?:this|the|our) (?:current |next )?"
          r"(?:fund|round|programme|scheme|grant)|for now|until|right now|currently))")
_CLOSED = re.compile(
    r"\b(?:is|are|was|has|have|been|now|remains?|fund|programme|scheme|grant|round)\s+(?:(?:now|currently|"
    r"temporarily|been)\s+)*(?:closed|paused|suspended)\b(?! (?:on|at) \d)|\bclosed (?:to|for) (?:new )?applica"
    rf"|\b(?:not|no longer)\s+(?:\w+\s+){{0,2}}?(?:accept|tak|receiv|invit|consider)\w*\s+(?:any |new |further )*"
    rf"(?:applications|bids|proposals|entries|submissions|expressions of interest){_WHOLE}"
    rf"|\b(?:applications|bids|proposals) (?:are|is) not (?:being |currently )*(?:accepted|taken|invited){_WHOLE}"
    r"|stopped (?:taking|accepting) applications|deadline has passed",
    re.I,
)
# a line that is only a status badge ("Closed", "Upcoming", "Status: open")
BADGE = re.compile(r"^\W*(?:status:?\s*)?(?:(?P<closed>(?:now )?closed(?: for applications)?)|(?P<upcoming>upcoming"
                    r"|coming soon|opening soon)|(?P<open>(?:now )?open))\W*$", re.I)
# (an opening month or season, "opens in August 2027", is read by dates as a later opening)
_UPCOMING = re.compile(
    r"\b(?:opening soon|coming soon|opens soon|not (?:yet )?open(?: yet)?(?! to\b)|will (?:re)?open"
    r"|expected to (?:re)?open|due to open|launch(?:es)? (?:soon|in)|(?:you can )?apply from \d)",
    re.I,
)
_OPEN = re.compile(
    r"\b(?:now open|is open|open for applications|open to applications|accepting applications"
    r"|apply now)\b",
    re.I,
)
_NEGATED = re.compile(r"\b(?:not|no longer|never)\s+(?:\w+\s+)?$|n't\s+(?:\w+\s+)?$", re.I)
_TITLE_PREFIX = re.compile(
    r"^\s*(?P<word>closed|coming soon|opening soon|open now|now open|open|upcoming)\s*[:\-–—|]\s*", re.I
)


def status_words(text: str) -> Hint | None:
    """What the page's own words say: 'closed', 'upcoming', 'open' or None."""
    badges = {m.lastgroup for m in map(BADGE.match, text.splitlines() or [text]) if m}
    if "closed" in badges or _CLOSED.search(text):
        return "closed"
    if "upcoming" in badges or _UPCOMING.search(text):
        return "upcoming"
    if "open" in badges or any(not _NEGATED.search(text[max(0, m.start() - 30) : m.start()])
                               for m in _OPEN.finditer(text)):
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
    if opens is not None and opens > today:
        return "upcoming"  # also a closed fund that says when it reopens
    if hint == "closed" and not future_deadline:
        return "closed"
    if opens is not None and opens <= today:
        return "open"
    if hint == "upcoming":
        return "upcoming"
    if tbc and deadline is None and not rolling:
        return "upcoming"
    return "open"
