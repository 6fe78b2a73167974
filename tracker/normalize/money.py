"""Grant amounts in whole pounds: ranges, suffixes and what each figure means.

price-parser reads the number of one price; this module finds the prices (with
k / m / million suffixes), pairs them into ranges and tells a per-grant maximum
or minimum from the size of the whole pot by the words around them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from price_parser import Price

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SUFFIX = r"\s?(?:k\b|m\b|bn\b|mn\b|million\b|billion\b|thousand\b)"
_CUR = r"(?:£|GBP\s?|€|EUR\s?|\$|USD\s?)"
# After a currency sign a space (or no-break / thin space) may group thousands: "£10 000", "GBP 25 000".
_NUM_SPACED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,])(?:\.\d+)?"
AMOUNT_RE = re.compile(rf"(?P<cur>{_CUR})(?P<num>{_NUM_SPACED}|{_NUM})(?P<suf>{_SUFFIX})?", re.I)
_BARE_RE = re.compile(rf"(?P<cur>{_CUR})?(?P<num>{_NUM})(?P<suf>{_SUFFIX})?", re.I)
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|to\b|(?P<and>and\b)|up to\b|-\s*up to\b)\s*", re.I)
_MULT = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_CURRENCY = {"£": "GBP", "GBP": "GBP", "€": "EUR", "EUR": "EUR", "$": "USD", "USD": "USD"}

_POT_BEFORE = re.compile(
    r"\b(?:total|pot|budget|set aside|fund of|funding of|programme of|scheme of|worth|in total|overall"
    r"|share of|committed|allocation of|a further|investment of)\b\W*(?:\w+\W+){0,4}$",
    re.I,
)
# What follows a figure and says it is the whole sum: "£1m in total", "£2m fund", "in the pot".
_POT_AFTER = re.compile(
    r"^\W{0,3}(?:(?:is|are|has been|have been)\s+(?:available\s+|committed\s+)?)?"
    r"(?:in total|total\b|overall\b|pot\b|(?:fund|programme|scheme|budget|investment)\b"
    r"|in (?:the|this|our) (?:fund|pot|programme|scheme|budget)\b)",
    re.I,
)
# ... or only hints it: "£40,000 is available" is the pot, unless a cue before it says it is one
# grant's size ("grants of up to £10,000 are available", "no more than £5,000 is available").
_POT_AFTER_HINT = re.compile(
    r"^\W{0,3}(?:(?:is|are|has been|have been)\s+(?:available|committed|allocated|set aside|being made available)"
    r"|available\b|(?:\w+\s+){0,2}committed\b)",
    re.I,
)
# The sum the funder shares out: "there is £200k to award", "we have £2m to distribute / to give in grants".
_POT_SHARED = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,2}?to (?:award|distribute|allocate|share|give|invest|spend|grant)\b", re.I
)
_POT_AFTER_WEAK = re.compile(r"^\W{0,3}(?:over|across) (?:\w+ )?(?:years|months)", re.I)
# A noun and a copula may stand between the cue and the figure: "the maximum grant is £5,000".
_CUE_NOUN = (
    r"(?:\s+(?:grant|award|amount|sum|request|bid)s?)?(?:\s+(?:is|will be|we (?:can|will) (?:give|award|offer)))?"
)
_MAX_BEFORE = re.compile(
    rf"(?:\bup to|\b(?:maximum|largest|biggest|highest){_CUE_NOUN}(?: of)?|\bmax\b\.?|\bno more than|\bnot more than"
    r"|\bas much as|\bat most|\bcapped at|\bceiling of|\bnot exceeding|\bless than|\bunder|\bmore than \w+ can"
    r"|\breceive more than)\W*$",
    re.I,
)
_GRANT_OF_BEFORE = re.compile(r"\b(?:grants?|awards?) of\W*$", re.I)  # a grant of £X: a ceiling, if nothing else
_MAX_AFTER = re.compile(r"^\W{0,3}(?:or less|maximum|max\b|ceiling|cap\b)", re.I)
_MIN_BEFORE = re.compile(
    rf"(?:\b(?:minimum|smallest|lowest){_CUE_NOUN}(?: of)?|\bmin\b\.?|\bat least|\bstart(?:s|ing)? (?:at|from)|\bover"
    r"|\bmore than|\babove|\bfrom|\bin excess of)\W*$",
    re.I,
)
_LEADS_FIGURE = re.compile(rf"\s*(?:of|is|:)?\s*{_CUR}\s?\d")  # "maximum £5,000": the cue is that figure's
_MIN_AFTER = re.compile(r"^\W{0,3}(?:or more|or over|or above|and (?:above|over|upwards)|\+|minimum)", re.I)
_IGNORE_NEAR = re.compile(
    r"(?<!be )awarded|average|typical|in practice|few awards|requests? of|raised|received|last round|previous"
    r"|turnover|income|salary|fee|per hour|per day|per person|VAT threshold|spent|matched? (?:funding )?of"
    r"|costing|(?:total|overall) (?:project )?costs? of",
    re.I,
)
_EACH_AREA = re.compile(
    r"\b(?:each|every) (?:of (?:the|our|its) )?(?:[\w'’-]+\s+){0,3}?(?:wards?|areas?|districts?|neighbourhoods?"
    r"|partnerships?|localit(?:y|ies)|parish(?:es)?|count(?:y|ies)|regions?|constituenc(?:y|ies)|schools?"
    r"|councillors?|members?)\b|\bper (?:ward|area|district|partnership|locality|parish|county|region|councillor)\b",
    re.I,
)
_NO_MAX_RE = re.compile(r"\bor more\b|\band (?:above|upwards)\b", re.I)
_NO_MAXIMUM_RE = re.compile(r"\b(?:no|not set an?|without an?) (?:upper )?(?:maximum|upper limit|cap)\b", re.I)
_NOT_GIVEN_RE = re.compile(r"^\s*(?:not specified|not applicable|n/?a|none|unspecified|varies|-)\b", re.I)
_CLAUSE_RE = re.compile(r"(?<=[.;!?])\s+|\n\s*\n")


@dataclass
class Money:
    amount_min: int | None = None
    amount_max: int | None = None
    total_pot: int | None = None
    currency: str | None = None
    no_max: bool = False  # "£20,001 or more": the source says there is no maximum
    not_given: set[str] = field(default_factory=set)  # components a label says are "Not specified"

    def fill(self, other: Money) -> None:
        """Take from `other` what this one lacks (lower-precedence source)."""
        if self.amount_min is None and "amount_min" not in self.not_given:
            self.amount_min = other.amount_min
        if self.amount_max is None and not self.no_max and "amount_max" not in self.not_given:
            self.amount_max = other.amount_max
            self.no_max = self.no_max or other.no_max
        if self.total_pot is None and "total_pot" not in self.not_given:
            self.total_pot = other.total_pot
        self.currency = self.currency or other.currency


def parse_amount(text: str) -> int | None:
    """The first amount in `text` in whole units: "£10k" -> 10000, "£1.5 million" -> 1500000."""
    m = AMOUNT_RE.search(text) or _BARE_RE.search(text)
    return _value(m) if m else None


def _value(m: re.Match[str]) -> int | None:
    price = Price.fromstring(re.sub(r"[ \u00a0\u202f]", "", m["num"]), decimal_separator=".")
    if price.amount is None:
        return None
    suffix = (m["suf"] or "").strip().lower()
    return int(price.amount * Decimal(_MULT.get(suffix, 1)))


def _currency(m: re.Match[str]) -> str:
    return _CURRENCY.get((m["cur"] or "£").strip().upper(), "GBP")


def _amounts(clause: str) -> list[tuple[int, int, int | None, int | None, str]]:
    """(start, end, low, high, currency) for each single amount or range in a clause."""
    out = []
    pos = 0
    while m := AMOUNT_RE.search(clause, pos):
        low = _value(m)
        end = m.end()
        high = None
        start = m.start()
        between = re.search(r"\b(?:between|from)\s*$", clause[max(0, start - 10) : start], re.I)
        sep = _RANGE_SEP.match(clause, end)
        if sep and (not sep["and"] or (between and between.group().lower().startswith("between"))):
            second = AMOUNT_RE.match(clause, sep.end()) or _BARE_RE.match(clause, sep.end())
            if second and (second["cur"] or second["suf"] or "," in second["num"] or m["suf"]):
                high = _value(second)
                # "£10-50k": the second figure's suffix scales a bare first one ("£250 and £250k" is 250)
                if m["suf"] is None and second["suf"] and not second["cur"] and low is not None and high is not None:
                    scaled = low * _MULT.get(second["suf"].strip().lower(), 1)
                    low = scaled if scaled <= high else low  # "£10-50k"
                end = second.end()
        # "between"/"from" belongs to a range; before a single figure it is that figure's cue ("from £500")
        out.append((start - (len(between.group()) if between and high is not None else 0), end, low, high,
                    _currency(m)))
        pos = end
    return out


def amounts_in_text(text: str) -> Money:
    """Min / max / pot from prose; the first range wins, single figures go by their cue words."""
    money = Money()
    singles: dict[str, int] = {}
    for clause in _CLAUSE_RE.split(text):
        for start, end, low, high, cur in _amounts(clause):
            before, after = clause[max(0, start - 45) : start], clause[end : end + 40].split("\n", 1)[0]
            if _IGNORE_NEAR.search(before) or _IGNORE_NEAR.search(after[:25]):
                continue
            money.currency = money.currency or cur
            kind = _kind(before, after)
            if kind == "pot" and _EACH_AREA.search(clause[:start]):
                continue  # "each of the 24 wards has a fund of £6,000": a share, not the pot
            if high is not None:
                if money.amount_max is None and low is not None and high >= low:
                    money.amount_min, money.amount_max = low, high
                continue
            if kind and low is not None:
                singles.setdefault(kind, low)
                if kind == "min" and _NO_MAX_RE.search(after[:30]):
                    money.no_max = True
    if money.amount_max is None and money.amount_min is None:
        money.amount_min = singles.get("min")
        money.amount_max = None if money.no_max else singles.get("max")
        if money.amount_max and money.amount_min and money.amount_min > money.amount_max:
            money.amount_min = None
    money.total_pot = singles.get("pot")
    if money.amount_max is None and _NO_MAXIMUM_RE.search(text):
        money.no_max = True
    if money.total_pot is not None and money.amount_max is not None and money.total_pot < money.amount_max:
        money.total_pot = None
    return money


# "Grants of up to £10,000 are available", "£25,000 is available per project": what one grant
# may be, though "available" follows it as it follows a pot
_ONE_GRANT_BEFORE = re.compile(r"\b(?:grants?|awards?|bursar(?:y|ies))\s+(?:of\s+)?(?:up to\s+)?\W*$", re.I)
_PER_UNIT_AFTER = re.compile(
    r"^\W{0,3}(?:[\w,]+\s+){0,5}?(?:per|for each|each|for every)\s+(?:project|application|applicant|organisation"
    r"|group|grant|award|bid|scheme|partnership)\b",
    re.I,
)


def _kind(before: str, after: str) -> str | None:
    """What one figure is, from the words around it, nearest and strongest first: an "in total" after
    it; a cue right before it ("up to", "minimum"); "or more" after it; "is available" after it; a
    cue after it ("£500 minimum") unless that cue leads the next figure ("min £500, max £5,000")."""
    one_grant = bool(_ONE_GRANT_BEFORE.search(before))
    if _POT_AFTER.match(after):
        return "max" if one_grant or _PER_UNIT_AFTER.match(after) else "pot"
    if _MAX_BEFORE.search(before):
        return "max"
    if _MIN_BEFORE.search(before):
        return "min"
    if _MIN_AFTER.match(after):
        return "min"
    if _POT_AFTER_HINT.match(after):
        return "max" if one_grant or _PER_UNIT_AFTER.match(after) else "pot"
    cue_after = _MAX_AFTER.match(after)
    if cue_after and not _LEADS_FIGURE.match(after, cue_after.end()):
        return "max"
    if _GRANT_OF_BEFORE.search(before):
        return "max"
    if _POT_SHARED.match(after) or _POT_BEFORE.search(before) or _POT_AFTER_WEAK.match(after):
        return "pot"
    return None


# A label names the whole sum ("Total fund", "Budget"), one grant's bounds ("Maximum grant"), or
# just money ("Grant size", "Funding available"): then the value's own words say what it is.
_LABEL_POT = re.compile(
    r"\btotal|\bpot\b|\bbudget|size of (?:the )?(?:grant )?(?:scheme|fund|programme)|\bfund size"
    r"|programme value|\boverall",
    re.I,
)
_LABEL_AVAILABLE = re.compile(r"\bavailable\b", re.I)
_LABEL_MAX = re.compile(r"\bmax(?:imum)?\b|\bup to\b|\blargest\b|\bceiling\b", re.I)
_LABEL_MIN = re.compile(r"\bmin(?:imum)?\b|\bsmallest\b|\blowest\b", re.I)
_LABEL_AMOUNT = re.compile(
    r"how much|\bamount|grant size|award size|funding size|\bvalue\b|grant range|size of grant"
    r"|\bgrants? of\b|funding level|\bawards?\b",
    re.I,
)


def amounts_from_fields(fields: Mapping[str, str]) -> Money:
    """Min / max / pot from labelled values ("Maximum amount": "£750,000"). A label that names the
    whole sum or one bound decides a lone figure; under a label that only says money ("Funding
    available", "Grant size") or a question, the value's own words decide ("Up to £5,000", "£1m in
    total"), and a bare figure is a grant's ceiling (the pot, under "... available")."""
    money = Money()
    for label, value in fields.items():
        whole, available = _LABEL_POT.search(label), _LABEL_AVAILABLE.search(label)
        most, least, amount = _LABEL_MAX.search(label), _LABEL_MIN.search(label), _LABEL_AMOUNT.search(label)
        if not (whole or available or most or least or amount):
            continue
        if re.search(r"how much|\?", label) or len(_amounts(value)) > 1:
            target = "range"
        elif whole and not most:
            target = "total_pot"
        elif most:
            target = "amount_max"
        elif least:
            target = "amount_min"
        else:
            target = "range"
        if _NOT_GIVEN_RE.match(value):
            if target != "range":
                money.not_given.add(target)
            continue
        found = _amounts(value)
        if not found:
            continue
        start, end, low, high, cur = found[0]
        money.currency = money.currency or cur
        if target == "range":
            parsed = amounts_in_text(value)
            if parsed.amount_min is None and parsed.amount_max is None and parsed.total_pot is None:
                if available and not amount:
                    parsed.total_pot = low  # "Funding available: £2m"
                else:
                    parsed.amount_max = low  # a bare "Grant size: £5,000" is a ceiling
            if _NO_MAX_RE.search(value):
                parsed.amount_max, parsed.no_max = None, True
            parsed.total_pot = None if parsed.total_pot == parsed.amount_max else parsed.total_pot
            money.fill(parsed)
            money.no_max = money.no_max or parsed.no_max
        elif getattr(money, target) is None:
            setattr(money, target, high if (target == "amount_max" and high) else low)
    return money
