"""RawCall -> Facts: every normaliser, in precedence structured > labelled fields > prose > listing card."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from tracker.normalize import areas as area_mod
from tracker.normalize.dates import DateFacts, closing_time, dates_from_fields, dates_from_text
from tracker.normalize.facts import Facts
from tracker.normalize.money import Money, amounts_from_fields, amounts_in_text
from tracker.normalize.orgs import Eligibility, eligibility_from_fields, merge, read_eligibility
from tracker.normalize.raw import RawCall
from tracker.normalize.status import decide_status, split_title_prefix, status_words
from tracker.normalize.themes import call_themes
from tracker.normalize.urls import canonical_url
from tracker.vocab import load_vocabulary

_SITE_WORDS = re.compile(
    r"gov\.uk|find a grant|commissioner|foundation|council|trust\b|lottery|community fund"
    r"|police|constabulary|authority|\bhome\b|\.org|\.com|\.uk|sport england|arts council",
    re.I,
)
_TITLE_SEP = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
_IS_OPEN = re.compile(r"\s+(?:is|is now|now)\s+open(?: for applications)?\s*[.!]?$", re.I)
# News headlines wrapped around a fund's name: "Applications now open for the X Fund 2027",
# "X Grants remain open", "X Grants to open in January". Only when what is left names a fund.
_FUNDISH = re.compile(
    r"\b(?:funds?|grants?|programmes?|schemes?|awards?|appeal|competition|chest|bursar(?:y|ies))\b", re.I
)
_HEADLINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:applications?|bids?|entries) (?:are )?(?:now )?(?:open|invited) (?:for|to) (?:the )?"
                r"(?P<name>.+?)[.!]?$", re.I), "open"),
    (re.compile(r"^(?P<name>.+?)\s+(?:remains?|stays?|still) open(?: for applications)?[.!]?$", re.I), "open"),
    (re.compile(r"^(?P<name>.+?)\s+(?:to (?:re)?open|will (?:re)?open|(?:re)?opens?|(?:re)?opening|launch(?:es)?)"
                r"\s+(?:in|on|from|soon|next)\b.*$", re.I), "upcoming"),
)
_STATUS_LABEL = re.compile(r"^\W*status\b", re.I)
_VALID_STATUS = {"open", "upcoming", "closed"}


_FUNCTION = r"(?:and|or|but|nor|are|is|was|were|to|of|in|on|at|for|with|by|from|the|a|an|our|their|your|that|which|who)"
_WRAPPED = re.compile(
    rf"(?m)^(.{{40,}}?(?:,|\b{_FUNCTION}))(?:\n|;\s)(?=[a-z])|^(.{{40,}}?[a-z])(?:\n|;\s)(?={_FUNCTION}\b)"
)


def unwrap(text: str) -> str:
    """Join hard-wrapped paragraph lines ("...registered charities. Partnership bids\nare encouraged")."""
    return _WRAPPED.sub(lambda m: (m[1] or m[2]) + " ", text) if "\n" in text or "; " in text else text


def clean_title(title: str, funder: str | None = None) -> tuple[str, str | None]:
    """Collapse whitespace, drop a trailing " | Site name" and a "CLOSED:" prefix (returned as a hint)."""
    text = " ".join(title.split())
    text, hint = split_title_prefix(text)
    while True:
        parts = _TITLE_SEP.split(text)
        if len(parts) < 2:
            break
        last = parts[-1]
        is_pipe = bool(re.search(r"\s*\|\s*[^|]*$", text))
        if not (is_pipe or _SITE_WORDS.search(last) or (funder and last.casefold() in funder.casefold())):
            break
        text = text[: text.rfind(last)].rstrip(" |–—-")
    if _IS_OPEN.search(text):
        text, hint = _IS_OPEN.sub("", text), hint or "open"
    for pattern, word in _HEADLINES:
        m = pattern.match(text)
        if m and _FUNDISH.search(m["name"]):
            text, hint = m["name"], hint or word
            break
    return text.strip(), hint


def fuller_name(title: str, text: str) -> str:
    """The fund's name as the text gives it with its year or round ("Youth Diversion Grants 2027")
    when the title is that name without it."""
    if not title:
        return title
    m = re.search(rf"\b{re.escape(title)}\s+((?:19|20)\d\d(?:\s*(?:/|-|–|to)\s*(?:20)?\d\d)?|round \d+)\b", text)
    return f"{title} {m[1]}" if m else title


def _iso(value: Any) -> tuple[date | None, time | None]:
    if isinstance(value, datetime):
        return value.date(), (value.time().replace(second=0, microsecond=0) if value.time() != time() else None)
    if isinstance(value, date):
        return value, None
    if isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            try:
                return date.fromisoformat(value.strip()[:10]), None
            except ValueError:
                return None, None
        has_time = "T" in value or " " in value.strip()
        return parsed.date(), (parsed.time().replace(second=0, microsecond=0, tzinfo=None) if has_time else None)
    return None, None


def _dates(raw: RawCall, today: date, detail: str) -> DateFacts:
    labelled, prose = dates_from_fields(raw.fields, today), dates_from_text(detail, today)
    if labelled.deadline and (labelled.deadline >= today or not prose.deadline or prose.deadline < today):
        chosen = labelled
    elif prose.deadline:
        chosen = prose
    else:
        chosen = labelled
    chosen.opens = labelled.opens or prose.opens if chosen is labelled else prose.opens or labelled.opens
    for other in (labelled, prose):
        chosen.rolling = chosen.rolling or (other.rolling and not chosen.deadline)
        chosen.tbc = chosen.tbc or (other.tbc and not chosen.deadline)
        chosen.closed_hint = chosen.closed_hint or other.closed_hint
        chosen.later_opening = chosen.later_opening or other.later_opening
    chosen.unreadable = labelled.unreadable
    if chosen.deadline and chosen.deadline_time is None:
        chosen.deadline_time = labelled.times.get(chosen.deadline) or prose.times.get(chosen.deadline)
    if chosen.deadline and chosen.deadline_time is None:
        chosen.deadline_time = closing_time(detail)
    if chosen.found:
        return chosen
    card = dates_from_fields(raw.listing_fields, today)
    card_text = dates_from_text(raw.listing_text, today)
    if card.found or not card_text.found:
        card.opens = card.opens or card_text.opens
        return card
    return card_text


def _money(raw: RawCall, detail: str) -> Money:
    money = Money()
    for source in (
        amounts_from_fields(raw.fields),
        amounts_in_text(detail),
        amounts_from_fields(raw.listing_fields),
        amounts_in_text(raw.listing_text),
    ):
        money.fill(source)
        money.not_given |= source.not_given
        money.no_max = money.no_max or (source.no_max and money.amount_max is None)
    return money


def _eligibility(raw: RawCall, detail: str) -> Eligibility:
    found = merge([eligibility_from_fields(raw.fields), read_eligibility(detail)])
    if found.found:
        return found
    card = merge([eligibility_from_fields(raw.listing_fields), read_eligibility(raw.listing_text)])
    return card if card.found else found


def _call_areas(structured: Any, raw: RawCall, title: str, detail: str, funder: str | None) -> list[str]:
    """A source's own area field (an OCDS region), unless the text names a place inside it."""
    vocab = load_vocabulary()
    given = list(dict.fromkeys(
        a for a in (vocab.canonical_area(v) for v in structured if isinstance(v, str)) if a
    )) if isinstance(structured, list | tuple) else []
    if not given:
        return _areas(raw, title, detail, funder)
    text = _areas(raw, title, detail, None)
    inside = text and set(text) != set(given) and all(any(g in vocab.ancestors(t) for g in given) for t in text)
    return text if inside else given


def _heading(line: str, titles: set[str]) -> bool:
    """The fund's name as its page's heading, a status badge beside it or not ("Kent Fund Opening soon")."""
    line = line.strip()
    return any(line == t or (line.startswith(t) and len(line[len(t):].split()) <= 3) for t in titles)


def _areas(raw: RawCall, title: str, detail: str, funder: str | None) -> list[str]:
    """Where the call is open, from the most explicit statement: a labelled area (the page's, then
    its listing card's), the page's sentences, the fund's name, the card's text, the funder's name."""
    labelled, labelled_ex = area_mod.areas_from_fields(raw.fields)
    card_labelled, card_ex = area_mod.areas_from_fields(raw.listing_fields)
    # the fund's name heads its own text, but a name is no statement of where it is open ("Kent Victims'
    # Fund ... benefits residents of Thanet"): it counts below, after the sentences
    titles = {t for t in (title.strip(), raw.title.strip()) if t}
    prose, prose_ex = area_mod.areas_in("\n".join(line for line in detail.split("\n") if not _heading(line, titles)))
    named, named_ex = area_mod.areas_in(title)
    # the card's own text carves out places too ("Area: All of Staffordshire apart from Cannock Chase")
    card_text, card_text_ex = area_mod.areas_in(raw.listing_text)
    excluded = labelled_ex + card_ex + prose_ex + named_ex + card_text_ex
    for found in (labelled, card_labelled, prose, named, card_text):
        if found:
            return area_mod.resolve(found, excluded)
    if funder:
        return area_mod.resolve(area_mod.areas_in(funder, org_filter=False)[0], excluded)
    return []


def _vocab_list(value: Any, allowed: dict[str, str] | dict[str, Any]) -> list[str] | None:
    if isinstance(value, list | tuple) and value:
        return [v for v in value if isinstance(v, str) and v in allowed]
    return None


def _int(value: Any) -> int | None:
    try:
        return None if value is None or isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        return None


BODY_LIMIT = 8000  # characters of page text kept for matching


def normalize_call(raw: RawCall, *, today: date, default_funder: str | None = None) -> Facts:
    """Normalise one RawCall; unreadable values are noted in Facts.problems as "field: why"."""
    s = raw.structured or {}
    raw = replace(
        raw,
        text=unwrap(raw.text),
        summary=unwrap(raw.summary),
        listing_text=unwrap(raw.listing_text),
        fields={k: unwrap(v) for k, v in raw.fields.items()},
        listing_fields={k: unwrap(v) for k, v in raw.listing_fields.items()},
    )
    funder = " ".join((raw.funder or default_funder or "").split()) or None
    title, title_hint = clean_title(raw.title, funder)
    if title != " ".join(raw.title.split()) and not re.search(r"\b(?:19|20)\d\d\b", title):
        title = fuller_name(title, f"{raw.summary}\n{raw.text}")
    summary = " ".join(raw.summary.split())
    detail = f"{summary}\n{raw.text}" if summary and summary not in raw.text else raw.text
    facts = Facts(
        url=canonical_url(raw.url) if raw.url else raw.url,
        title=title or raw.title.strip(),
        funder=funder,
        summary=summary,
    )

    when = _dates(raw, today, detail)
    facts.problems.extend(when.unreadable)
    facts.deadline, facts.deadline_time, facts.opens = when.deadline, when.deadline_time, when.opens
    facts.deadlines = list(when.deadlines)
    facts.rolling = when.rolling and not (when.deadline and when.deadline >= today)
    if "deadline" in s:
        deadline, at = _iso(s["deadline"])
        if deadline:
            facts.deadline, facts.deadline_time, facts.rolling = deadline, at, False
            facts.deadlines = [deadline]
        elif s["deadline"]:
            facts.problems.append(f"deadline: unreadable structured value {s['deadline']!r}")
    if "opens" in s:
        facts.opens = _iso(s["opens"])[0] or facts.opens
    if isinstance(s.get("rolling"), bool):
        facts.rolling = s["rolling"]

    money = _money(raw, detail)
    facts.amount_min, facts.amount_max, facts.total_pot = money.amount_min, money.amount_max, money.total_pot
    facts.currency = s.get("currency") or money.currency or "GBP"
    for key in ("amount_min", "amount_max", "total_pot"):
        if key in s and _int(s[key]) is not None:
            setattr(facts, key, _int(s[key]))
    if facts.total_pot is not None and facts.total_pot == facts.amount_max and "total_pot" not in s:
        facts.total_pot = None  # one figure read twice ("up to £300,000 over three years")
    if facts.amount_min and facts.amount_max and facts.amount_min > facts.amount_max:
        facts.problems.append(f"amount: minimum {facts.amount_min} above maximum {facts.amount_max}; dropped minimum")
        facts.amount_min = None

    vocab = load_vocabulary()
    elig = _eligibility(raw, detail)
    facts.eligible_org_types = _vocab_list(s.get("eligible_org_types"), vocab.org_types) or elig.eligible
    facts.excluded_org_types = _vocab_list(s.get("excluded_org_types"), vocab.org_types) or elig.excluded
    facts.eligibility_text = elig.text
    facts.body = detail[:BODY_LIMIT]
    facts.areas = _call_areas(s.get("areas"), raw, title, detail, funder)
    facts.themes = _vocab_list(s.get("themes"), vocab.themes) or call_themes(
        title, f"{summary}\n{raw.text}\n{raw.listing_text}"
    )

    hint = s.get("status") if s.get("status") in _VALID_STATUS else None
    hint = hint or title_hint or ("closed" if when.closed_hint else None)
    hint = hint or ("upcoming" if when.later_opening and not facts.opens and not facts.deadline else None)
    hint = hint or next((status_words(v) for k, v in raw.fields.items() if _STATUS_LABEL.match(k)), None)
    hint = (
        hint
        or status_words(detail)
        or status_words(raw.listing_text)
        or next((status_words(v) for k, v in raw.listing_fields.items() if _STATUS_LABEL.match(k)), None)
    )
    facts.status = decide_status(
        today=today, deadline=facts.deadline, opens=facts.opens, rolling=facts.rolling, tbc=when.tbc, hint=hint
    )
    if facts.deadline and facts.deadline not in facts.deadlines:
        facts.deadlines = sorted({*facts.deadlines, facts.deadline})
    if facts.status == "upcoming" and when.tbc:
        facts.rolling = False
    return facts
