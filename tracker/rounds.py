"""Recurring rounds: the calls of one fund across rounds and years, read from stored calls,
and a forecast of the next opening.

Two calls are rounds of one fund when they have the same funder and either the same title
once years and round words are taken out ("Youth Diversion Fund 2025/26", "Round 3"), or
the same address once those are taken out of it (".../youth-diversion-fund-2024-25.html").

A fund is forecast to reopen when no round of it is open or upcoming, and it opened in
each of the last two or more years up to its latest round: around the usual month (the
median of its opening months) of the year after the latest round. A round's opening is
its `opens` date, else its deadline less the fund's usual time open (else 90 days), but
never after the tracker first saw it. A
forecast whose month is more than a month past is dropped: that round did not come."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from tracker.format import long_date

NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|first|second|third|fourth|fifth|"
                "sixth|seventh|eighth|ninth|tenth")
_YEAR = re.compile(r"\b(?:fy\s*)?(?:19|20)\d{2}(?:\s*(?:/|-|–|to|\s)\s*(?:(?:19|20)?\d{2}))?\b")
_ROUND = re.compile(rf"\b(?:round|wave|phase|tranche|window|cohort|call)\s*(?:\d+|{NUMBER_WORDS}|[ivx]+)\b"
                    rf"|\b(?:\d+(?:st|nd|rd|th)|{NUMBER_WORDS})\s+(?:round|wave|phase|tranche|window|cohort)\b")
_RUNS = re.compile(r"[^a-z0-9]+")
DEFAULT_OPEN_DAYS = 90
SLACK_MONTHS = 1  # how far past its month a forecast may be before it is dropped


def _strip(text: str) -> str:
    text = _ROUND.sub(" ", _YEAR.sub(" ", text.lower().replace("&", " and ")))
    words = _RUNS.sub(" ", text).split()
    while words and words[0] in ("of", "the", "for"):  # "Third round of the X Fund"
        words.pop(0)
    return " ".join(words)


@lru_cache(maxsize=65536)
def title_key(title: str) -> str:
    """The title without years, round words and punctuation."""
    return _strip(title)


@lru_cache(maxsize=4096)
def funder_key(funder: str | None) -> str:
    return " ".join(_RUNS.sub(" ", (funder or "").lower()).split())


@lru_cache(maxsize=65536)
def url_key(url: str) -> str:
    """Host and path without years, round words and the file extension."""
    parts = urlsplit(url)
    path = re.sub(r"\.(?:s?html?|php|aspx?)$", "", parts.path.lower().rstrip("/"))
    return f"{parts.hostname or ''}|{_strip(path.replace('-', ' ').replace('_', ' '))}"


@dataclass
class Round:
    """One call of a fund, with what the team did about it (filled in by the caller)."""

    id: Any
    title: str
    funder: str | None
    url: str
    opens: date | None
    deadline: date | None
    status: str
    amount_min: int | None = None
    amount_max: int | None = None
    bid_status: str | None = None
    amount_requested: int | None = None
    amount_awarded: int | None = None
    opened: date | None = None  # opens, or estimated (see module docstring)
    estimated: bool = False
    first_seen: date | None = None  # when the tracker first saw it: an opening is never estimated later


@dataclass
class Forecast:
    expected: date | None  # the first day of the expected month
    evidence: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def month(self) -> str | None:
        return self.expected.strftime("%Y-%m") if self.expected else None

    @property
    def words(self) -> str:
        return f"likely to reopen around {self.expected:%B %Y}" if self.expected else ""


def group(calls: Iterable[Round]) -> list[list[Round]]:
    """Calls grouped into funds (each fund's rounds by opening, oldest first)."""
    calls = list(calls)
    parent = list(range(len(calls)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str, str], int] = {}
    for i, call in enumerate(calls):
        funder = funder_key(call.funder)
        for kind, key in (("title", title_key(call.title)), ("url", url_key(call.url))):
            if not key or key[-1] == "|":
                continue
            j = seen.setdefault((funder, kind, key), i)
            parent[find(i)] = find(j)
    funds: dict[int, list[Round]] = {}
    for i, call in enumerate(calls):
        funds.setdefault(find(i), []).append(call)
    out = []
    for rounds in funds.values():
        estimate_openings(rounds)
        out.append(sorted(rounds, key=lambda r: (r.opened or date.min, str(r.id))))
    return out


def estimate_openings(rounds: Sequence[Round]) -> None:
    spans = [(r.deadline - r.opens).days for r in rounds if r.opens and r.deadline and r.deadline > r.opens]
    usual = timedelta(days=int(statistics.median(spans)) if spans else DEFAULT_OPEN_DAYS)
    for r in rounds:
        if r.opens:
            r.opened, r.estimated = r.opens, False
        elif r.deadline:
            guess = r.deadline - usual
            r.opened, r.estimated = (min(guess, r.first_seen) if r.first_seen else guess), True
        else:
            r.opened, r.estimated = r.first_seen, r.first_seen is not None


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def forecast(rounds: Sequence[Round], today: date) -> Forecast:
    """The fund's next opening, with the evidence (see the module docstring)."""
    live = [r for r in rounds if r.status in ("open", "upcoming") and (r.deadline is None or r.deadline >= today)]
    if live:
        return Forecast(None, note="a round is open or announced now")
    dated = [r for r in rounds if r.opened]
    years = sorted({r.opened.year for r in dated})
    if len(years) < 2:
        return Forecast(None, note="fewer than two years of rounds")
    run = 1
    while run < len(years) and years[-run - 1] == years[-run] - 1:
        run += 1
    if run < 2:
        return Forecast(None, note="not every year")
    recent = [r for r in dated if r.opened.year >= years[-run]]
    month = round(statistics.median(r.opened.month for r in recent))
    expected = date(years[-1] + 1, month, 1)
    evidence = [f"opened {r.opened:%B %Y}" + (" (estimated)" if r.estimated else "")
                + f": {r.title}" for r in recent]
    if _month_index(expected) < _month_index(today) - SLACK_MONTHS:
        return Forecast(None, evidence, note=f"expected around {expected:%B %Y}, but it has not reopened")
    return Forecast(expected, evidence)


def describe_round(r: Round) -> str:
    dates = f"opened {long_date(r.opened)}" if r.opened and not r.estimated else ""
    closes = f"closed {long_date(r.deadline)}" if r.deadline else ""
    return ", ".join(x for x in (dates, closes) if x)
