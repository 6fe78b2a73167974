"""Areas (gazetteer area names, through aliases) where a call is open.

Area names of the UK gazetteer are matched case-sensitively as whole words, longest
first ("East Cambridgeshire" before "Cambridgeshire"), with one precompiled regex.
Names inside organisation names ("Cambridgeshire Constabulary", "Peterborough City
Council", "Commissioner for Cambridgeshire", "Sport England") do not count, unless
followed by "area" ("the Peterborough City Council area").
Areas after "excluding" / "except", or in a sentence saying they are not eligible, are
exclusions: a listed area with excluded parts becomes its other parts.
When both an area and a place inside it are named, the wider area is kept; when
every part of a county or region is named, the county or region is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from tracker.normalize.orgs import FLIP_WORDS, NEG_APPLY
from tracker.vocab import Vocabulary, load_vocabulary

# an area's name that ends like this names an organisation, unless "area" etc. follows
_ORG_NAME = re.compile(r"\b(?:Council|Constabulary|Police|Authority|CA|CCA|MCA)$")
_PLACE_AFTER = re.compile(r"^(?:'s)?\s*(?:area|boundar|district|footprint)", re.I)
# place names that are also common words count only after a word that introduces a place
_COMMON_WORDS = frozenset({"Reading", "Hart", "Rugby", "Bury", "Boston", "Melton", "Wyre", "Swale", "Rother",
                           "Arun", "Halton",
                           "Angus", "Highland", "GB", "NI"})
# (a word that carves a place out of the area introduces a place too: "Leicestershire but not Melton")
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|of|across|to|within|throughout|covering|from|and|or|but not|excluding"
                           r"|except(?: for)?|apart from|other than|outside(?: of)?)|,)\s+(?:the\s+)?$")
_LIST_AFTER = re.compile(r"\s*(?:,|and|or|&)\s+(?:the\s+)?[A-Z][a-z]")
# kinds that are a union of nations or an administrative overlay: stated as their parts
_SPLIT_KINDS = frozenset({"country_group"})
_ROLL_UP_KINDS = frozenset({"ceremonial_county", "region", "nation"})
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
    # "Community Foundation for Staffordshire", "the Trust for Surrey": who runs it, not where it is open
    r"|Foundation for|Trust for"
    # "funded by the UK Shared Prosperity Fund": the name of who pays, not where the call is open
    r"|(?:funded|supported|financed|backed|paid for) (?:by|through|from)(?: the)?)\s+$"
)
# the words that turn what follows against the sentence's predicate (shared with who may apply),
# and a sentence that says its places may not apply ("we cannot fund projects in Norwich")
_EXCEPT = re.compile(rf"\b(?:{FLIP_WORDS}|outside(?: of)?|but not)\b", re.I)
_NOT_ELIGIBLE = re.compile(rf"{NEG_APPLY.pattern}|\bnot (?:covered|included)\b|\bnot cover\b", re.I)
# "the area covered by Dorset Police", "communities served by Kent County Council": the organisation's area
_SERVED = re.compile(r"\b(?:area|areas|communities|places|county|district)\s+(?:covered|served|policed)\s+by\s+"
                     r"(?:the\s+)?(?P<org>(?:[A-Z][\w'&-]*\s+(?:and\s+)?)+?(?:Police|Constabulary|Council))\b")
# no place but the whole world: the widest area the gazetteer has
_WORLD = re.compile(r"\b(?:anywhere|any country) in the world\b|\bworld-?wide\b|\b(?:across|around) the world\b", re.I)
_OUTSIDE_BEFORE = re.compile(r"\boutside(?: of)?(?: the)?\s*$", re.I)
_WIDEST = "United Kingdom"
_NATIONAL = re.compile(r"^\W*(?:national(?:ly)?|nation-?wide|all (?:of the )?uk|uk|whole of the uk)\W*$", re.I)
AREA_LABEL = re.compile(
    r"^\W*(?:location|area|areas|region|where|geograph|coverage|country|countries|eligible area"
    r"|area of benefit|available in|open to (?:applicants|groups) in)",
    re.I,
)


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    names = load_vocabulary().gazetteer.text_names
    # "St Helens" is also written "St. Helens"
    alternation = "|".join(re.escape(n).replace(r"St\ ", r"St\.?\ ") for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternation})(?![\w-])"), names


def lookup(name: str) -> str | None:
    """The area name for exactly this place name as written in text (the precompiled matcher)."""
    rx, names = _matcher()
    m = rx.fullmatch(name.strip())
    return _name(m.group(), names) if m else None


def _name(written: str, names: dict[str, str]) -> str:
    return names.get(written) or names[written.replace("St. ", "St ")]


def mentions(text: str, *, org_filter: bool = True) -> list[tuple[int, str]]:
    """(position, area name) for each area named in `text`."""
    rx, names = _matcher()
    out = []
    for m in rx.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        # a place that is also a word counts where a place is meant: after "in", "across" ..., in a list
        # of places ("Halton and Warrington"), or alone as a labelled value
        if m.group() in _COMMON_WORDS and not (_PLACE_BEFORE.search(before) or _LIST_AFTER.match(text[m.end():])
                                               or (not org_filter and not before.strip())):
            continue
        after = text[m.end() : m.end() + 30]
        if org_filter and (
            _ORG_AFTER.match(after)
            or _ORG_BEFORE.search(before)
            or (_ORG_NAME.search(m.group()) and not _PLACE_AFTER.match(after))
        ):
            continue
        out.append((m.start(), _name(m.group(), names)))
    return out


def _served(sentence: str) -> list[tuple[int, str]]:
    """The areas of the organisations a sentence says the call's area is covered or served by."""
    out = []
    for m in _SERVED.finditer(sentence):
        org = m["org"]
        while org:  # "Dorset Police", else the name without its leading words ("the Dorset Police")
            area = lookup(f"{org} area") or lookup(org)
            if area:
                out.append((m.start("org"), area))
                break
            org = org.partition(" ")[2]
    return out


def _sentences(text: str) -> Iterable[str]:
    return (s for s in re.split(r"(?<=[.!?;])(?<!\bSt\.)\s+|\n", text) if s.strip())  # "St. Helens"


def areas_in(text: str, *, org_filter: bool = True) -> tuple[list[str], list[str]]:
    """(areas, excluded areas) named in `text`, in order of appearance."""
    found: list[str] = []
    excluded: list[str] = []
    for sentence in _sentences(text):
        served = _served(sentence)
        spans = [(m.start("org"), m.end("org")) for m in _SERVED.finditer(sentence)] if served else []
        hits = [h for h in mentions(sentence, org_filter=org_filter) if not any(a <= h[0] < b for a, b in spans)]
        hits = sorted(hits + served)
        if not hits and _WORLD.search(sentence):
            found.append(_WIDEST)
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
    found = _roll_up([a for a in dict.fromkeys(found) if a not in excluded], vocab)
    # keep the widest; of two names for the same land, the first written
    widest = [a for i, a in enumerate(found) if not any(
        o != a and o in vocab.ancestors(a) and (not vocab.gazetteer.same_land(a, o) or j < i)
        for j, o in enumerate(found))]
    out: list[str] = []
    for area in widest:
        out.extend(_stated(area, vocab) if not excluded else _without(area, excluded, vocab, split=False))
    return list(dict.fromkeys(out))


def _kind(area: str, vocab: Vocabulary) -> str:
    got = vocab.gazetteer.by_name.get(area)
    return got.kind if got else ""


def _stated(area: str, vocab: Vocabulary) -> list[str]:
    """England and Wales, Great Britain: stated as their nations (the same places)."""
    if _kind(area, vocab) in _SPLIT_KINDS:
        return [n for child in vocab.children(area) for n in _stated(child, vocab)]
    return [area]


def _roll_up(found: list[str], vocab: Vocabulary) -> list[str]:
    """Every part of a county, region or nation named: the county, region or nation."""
    have = set(found)
    candidates = {p for a in found for p in vocab.ancestors(a) if p not in have}
    for area in sorted(candidates, key=lambda a: len(vocab.gazetteer.descendants(a))):
        if _kind(area, vocab) not in _ROLL_UP_KINDS:
            continue
        parts = vocab.children(area)
        if len(parts) > 1 and all(p in have or _covered(p, have, vocab) for p in parts):
            found.append(area)
            have.add(area)
    return found


def _covered(area: str, have: set[str], vocab: Vocabulary) -> bool:
    parts = vocab.children(area)
    return bool(parts) and all(p in have or _covered(p, have, vocab) for p in parts)


def _without(area: str, excluded: set[str], vocab: Vocabulary, split: bool) -> list[str]:
    if not any(area in vocab.ancestors(x) for x in excluded if x != area):
        # the rest of a split county: its districts, not the county council's area
        if split and _kind(area, vocab) == "county_council":
            return vocab.children(area)
        return _stated(area, vocab)
    parts: list[str] = []
    for child in vocab.children(area):
        if child not in excluded:
            parts.extend(_without(child, excluded, vocab, split=True))
    return parts


def areas_from_fields(fields: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(areas, excluded) from labelled values ("Location": "England, Wales")."""
    found: list[str] = []
    excluded: list[str] = []
    for label, value in fields.items():
        if AREA_LABEL.match(label):
            if _NATIONAL.match(value):  # "Area: National" (in prose, "national" names too much else)
                found.append(_WIDEST)
                continue
            got, ex = areas_in(value, org_filter=False)
            found += got
            excluded += ex
    return found, excluded
