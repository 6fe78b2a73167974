"""Charity and company numbers in running text, as 360Giving organisation ids.

Funders print their registration in a page footer or "about" paragraph, in many wordings:
"Registered charity number 327114", "Charity No. SC012345", "Registered Charity in England
and Wales (1105851)", "Scottish Charity No: SC022910", "Company number 04530979", "a company
limited by guarantee registered in England and Wales, no. 2258197". The rules:

- A number belongs to the label just before it (at most a few joining words: "number",
  "no.", "registration", "registered in England and Wales", ":", "(" ...), so "charity number
  327114 and company number 2258197" gives one of each. A bare number with no label is
  never taken (a phone number, a postcode, a grant reference).
- Charity numbers: England and Wales 6 or 7 digits (GB-CHC-), Scotland "SC" and 6 digits
  (GB-SC-SC012345), Northern Ireland "NIC" and 6 digits or a number labelled Northern
  Ireland (GB-NIC-100123).
- Company numbers: 8 characters at Companies House, written without their leading zeros
  as often as with ("2258197" is 02258197); Scottish (SC), Northern Irish (NI), LLP (OC)
  and registered society (IP, RS) prefixes are kept (GB-COH-SC123456).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# what may sit between a label and its number
_JOIN = r"(?:\s*(?:registration|reg\.?|registered|number|numbers|num\.?|no\.?|nos\.?|is|:|,|#|\(|-|–))*\s*"
_NATION = r"(?:england(?:\s+(?:and|&)\s+wales)?|wales|scotland|northern\s+ireland)"
_PLACE = r"(?:,?(?:\s+registered)?\s+(?:in|for)\s+" + _NATION + ")?"
_CHARITY = re.compile(
    r"\b(?P<where>scottish\s+|northern\s+ireland\s+|ni\s+)?charit(?:y(?:\s+commission)?|able\s+(?:trust|organisation))"
    + _PLACE + _JOIN
    + r"(?P<num>SC\s?0?\d{5,6}|NIC\s?\d{5,6}|\d{6,7})(?![\d/])",
    re.IGNORECASE)
_COMPANY = re.compile(
    r"\b(?:compan(?:y|ies)(?:\s+limited\s+by\s+guarantee)?" + _PLACE
    + r"|registered\s+in\s+" + _NATION + r"(?:\s+as\s+a\s+company)?)"
    + r"(?:\s+(?:under|with))?" + _JOIN
    + r"(?P<num>(?:SC|NI|OC|SO|NC|IP|RS|R0)\s?\d{5,6}R?|\d{6,8})(?![\d/])",
    re.IGNORECASE)


@dataclass(frozen=True)
class FoundId:
    org_id: str  # 360Giving org id, e.g. GB-CHC-327114
    kind: str  # charity | company
    number: str  # as registered: "327114", "SC012345", "02258197"


def charity_id(number: str, where: str = "") -> str:
    """The org id of a charity number ("SC012345" is Scottish; `where` names the register)."""
    n = re.sub(r"\s", "", number).upper()
    if n.startswith("SC"):
        return f"GB-SC-{n}"
    if n.startswith("NIC"):
        return f"GB-NIC-{n[3:]}"
    if where.strip().lower() in ("northern ireland", "ni"):
        return f"GB-NIC-{n}"
    return f"GB-CHC-{n}"


def company_id(number: str) -> str:
    """The org id of a company number, zero-padded to Companies House's 8 characters."""
    n = re.sub(r"\s", "", number).upper()
    prefix = n[:2] if n[:2].isalpha() else ""
    digits = n[len(prefix):]
    return f"GB-COH-{prefix}{digits.zfill(8 - len(prefix))}"


def find_ids(text: str) -> list[FoundId]:
    """Every charity and company number stated in the text, in order, each once."""
    found: list[tuple[int, FoundId]] = []
    for m in _CHARITY.finditer(text):
        where = " ".join((m.group("where") or "").split())
        num = re.sub(r"\s", "", m.group("num")).upper()
        found.append((m.start("num"), FoundId(charity_id(num, where), "charity", num)))
    taken = {pos for pos, _ in found}
    for m in _COMPANY.finditer(text):
        if m.start("num") in taken:  # "charitable company number 123" is the charity's
            continue
        org = company_id(m.group("num"))
        found.append((m.start("num"), FoundId(org, "company", org.removeprefix("GB-COH-"))))
    out: list[FoundId] = []
    for _, f in sorted(found, key=lambda pair: pair[0]):
        if f not in out:
            out.append(f)
    return out
