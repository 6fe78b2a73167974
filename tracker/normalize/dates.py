"""Deadlines and opening dates, from labelled values and from prose.

Date spans are found with a regex and built directly from their parts (day, month
name or number, optional year); dateparser is only a fallback for labelled values
the regex cannot read. Each span gets a role from the nearest cue word before it
in its sentence ("closing date", "opens", "decision", "last updated"...), else from
a short label line above it, else from the previous date in the same table column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import lru_cache
from typing import Literal

from tracker.normalize.status import BADGE

Role = Literal["deadline", "opens", "ignore"]

_MONTHS = {
    m[:3]: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WD = r"(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
DATE_RE = re.compile(
    rf"(?:\b{_WD}\.?,?\s+)?(?:the\s+)?\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m>{_MON})\b\.?"
    rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?(?![\d:])"
    rf"|(?:\b{_WD}\.?,?\s+)?\b(?P<m2>{_MON})\b\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"(?:,?\s+(?P<y2>(?:19|20)\d\d))?(?![\d:])"
    r"|\b(?P<iy>20\d\d)-(?P<im>\d\d)-(?P<id>\d\d)\b"
    r"|\b(?P<nd>\d{1,2})[/.](?P<nm>\d{1,2})[/.](?P<ny>\d{4}|\d\d)\b(?![/.]\d)",
    re.I,
)
_TIME = (
    r"(?:(?P<h>\d{1,2})(?:[:.](?P<mi>\d\d))?\s*(?P<ap>[ap])\.?m\b\.?"
    r"|(?P<h24>[01]?\d|2[0-3])[:.](?P<m24>[0-5]\d)(?!\d|\s*[ap]\.?m\b)"
    r"|(?:12\s+)?(?P<word>noon|midday|midnight))"
)
_TIME_AFTER = re.compile(rf"^\s*(?:,|\(|\bat\b|\bby\b)?\s*(?:\bat\b\s*)?{_TIME}", re.I)
_TIME_BEFORE = re.compile(rf"{_TIME}\s*(?:,?\s*on|,)?\s*$", re.I)

_IGNORE = (
    r"updated|published|posted|drop[- ]?in|webinar|workshop|information session|briefing|event"
    r"|clarification|questions?|enquir(?:y|ies)|decisions?|outcomes?|notif(?:y|ied)|announce[ds]?"
    # a panel's or meeting's own deadline ("Panel deadline(s): ...") is the last day to apply for it
    r"|panel(?!s?\s+(?:deadlines?|closing dates?)\b)|interviews?|spen[dt]|spending|completed|contract"
    r"|deliver(?:y|ed)?|start date|starts?|begins?|awarded|awards? (?:are|were|will be) (?:made|presented)"
    r"|ceremony|presented|meets?|meeting(?!s?\s+(?:deadlines?|closing dates?)\b)"
    r"|expires?|period|term|reported|report(?:ing)? by|payments?|paid|funded activity"
    r"|last round|previous round|news"
)
_DEADLINE = (
    r"clos(?:e|es|ed|ing)|deadlines?|submi(?:t|tted|ssions?)|apply by|reach us|no later than"
    r"|stopped (?:taking|accepting)|last (?:date|day)|applications? (?:must|should) be (?:in|received)"
)
_OPENS = (
    r"re-?open(?:s|ing|ed)?|open(?:s|ing|ed)?|launch(?:es|ed)?|go(?:es)? live"
    # "you can apply between 1 May and 30 June": applying runs over the range, unless a clause about
    # something else comes between ("apply for projects that run between ...")
    r"|(?:apply|applications?|accepting|bids?|proposals?)\b(?:(?!\b(?:that|which|who|projects?|activit(?:y|ies))\b)"
    r"[^.;]){0,40}\b(?:from|between)"
)
_WEAK = r"until|till|\bby\b|before|\bdue\b"
_CUE_RE = re.compile(
    rf"\b(?P<ignore>{_IGNORE})\b|\b(?P<deadline>{_DEADLINE})\b|\b(?P<opens>{_OPENS})\b|(?P<weak>{_WEAK})", re.I
)
_POST_CLOSED = re.compile(r"^\s*[(\[]?\s*(?:closed|deadline passed|now closed)\b", re.I)
_SENT_END = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])|;\s+|\s+\|\s+|\t")

ROLLING_RE = re.compile(
    r"\brolling\b|\bongoing\b|\bno (?:closing |fixed |set )?(?:deadline|closing date)|\bopen all the time"
    r"|\b(?:all|throughout the|round the) year\b|\byear[- ]round\b|\bany ?time\b"
    r"|\buntil (?:all )?(?:the )?(?:funds?|money|budget) (?:is|are|has|have)"
    r" (?:been )?(?:spent|allocated|used|committed|exhausted)|\bwhile (?:funds|money) lasts?\b"
    r"|\bopen continuously\b|\bnone\b.{0,5}\brolling",
    re.I,
)
TBC_RE = re.compile(r"\b(?:tbc|tba|tbd|to be (?:confirmed|announced|decided|agreed))\b", re.I)
_TBC_CONTEXT = re.compile(r"\b(?:deadline|clos|date|round|open)", re.I)
_DATE_LABEL_RE = re.compile(rf"\b(?:{_DEADLINE}|{_OPENS}|dates?|when|timetable|window|round)\b", re.I)


@dataclass(frozen=True)
class DateHit:
    when: date
    at: time | None
    role: Role | None
    year_given: bool = True
    approx: bool = False  # a month or season, not a day


@dataclass
class DateFacts:
    deadline: date | None = None
    deadline_time: time | None = None
    opens: date | None = None
    rolling: bool = False
    tbc: bool = False
    closed_hint: bool = False  # a deadline value saying "Closed" with no date
    # an opening given only as a month or season ("will next open in March 2027"): the call is not
    # open yet, but no day is given, so it is not `opens`
    later_opening: date | None = None
    deadlines: list[date] = field(default_factory=list)
    times: dict[date, time] = field(default_factory=dict)  # closing time of each deadline date that has one
    unreadable: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.deadline or self.opens or self.rolling or self.tbc or self.closed_hint or self.later_opening)


def _year_for(day: int, month: int, today: date) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _build(m: re.Match[str], today: date) -> tuple[date | None, bool]:
    g = m.groupdict()
    try:
        if g["iy"]:
            return date(int(g["iy"]), int(g["im"]), int(g["id"])), True
        if g["nd"]:
            year = int(g["ny"])
            return date(year + 2000 if year < 100 else year, int(g["nm"]), int(g["nd"])), True
        day, mon, year = (g["d"], g["m"], g["y"]) if g["d"] else (g["d2"], g["m2"], g["y2"])
        month = _MONTHS[mon[:3].lower()]
        if year:
            return date(int(year), month, int(day)), True
        return _year_for(int(day), month, today), False
    except ValueError:
        return None, True


def _time_of(m: re.Match[str] | None) -> time | None:
    if not m:
        return None
    g = m.groupdict()
    if g["word"]:
        return None if g["word"].lower() == "midnight" else time(12, 0)
    if g["h24"] is not None:
        return time(int(g["h24"]), int(g["m24"]))
    hour, minute = int(g["h"]), int(g["mi"] or 0)
    if hour > 12 or minute > 59:
        return None
    hour = hour % 12 + (12 if g["ap"].lower() == "p" else 0)
    return time(hour, minute)


_RANGE_JOIN = re.compile(r"\s*(?:and|to|until|-|–|—)\s*", re.I)
_TIME_IN_GAP = re.compile(rf"(?:\b(?:at|by)\s+)?{_TIME}\s*(?:,|\bon\b)?\s*", re.I)


def _joined(gap: str) -> bool:
    """Whether the text between two dates joins them as a range ("to", "–", "to noon, ")."""
    return bool(_RANGE_JOIN.fullmatch(_TIME_IN_GAP.sub(" ", gap)))


def _role_of(prefix: str) -> Role | None:
    """The role given by the nearest cue before a date; weak cues ("by", "until") only count alone,
    and a deadline cue right after an ignore cue ("questions close") is ignored."""
    strong: Role | None = None
    weak = False
    last_ignore_end = -99
    for cue in _CUE_RE.finditer(prefix):
        kind = cue.lastgroup
        if kind == "weak":
            weak = True
            continue
        if (
            kind == "deadline"
            and cue.start() - last_ignore_end <= 12
            and not re.search(r"[.,;:]", prefix[last_ignore_end : cue.start()])
        ):
            kind = "ignore"
        if kind == "ignore":
            last_ignore_end = cue.end()
        strong, weak = kind, False  # type: ignore[assignment]
    if weak and strong != "ignore":
        return "deadline"
    return strong


def _label_role(label: str) -> Role | None:
    """A label's role: any 'ignore' cue wins ("Clarification questions close", "Decisions by")."""
    kinds = {c.lastgroup for c in _CUE_RE.finditer(label)}
    if "ignore" in kinds:
        return "ignore"
    if {"deadline", "opens"} <= kinds:
        return None  # "Opening and closing dates": its value says which is which ("1 May to 30 June")
    for kind in ("deadline", "opens"):
        if kind in kinds:
            return kind  # type: ignore[return-value]
    if "weak" in kinds:
        return "deadline"
    return None


_LINE_SPLIT = re.compile(r"\n|;\s+(?=[A-Z0-9])")  # "; " joins list items / rows in some field values
_CELL_SPLIT = re.compile(r"\s+\|\s+|\t")


def scan(text: str, today: date, default_role: Role | None = None) -> list[DateHit]:
    """Every date in `text`, with its time and role (None when nothing says what it is).

    Lines may be table rows with cells split by " | " or tabs: a date cell takes its
    role from the header row's cell in the same column, else from the cell before it.
    """
    hits: list[DateHit] = []
    recent: list[tuple[str, Role | None]] = []  # (line or cell, role) above, nearest last
    header: list[str] = []
    for line in _LINE_SPLIT.split(text):
        cells = _CELL_SPLIT.split(line)
        row_has_date = False
        for col, cell in enumerate(cells):
            column_role = _label_role(header[col]) if len(cells) == len(header) and len(cells) > 1 else None
            for sentence in _SENT_END.split(cell):
                prev_end, prev_role, in_sentence = 0, None, 0
                found = _dates_of(sentence, today)
                for i, (m, when, year_given) in enumerate(found):
                    row_has_date = True
                    prefix = sentence[prev_end : m.start()]
                    role = _role_of(prefix)
                    if role is None and prev_role == "opens" and _joined(prefix):
                        role = "deadline"  # "between 1 May and 30 June", "1 May – 30 June"
                    # no deadline lies between two dates; "Opening and closing dates: X to Y" names both
                    both = re.search(r"\bbetween\s*$", prefix, re.I) or {"opens", "deadline"} <= {
                        c.lastgroup for c in _CUE_RE.finditer(prefix)}
                    # under a deadline label only a range that is the whole value is a window: a deadline
                    # is one day, so "Deadline: 5 May to 25 November" gives when it opens and closes
                    alone = not sentence[: m.start()].strip(" :–-")
                    if (role in (None, "opens") and (default_role != "deadline" or alone) or both) and _window_start(
                            sentence, found, i):
                        role = "opens"  # "The round runs from 1 May to 30 June": the range is the window
                    role = role or prev_role
                    if role is None and _POST_CLOSED.match(sentence[m.end() :]):
                        role = "deadline"
                    role = role or column_role or _role_from_above(recent) or default_role
                    after = _TIME_AFTER.match(sentence[m.end() : m.end() + 24])
                    before = _TIME_BEFORE.search(sentence[max(prev_end, m.start() - 26) : m.start()])
                    hits.append(DateHit(when, _time_of(after or before), role, year_given))
                    prev_end, prev_role = m.end(), role
                    recent = [(sentence, role)]
                    in_sentence += 1
                for period in _periods(sentence, found, today):  # "will reopen in spring 2027"
                    hits.append(period)
                    in_sentence += 1
                hits[len(hits) - in_sentence:] = _one_time_for_the_list(hits[len(hits) - in_sentence:])
            recent.append((cell, None))
            del recent[:-8]
        if len(cells) > 1 and not row_has_date:
            header = cells
    return hits


_LIST_JOIN = re.compile(r"\s*(?:,|and|or|to|until|till|-|–|—|&)?\s*(?:,|and|or|to|until|till|-|–|—|&)?\s*", re.I)


def _dates_of(sentence: str, today: date) -> list[tuple[re.Match[str], date, bool]]:
    """The dates of one sentence. In a list or range of dates where only a later one gives its
    year ("31 January, 30 April and 31 July 2027", "1 November – 31 January 2027"), the earlier
    ones take that year, stepping back a year where the months wrap."""
    found = []
    for m in DATE_RE.finditer(sentence):
        when, year_given = _build(m, today)
        if when is not None:
            found.append((m, when, year_given))
    for i in range(len(found) - 2, -1, -1):
        m, when, year_given = found[i]
        nxt_m, nxt, nxt_given = found[i + 1]
        if year_given or not nxt_given or not _LIST_JOIN.fullmatch(sentence[m.end() : nxt_m.start()]):
            continue
        try:
            when = when.replace(year=nxt.year)
            if when > nxt:
                when = when.replace(year=nxt.year - 1)
        except ValueError:  # 29 February
            continue
        found[i] = (m, when, True)
    return found


# The subject of a sentence that runs a date range as the time to apply: the round, window, call or fund,
# or the applications themselves (not the projects, events or payments, whose cues are _IGNORE).
_WINDOW_SUBJECT = re.compile(
    r"\b(?:rounds?|window|call|funds?|grants?|schemes?|programmes?|applications?|bids?|it)\b", re.I
)


def _window_start(sentence: str, found: list[tuple[re.Match[str], date, bool]], i: int) -> bool:
    """Whether date i starts a range ("from X to Y", "between X and Y", "X – Y") that is the
    application window: the range stands alone (a table cell, a labelled value) or the sentence's
    subject is the round or the applications, and nothing before it says it is something else."""
    if i + 1 >= len(found):
        return False
    m, nxt = found[i][0], found[i + 1][0]
    lead = sentence[: m.start()]
    gap = sentence[m.end() : nxt.start()]
    if not _joined(gap) or (re.search(r"\band\b", gap) and not re.search(r"\bbetween\s*$", lead, re.I)):
        return False  # "24 June and 23 July" is a list; "between 24 June and 23 July" a range
    if _role_of(lead) == "ignore":
        return False
    lead = re.sub(r"(?:\s*\b(?:from|between|is|are|runs?|running|ran|will|be|open)\b)+\s*$", "", lead, flags=re.I)
    short_label = len(lead.split()) <= 4 and lead.rstrip().endswith(":") and _DATE_LABEL_RE.search(lead)
    return not lead.strip(" :–-") or bool(short_label or _WINDOW_SUBJECT.search(lead))


_PERIOD = re.compile(
    # "opens January 2027" says "opens in January 2027" without its preposition
    rf"(?:\b(?:in|from|during|by|for|after|until|of)\s+|(?<=\bopen )|(?<=\bopens )|(?<=\breopen )|(?<=\breopens )"
    rf"|(?<=\bopening ))(?:the\s+)?(?:(?P<part>early|mid|late|end of|the end of"
    rf"|beginning of|start of)\s*-?\s*)?(?:(?P<m>{_MON})|(?P<s>spring|summer|autumn|fall|winter))\b\.?"
    r"(?:\s+(?P<y>(?:19|20)\d\d))?(?![\d:])",
    re.I,
)
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _periods(sentence: str, found: list[tuple[re.Match[str], date, bool]], today: date,
             role: Role | None = None) -> list[DateHit]:
    """An opening given as a month or season ("applications will next open in March", "will reopen
    in spring 2027"): the period's first day, when the nearest cue before it is an opening one.
    Only openings: a deadline needs its day."""
    taken = [(m.start(), m.end()) for m, _, _ in found]
    out = []
    for p in _PERIOD.finditer(sentence):
        if any(a < p.end() and p.start() < b for a, b in taken):
            continue
        ends_before = [b for _, b in taken if b <= p.start()]
        if (role or _role_of(sentence[max(ends_before, default=0) : p.start("part") if p["part"] else p.start("m")
                                      if p["m"] else p.start("s")])) != "opens":
            continue
        month = _MONTHS[p["m"][:3].lower()] if p["m"] else _SEASON_START[p["s"].lower()]
        day = {"mid": 15, "late": 20}.get((p["part"] or "").lower(), 1)
        if p["y"]:
            when = date(int(p["y"]), month, day)
        else:  # the next such month that has not ended
            when = date(today.year, month, day)
            if (when.year, when.month) < (today.year, today.month):
                when = date(today.year + 1, month, day)
        out.append(DateHit(when, None, "opens", bool(p["y"]), approx=True))
    return out


def _one_time_for_the_list(hits: list[DateHit]) -> list[DateHit]:
    """ "1 Feb, 1 May, 1 Aug and 1 Nov (23:59)": one time given for a list of dates of one role
    is the time of each of them."""
    times = {h.at for h in hits if h.at is not None}
    if len(hits) > 1 and len(times) == 1 and len({h.role for h in hits}) == 1:
        return [replace(h, at=next(iter(times))) for h in hits]
    return hits


# A fund's name with its status badge after it ("Heritage Programme Open", "Arts Fund Closed"): a
# title, not a label over the dates below it
_TITLE_THEN_BADGE = re.compile(
    r"\b(?:Funds?|Grants?|Programmes?|Schemes?|Awards?|Competition|Prize|Bursary|Challenge|Initiative)\b"
    r".*\s(?i:(?:now )?(?:open|closed|opening soon|coming soon|closing soon))\W*$")


def _role_from_above(recent: list[tuple[str, Role | None]]) -> Role | None:
    for line, role in reversed(recent):
        if role is not None:
            return role  # the previous date in this column
        words = len(line.split())
        if words > 12:
            return None
        if BADGE.match(line) or _TITLE_THEN_BADGE.search(line):
            continue  # "Open" is a badge, not a label
        if words <= 6 and (label := _label_role(line)):
            return label
    return None


def _pick(hits: Iterable[DateHit], today: date, facts: DateFacts) -> None:
    deadlines = sorted({(h.when, h.at) for h in hits if h.role == "deadline"}, key=lambda p: (p[0], p[1] is None))
    opens = sorted({h.when for h in hits if h.role == "opens"})
    facts.deadlines = sorted({d for d, _ in deadlines})
    facts.times = {d: t for d, t in reversed(deadlines) if t is not None}
    if deadlines:
        future = [p for p in deadlines if p[0] >= today]
        chosen = future[0] if future else deadlines[-1]
        if not future:
            chosen = max((p for p in deadlines if p[0] == chosen[0]), key=lambda p: p[1] is not None)
        facts.deadline, facts.deadline_time = chosen
    if opens:
        reopens = [o for o in opens if o > today and facts.deadline and o > facts.deadline]
        if facts.deadline and facts.deadline < today and reopens:
            # "closed on 1 November 2026; it will reopen on 1 March 2027": the next round's opening,
            # and the past deadline was the last round's
            facts.opens, facts.deadline, facts.deadline_time = reopens[0], None, None
        elif facts.deadline:
            before = [o for o in opens if o <= facts.deadline]
            facts.opens = before[-1] if before else None
        else:
            future = [o for o in opens if o > today]
            facts.opens = future[0] if future else opens[-1]


def _flags(text: str, facts: DateFacts, deadline_context: bool) -> None:
    for sentence in _SENT_END.split(text):
        if ROLLING_RE.search(sentence) and (deadline_context or not DATE_RE.search(sentence)):
            facts.rolling = True
        if TBC_RE.search(sentence) and (deadline_context or _TBC_CONTEXT.search(sentence)):
            facts.tbc = True


def _approximate(hits: list[DateHit], today: date, facts: DateFacts) -> list[DateHit]:
    """The hits with a day; a future month or season of opening, after any deadline given, is kept
    as `later_opening` (a closed round that "will reopen in spring 2027" drops its past deadline)."""
    later = sorted(h.when for h in hits if h.approx and h.when > today)
    exact = [h for h in hits if not h.approx]
    last = max((h.when for h in exact if h.role == "deadline"), default=None)
    if later and (last is None or later[-1] > last):
        facts.later_opening = later[-1]
        if last is not None and last < today:
            exact = [h for h in exact if h.role != "deadline"]
    return exact


def _finish(facts: DateFacts, today: date) -> DateFacts:
    if facts.deadline and facts.deadline >= today:
        facts.rolling = False
        facts.tbc = False
    return facts


_CLOSING_TIME = re.compile(
    rf"(?:\bby\b|\bat\b|\bbefore\b|\bcloses? at\b)\s*{_TIME}\s*,?\s*on\s+(?:the|each|every|any)\s+"
    r"(?:closing|deadline)\s+(?:date|day)s?\b",
    re.I,
)


def closing_time(text: str) -> time | None:
    """The time of day every closing date has, when the text gives it once without a date
    ("Applications must reach us by 5pm on the closing date")."""
    m = _CLOSING_TIME.search(text)
    return _time_of(m) if m else None


def dates_from_text(text: str, today: date) -> DateFacts:
    """Deadline, opening date, rolling and TBC flags from prose (or a listing card's text)."""
    facts = DateFacts()
    _pick(_approximate(scan(text, today), today, facts), today, facts)
    _flags(text, facts, deadline_context=False)
    return _finish(facts, today)


def dates_from_fields(fields: Mapping[str, str], today: date) -> DateFacts:
    """The same from labelled values ("Closing date": "30 July 2027, 11:59pm")."""
    facts = DateFacts()
    hits: list[DateHit] = []
    for label, value in fields.items():
        role = _label_role(label)
        if role is None and re.search(r"\b(?:window|period)\b", label, re.I):
            role = "opens"  # "Application window: 1 May – 30 June 2027": the second date closes it
        if not _DATE_LABEL_RE.search(label) or role == "ignore":
            continue
        found = scan(value, today, default_role=role)
        if role is None and {"opens", "deadline"} <= {c.lastgroup for c in _CUE_RE.finditer(label)}:
            # a date the value leaves unnamed under "Opening and closing dates" is the closing one
            found = [h if h.role else replace(h, role="deadline") for h in found]
        # a month under a label is when it opens, a nested label and all ("When to apply: Next round: May 2027")
        period = re.sub(r"^(?:[A-Za-z][\w ]{0,30}:\s*)+", "", value.strip(" ."))
        if not found and role in ("opens", None) and (bare := _PERIOD.fullmatch(f"in {period}")):
            found = _periods(bare.group(), [], today, role="opens")  # "Next round: May 2027"
        hits.extend(found)
        if role == "deadline" or role is None:
            _flags(value, facts, deadline_context=role == "deadline")
            if re.match(r"\s*closed\b", value, re.I) and not found:
                facts.closed_hint = True
        elif role == "opens" and TBC_RE.search(value):
            facts.tbc = True
        if (
            not found
            and role in ("deadline", "opens")
            and not (ROLLING_RE.search(value) or TBC_RE.search(value) or re.search(r"\bclosed\b", value, re.I))
        ):
            parsed = parse_date(value, today)
            if parsed[0]:
                hits.append(DateHit(parsed[0], parsed[1], role))
            elif value.strip() and len(value) < 80:
                facts.unreadable.append(f"{role}: unreadable {value.strip()!r}")
    _pick(_approximate(hits, today, facts), today, facts)
    return _finish(facts, today)


@lru_cache(maxsize=4)
def _dateparser(today: date):  # noqa: ANN202
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": datetime.combine(today, time()),
            "REQUIRE_PARTS": ["day", "month"],
        },
    )


def parse_date(value: str, today: date) -> tuple[date | None, time | None]:
    """One date (and time) from a short value; dateparser only when the regex finds nothing."""
    hits = scan(value, today)
    if hits:
        return hits[0].when, hits[0].at
    value = value.strip()
    if not value or len(value) > 60 or not re.search(r"\d", value):
        return None, None
    found = _dateparser(today).get_date_data(value)
    if found and found.date_obj:
        at = found.date_obj.time()
        return found.date_obj.date(), (at if at != time() else None)
    return None, None
