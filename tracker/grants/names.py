"""Organisation names as a matching key: the same funder written by different people.

The rule (``name_key``), in order:

1. Unicode folded to plain letters and case-folded ("Esmée" and "ESMEE" both give "esmee").
2. "&" and "+" become the word "and" ("Tyne & Wear" = "Tyne and Wear").
3. Apostrophes and full stops are dropped without a space ("Guy's" = "Guys",
   "C.I.O." = "CIO", "St. Thomas" = "St Thomas"); every other punctuation mark is a space.
4. A leading "the" is dropped ("The Tudor Trust" = "Tudor Trust").
5. Trailing legal forms are dropped, repeatedly: Ltd, Limited, PLC, CIO, SCIO, CIC, LLP, Inc,
   Incorporated, Cyf/Cyfyngedig (Welsh "Ltd"), "Community Interest Company", "Charitable
   Incorporated Organisation" ("Access Ltd (CIO)" = "Access").

Words that tell organisations apart are kept: Trust, Charitable Trust, Foundation, Fund,
Charity, Council, Community, and the word "and" itself. "Joseph Rowntree Charitable Trust",
"Joseph Rowntree Foundation" and "Joseph Rowntree Reform Trust" are three different funders,
and stripping "Charitable Trust" or "Foundation" would merge them.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first, as word lists, so "community interest company" is taken before "company"
# would be (and plain "company" is not a legal form here: "The Company of Mercers" keeps it).
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(sorted((
    ("ltd",), ("limited",), ("plc",), ("cio",), ("scio",), ("cic",), ("llp",), ("inc",),
    ("incorporated",), ("cyf",), ("cyfyngedig",),
    ("community", "interest", "company"),
    ("charitable", "incorporated", "organisation"),
    ("charitable", "incorporated", "organization"),
), key=len, reverse=True))

_DROP = re.compile(r"[\u2019\u2018'`.]")
_SPACE = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """The matching key of an organisation's name (see the module's rule); "" for a blank name."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ").replace("+", " and ")
    text = _DROP.sub("", text)
    words = _SPACE.sub(" ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    stripped = True
    while stripped:
        stripped = False
        for form in _LEGAL_FORMS:
            # keep at least one word: a company called "Limited" is still named
            if len(words) > len(form) and tuple(words[-len(form):]) == form:
                words = words[:-len(form)]
                stripped = True
                break
    return " ".join(words)
