"""Areas (vocabulary area keys, through aliases) where a call is open.

Area names are matched case-sensitively as whole words, longest first ("East
Cambridgeshire" before "Cambridgeshire"). Names inside organisation names
("Cambridgeshire Constabulary", "Commissioner for Cambridgeshire", "Sport England")
do not count. Areas after "excluding" / "except", or in a sentence saying they are
not eligible, are exclusions: a listed area with excluded parts becomes its other parts.
When both an area and a place inside it are named, the wider area is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from tracker.vocab import Vocabulary, load_vocabulary

_EXTRA_ALIASES = {
    "UK-wide": "United Kingdom",
    "UK wide": "United Kingdom",
    "Cambridge city": "Cambridge",
    "Cambridge City": "Cambridge",
    "across the UK": "United Kingdom",
}
_ORG_AFTER = re.compile(
    # "the Peterborough City Council area" is a place, not an organisation
    r"^(?:'s)?\s*(?:City |County |District |Borough )?(?:Council(?!'?s? (?:area|boundar|district))"
    r"|Constabulary|Police|Fire|Community Foundation"
    r"|Foundation|Partnership|Commissioner|Hospitals?|University|College|Trust|Road|Street|Way|Avenue|Lane"
    r"|Airport|Chamber|Wildlife|Museum|Library|Football|Rugby|County Cricket|NHS|Integrated Care)\b"
)
_ORG_BEFORE = re.compile(
    r"(?:Commissioner(?:'s)? for|Commissioner of|Sport|Council|Historic|Natural|Public Health|NHS|Safer|Bank of"
    r"|Visit|Active|New"
    # "funded by the UK Shared Prosperity Fund": the name of who pays, not where the call is open
    r"|(?:funded|supported|financed|backed|paid for) (?:by|through|from)(?: the)?)\s+$"
)
_EXCEPT = re.compile(r"\b(?:excluding|except(?: for| in)?|other than|apart from|outside(?: of)?|but not)\b", re.I)
_NOT_ELIGIBLE = re.compile(
    r"\b(?:not eligible|ineligible|not (?:open|available) to|cannot apply|can't apply"
    r"|are not (?:covered|included)|not cover)\b",
    re.I,
)
_OUTSIDE_BEFORE = re.compile(r"\boutside(?: of)?(?: the)?\s*$", re.I)
AREA_LABEL = re.compile(
    r"^\W*(?:location|area|areas|region|where|geograph|coverage|country|countries|eligible area"
    r"|area of benefit|available in|open to (?:applicants|groups) in)",
    re.I,
)


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    vocab = load_vocabulary()
    names = {a: a for a in vocab.parents} | dict(vocab.aliases) | _EXTRA_ALIASES
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternation})(?!\w)"), names


def mentions(text: str, *, org_filter: bool = True) -> list[tuple[int, str]]:
    """(position, area key) for each area named in `text`."""
    rx, names = _matcher()
    out = []
    for m in rx.finditer(text):
        if org_filter and (
            _ORG_AFTER.match(text[m.end() : m.end() + 30])
            or _ORG_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
        ):
            continue
        out.append((m.start(), names[m.group()]))
    return out


def _sentences(text: str) -> Iterable[str]:
    return (s for s in re.split(r"(?<=[.!?;])\s+|\n", text) if s.strip())


def areas_in(text: str, *, org_filter: bool = True) -> tuple[list[str], list[str]]:
    """(areas, excluded areas) named in `text`, in order of appearance."""
    found: list[str] = []
    excluded: list[str] = []
    for sentence in _sentences(text):
        hits = mentions(sentence, org_filter=org_filter)
        if not hits:
            continue
        if _NOT_ELIGIBLE.search(sentence):
            for pos, area in hits:  # "projects outside Norfolk are not eligible" names the area
                (found if _OUTSIDE_BEFORE.search(sentence[:pos]) else excluded).append(area)
            continue
        cut = _EXCEPT.search(sentence)
        for pos, area in hits:
            (excluded if cut and pos > cut.start() else found).append(area)
    return list(dict.fromkeys(found)), list(dict.fromkeys(excluded))


def resolve(found: Iterable[str], excluded: Iterable[str] = (), vocab: Vocabulary | None = None) -> list[str]:
    """Keep the widest areas; split an area that has excluded parts into its other parts."""
    vocab = vocab or load_vocabulary()
    excluded = set(excluded)
    found = [a for a in dict.fromkeys(found) if a not in excluded]
    widest = [a for a in found if not any(o != a and o in vocab.ancestors(a) for o in found)]
    out: list[str] = []
    for area in widest:
        out.extend(_without(area, excluded, vocab))
    return list(dict.fromkeys(out))


def _without(area: str, excluded: set[str], vocab: Vocabulary) -> list[str]:
    if not any(area in vocab.ancestors(x) for x in excluded if x != area):
        return [area]
    parts: list[str] = []
    for child in vocab.children(area):
        if child not in excluded:
            parts.extend(_without(child, excluded, vocab))
    return parts


def areas_from_fields(fields: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(areas, excluded) from labelled values ("Location": "England, Wales")."""
    found: list[str] = []
    excluded: list[str] = []
    for label, value in fields.items():
        if AREA_LABEL.match(label):
            got, ex = areas_in(value, org_filter=False)
            found += got
            excluded += ex
    return found, excluded
