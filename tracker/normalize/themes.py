"""Themes (vocabulary theme keys) from the words a community-safety officer would use.

`THEME_TERMS` maps each theme to regex fragments; `themes_in(text)` returns the
themes named in any text (call pages, or a need's description for matching).
"""

from __future__ import annotations

import re
from functools import lru_cache

THEME_TERMS: dict[str, tuple[str, ...]] = {
    "community_safety": (
        r"community safety",
        r"safer (?:communities|neighbourhoods|places|streets|spaces)",
        r"feel(?:s|ing)? safer?",
        r"safe people feel",
        r"public safety",
        r"public spaces?",
        r"patrols",
        r"public confidence",
        r"(?<!road )(?<!fire )(?<!water )(?<!online )safety",
        r"make (?:their|the|your) (?:area|community)"
        r" safer",
        r"keep(?:ing)? (?:people|communities) safe",
    ),
    "crime_prevention": (
        r"crime prevention",
        r"prevent(?:s|ing)? crime",
        r"reduc(?:e|es|ing) crime",
        r"cut crime",
        r"crime and disorder",
        r"neighbourhood crime",
        r"(?:re|repeat )-?offending",
        r"burglary",
        r"theft",
        r"rural crime",
        r"acquisitive crime",
        r"bring crime down",
        r"away from crime",
        r"alternatives? to crime",
        r"tackl(?:e|ing) crime",
        r"preventing offending",
        r"crime reduction",
        r"criminal justice",
        r"diversion(?:ary)?",
        r"prevent crime",
        r"restorative justice",
        r"out-of-court",
        r"cautions?\b",
        r"\w+-related crime",
        r"youth justice",
        r"offenders?",
        r"offences",
        r"law and order",
        r"proceeds of crime",
    ),
    "serious_violence": (
        r"serious violence",
        r"knife crime",
        r"knives?",
        r"weapons?",
        r"violent crime",
        r"violence reduction",
        r"\bVRU\b",
        r"gang(?:s|-related)? violence",
        r"youth violence",
        r"stabbings?",
        r"homicide",
        r"(?<!domestic )(?<!sexual )violence(?! against)",
    ),
    "organised_crime": (
        r"organised crime",
        r"county lines",
        r"\bOCGs?\b",
        r"criminal (?:networks|groups|gangs)",
        r"drug (?:supply|dealing|dealers|networks|markets)",
        r"dealers",
        r"illicit",
        r"clear, hold,? build",
        r"serious and organised",
    ),
    "drugs_alcohol": (
        r"drugs?",
        r"alcohol",
        r"substance (?:mis)?use",
        r"harm reduction",
        r"addiction",
        r"county lines",
    ),
    "youth": (
        r"young (?:people|person|adults)",
        r"youth",
        r"children",
        r"teenagers?",
        r"children and young",
        r"aged 1\d",
        r"youngsters",
        r"juvenile",
        r"adolescen",
    ),
    "antisocial_behaviour": (
        r"anti-?social behaviour",
        r"\bASB\b",
        r"nuisance",
        r"graffiti",
        r"vandalism",
        r"fly-?tipping",
        r"criminal damage",
        r"disorder(?!s)",
    ),
    "vawg": (
        r"violence against women(?: and girls)?",
        r"\bVAWG\b",
        r"women and girls",
        r"night-?time economy",
        r"nights? out",
        r"sexual (?:violence|assault|harassment|abuse)",
        r"stalking",
        r"\bISVAs?\b",
        r"\bIDVAs?\b",
        r"safety of women",
        r"domestic (?:abuse|violence)",
        r"harassment",
        r"coercive control",
        r"spiking",
    ),
    "domestic_abuse": (
        r"domestic (?:abuse|violence)",
        r"coercive control",
        r"\bIDVAs?\b",
        r"perpetrators?",
        r"abusive relationships?",
        r"refuges?",
    ),
    "victims": (
        r"victims? (?:and|&) witness",
        r"victim support",
        r"support(?:ing)? (?:for )?victims",
        r"victim services",
        r"restorative justice",
        r"victims of (?:crime|hate crime|abuse)",
        r"witness support",
        r"victim-centred",
        r"harmed by crime",
    ),
    "exploitation": (
        r"exploit(?:ation|ed)",
        r"cuckooing",
        r"modern slavery",
        r"trafficking",
        r"county lines",
        r"\bC[CS]E\b",
        r"grooming",
        r"homes? (?:taken over|takeovers?)",
        r"taken over by (?:drug )?dealers",
    ),
    "community_cohesion": (
        r"cohesion",
        r"integration",
        r"bring(?:s|ing)? (?:\w+ ){0,2}together",
        r"hate crime",
        r"resilien(?:t|ce)",
        r"connect(?:s|ing)? people",
        r"loneliness",
        r"isolation",
        r"volunteer(?:ing|s)?",
        r"trust (?:between|in)",
        r"build trust",
        r"get to know",
        r"community engagement",
        r"engag(?:e|ing) (?:with )?(?:the )?communit",
        r"extremism",
        r"radicalisation",
        r"pride in",
    ),
    "situational_prevention": (
        r"\bCCTV\b",
        r"(?:street )?lighting",
        r"alley-?gat(?:ing|es)",
        r"\bgating\b",
        r"target[- ]harden(?:ing|ed)?",
        r"designing out crime",
        r"secured? by design",
        r"property marking",
        r"security measures",
        r"trail cameras",
        r"gates and barriers",
        r"locks",
        r"situational",
    ),
    "road_safety": (
        r"road safety",
        r"speeding",
        r"speed (?:indicator|watch|cameras?)",
        r"speedwatch",
        r"road (?:collisions|traffic|users)",
        r"traffic",
        r"drink-?driving",
        r"safer roads",
    ),
    "sport_physical_activity": (
        r"sports?",
        r"physical(?:ly)? activ(?:e|ity)",
        r"get(?:ting)? (?:people )?"
        r"(?:active|moving)",
        r"(?:more|less|people|stay|keep) active",
        r"exercise",
        r"inactive",
        r"active lives",
    ),
    "arts_culture": (
        r"\barts?\b",
        r"cultur(?:e|al)",
        r"creative",
        r"museums?",
        r"libraries",
        r"music",
        r"theatre",
        r"artists?",
    ),
    "heritage": (r"heritage", r"historic", r"listed buildings?"),
    "health_wellbeing": (
        r"health(?!y competition)",
        r"well-?being",
        r"mental health",
        r"healthy",
        r"illness",
        r"end of life",
        r"loneliness",
        r"hospitals?",
        r"\bA&E\b",
        r"emergency departments?",
        r"inactive",
        r"less active",
        r"drug-related deaths",
    ),
    "housing_homelessness": (
        r"housing",
        r"homeless(?:ness)?",
        r"rough sleep",
        r"warm (?:spaces|homes)",
        r"fuel poverty",
        r"tenancy",
        r"winter warmth",
    ),
    "employment_skills": (
        r"employment",
        r"employability",
        r"\bskills\b",
        r"\bjobs?\b",
        r"apprenticeships?",
        r"into work",
        r"vocational",
    ),
    "education": (r"education(?!al needs)", r"schools? (?:pupils|curriculum)", r"pupils", r"literacy"),
    "environment_climate": (
        r"environment(?:al)?",
        r"climate",
        r"\bnature\b",
        r"green spaces?",
        r"carbon",
        r"biodiversity",
        r"net zero",
        r"sustainab",
    ),
    "research_innovation": (
        r"research",
        r"innovation",
        r"fellowships?",
        r"evidence base",
        r"researchers",
        r"innovative",
    ),
    "business_growth": (
        r"business (?:growth|support)",
        r"exports?(?:ing)?",
        r"\bSMEs?\b",
        r"trade\b",
        r"productivity",
        r"enterprises? to grow",
    ),
}
_CASED = re.compile(r"\\b[A-Z]")  # fragments written in capitals (ASB, CCTV) match case-sensitively


def _group(terms: list[str]) -> str:
    return "|".join(sorted(terms, key=len, reverse=True))


@lru_cache(maxsize=1)
def _scanner() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One pass over the text finds candidate terms; `_themes_of` says which themes each belongs to."""
    terms = [t for ts in THEME_TERMS.values() for t in ts]
    plain = [t for t in terms if not _CASED.match(t)]
    cased = [t for t in terms if _CASED.match(t)]
    return re.compile(rf"\b(?:{_group(plain)})"), re.compile(_group(cased))


@lru_cache(maxsize=1)
def _theme_res() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (theme, re.compile("|".join(f"(?:{t})" for t in terms), 0 if all(_CASED.match(t) for t in terms) else re.I))
        for theme, terms in THEME_TERMS.items()
    ]


@lru_cache(maxsize=4096)
def _themes_of(term: str) -> tuple[str, ...]:
    return tuple(theme for theme, rx in _theme_res() if rx.fullmatch(term))


def theme_hits(text: str) -> dict[str, int]:
    """How often each theme's terms occur in `text`."""
    counts: dict[str, int] = {}
    plain, cased = _scanner()
    for rx, haystack in ((plain, text.lower()), (cased, text)):
        for m in rx.finditer(haystack):
            for theme in _themes_of(m.group()):
                counts[theme] = counts.get(theme, 0) + 1
    return counts


def themes_in(text: str) -> list[str]:
    """Theme keys named in `text`, most mentioned first."""
    counts = theme_hits(text)
    return sorted(counts, key=lambda t: -counts[t])
