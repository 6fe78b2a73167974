"""Words a community-safety officer uses, mapped onto vocabulary themes.

`themes_in(text)` prefers the normaliser's table (tracker.normalize.themes) when it exists
and always adds this small matching-side table, so needs written in plain prose
("knife crime", "cuckooing", "county lines") still reach the right themes.
"""

from __future__ import annotations

import re
from functools import lru_cache

SYNONYMS: dict[str, tuple[str, ...]] = {
    "serious_violence": (
        "serious violence", "knife crime", "knife", "knives", "weapon", "stabbing", "violent crime",
        "violence reduction", "gun crime", "homicide", "assault",
    ),
    "organised_crime": (
        "organised crime", "county lines", "gang", "gangs", "drug dealing", "dealer", "dealers",
        "drug market", "illicit", "clear hold build", "ocg",
    ),
    "exploitation": (
        "exploitation", "exploited", "exploit", "cuckooing", "cuckooed", "groomed", "grooming",
        "modern slavery", "trafficking", "take advantage", "criminal exploitation", "cse", "cce",
    ),
    "drugs_alcohol": (
        "drug", "drugs", "alcohol", "substance misuse", "addiction", "addictions", "street drinking",
        "street drinkers", "harm reduction", "treatment service", "naloxone",
    ),
    "youth": (
        "young people", "young person", "youth", "teenager", "teenagers", "teenage", "adolescent",
        "adolescents", "year olds", "youth work", "youth worker", "youth workers", "detached youth",
        "diversion", "mentoring",
    ),
    "antisocial_behaviour": (
        "anti social behaviour", "antisocial behaviour", "asb", "nuisance", "begging", "graffiti",
        "fly tipping", "dumped rubbish", "vandalism", "street drinking", "hotspot", "hotspots",
    ),
    "vawg": (
        "violence against women", "women and girls", "vawg", "night time economy", "nights out",
        "night out", "walking home", "spiking", "sexual harassment", "women feel safe",
    ),
    "domestic_abuse": ("domestic abuse", "domestic violence", "coercive control", "stalking", "idva"),
    "victims": ("victim", "victims", "witness", "witnesses", "victim support", "restorative justice"),
    "community_cohesion": (
        "cohesion", "hate crime", "hate incident", "hate incidents", "integration", "belong",
        "belonging", "trust each other", "tensions", "faith groups", "mosques", "churches",
        "resilient communities", "community resilience", "community engagement", "community hub",
        "residents groups", "community languages", "neighbours",
    ),
    "situational_prevention": (
        "cctv", "cameras", "camera", "lighting", "street lights", "street lighting", "gates", "gating",
        "alley gating", "alleygates", "target hardening", "designing out crime", "lockable",
    ),
    "crime_prevention": (
        "crime prevention", "prevent crime", "burglary", "burglaries", "reoffending",
        "repeat offending", "crime reduction", "crime and disorder", "neighbourhood crime", "theft",
    ),
    "community_safety": (
        "community safety", "safer communities", "feel safe", "feel safer", "patrols",
        "safety partnership", "safer neighbourhoods",
    ),
    "road_safety": ("road safety", "speeding", "speedwatch", "speed watch", "road collisions"),
    "sport_physical_activity": ("sport", "sports", "physical activity", "football", "boxing"),
    "arts_culture": ("arts", "culture", "creative", "theatre", "music", "artists"),
    "heritage": ("heritage", "museum", "historic"),
    "health_wellbeing": (
        "mental health", "wellbeing", "well being", "nhs", "hospital", "learning disabilities",
        "public health",
    ),
    "housing_homelessness": (
        "housing", "homeless", "homelessness", "rough sleeping", "rough sleepers", "landlord",
        "landlords", "tenancy",
    ),
    "employment_skills": ("employment", "employability", "jobs", "apprenticeships", "skills"),
    "education": ("school", "schools", "education", "pupils", "teachers", "excluded from school"),
    "environment_climate": ("environment", "climate", "nature", "green space", "biodiversity"),
    "research_innovation": ("research", "innovation", "fellowship", "fellowships"),
    "business_growth": ("business growth", "sme", "smes", "export", "exporting"),
}


_WORD = re.compile(r"[a-z0-9&]+")


def _norm_words(text: str) -> list[str]:
    text = text.casefold().replace("’", "'").replace("'s", "s").replace("'", "")
    return _WORD.findall(text)


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict[tuple[str, ...], list[str]], dict[str, int]]:
    """Each phrase (as words) with the themes it names, and per first word the most words a
    phrase starting with it has."""
    owners: dict[tuple[str, ...], list[str]] = {}
    for theme, phrases in SYNONYMS.items():
        for phrase in phrases:
            owners.setdefault(tuple(_norm_words(phrase)), []).append(theme)
    longest: dict[str, int] = {}
    for words in owners:
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return owners, longest


def _local_themes(texts: list[str]) -> list[list[str]]:
    """This table's themes in each text, first mention first. Phrases are read word by word
    from the left, the longest phrase at a word first, and a word is read once ("knife crime"
    is serious violence, not also a knife)."""
    owners, longest = _phrases()
    out = []
    for text in texts:
        words = _norm_words(text)
        found: dict[str, None] = {}
        n, free = len(words), 0  # free: the first word not read as part of a phrase yet
        for i in [i for i, w in enumerate(words) if w in longest]:  # only words a phrase starts with
            if i < free:
                continue
            for k in range(min(longest[words[i]], n - i), 0, -1):
                themes = owners.get(tuple(words[i:i + k]))
                if themes:
                    for theme in themes:
                        found.setdefault(theme, None)
                    free = i + k
                    break
        out.append(list(found))
    return out


def themes_in(text: str) -> list[str]:
    """Vocabulary theme keys named or implied in free text, first mention first."""
    return themes_in_many([text])[0]


def themes_in_many(texts: list[str]) -> list[list[str]]:
    """`themes_in` of each text (one pass over them all: much faster for many short texts)."""
    out = [dict.fromkeys(local) for local in _local_themes(texts)]
    try:  # the normaliser's table, when that module exists
        from tracker.normalize.themes import themes_in_many as normalizer_themes_in_many
    except ImportError:
        return [list(found) for found in out]
    for found, themes in zip(out, normalizer_themes_in_many(texts), strict=True):
        for theme in themes:
            found.setdefault(theme, None)
    return [list(found) for found in out]
