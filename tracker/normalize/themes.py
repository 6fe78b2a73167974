"""Themes (vocabulary theme keys) from the words a community-safety officer would use.

`THEME_TERMS` maps each theme to regex fragments; `themes_in(text)` returns the
themes named in any text (call pages, or a need's description for matching).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import pairwise

THEME_TERMS: dict[str, tuple[str, ...]] = {
    "community_safety": (
        r"community safety",
        r"safer (?:communities|neighbourhoods|places|spaces)",
        r"feel(?:s|ing)? safer?",
        r"safe people feel",
        r"public safety",
        r"public spaces?",
        r"patrols",
        r"public confidence",
        # not the safety of a group another theme covers, in either form ("safety of women", "women's safety")
        r"(?<!road )(?<!fire )(?<!water )(?<!online )(?<!victim )(?<!women's )(?<!women’s )(?<!girls' )(?<!girls’ )"
        r"(?<!children's )(?<!children’s )safety(?! of (?:victims|children|women|girls))",
        # "make X safer" says what "safer X" says, for any place X
        r"mak(?:e|es|ing) (?:[\w'’-]+ ){0,4}?(?:areas?|communit(?:y|ies)|streets|parks|neighbourhoods?|places|spaces"
        r"|town centres?|estates?) safer",
        r"keep(?:ing)? (?:people|communities) safe",
        r"(?:get|gets|getting|walk|walking|travel|journeys?) home safe(?:ly|r)?",
        r"look(?:s|ing)? out for (?:each other|one another|their neighbours|neighbours)",
        r"(?:local|community) tensions?",
    ),
    "crime_prevention": (
        r"crime prevention",
        # a verb of preventing or reducing with crime as its object
        r"(?:prevent|reduc|cut|tackl|stop|fight|deter|combat)\w* crime",
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
        r"preventing offending",
        r"crime reduction",
        r"criminal justice",
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
        r"(?<!domestic )(?<!sexual )violence(?! against| in (?:\w+ )?relationships)",
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
        r"(?<!and )(?<!their )children",  # "adults and children" names who else is protected
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
        r"girls and (?:young )?women",
        r"safety of (?:girls|women)",
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
        r"relationship abuse",
        r"abuse in (?:\w+ ){0,2}relationships",
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
        r"survivors",
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
        r"stronger communities",
        r"integration",
        r"bring(?:s|ing)? (?:[\w'’-]+ ){0,2}together",
        r"hate (?:crime|incidents?)",
        r"resilien(?:t|ce)",
        r"connect(?:s|ing)? people",
        r"isolation",
        # not "volunteer training" (a cost), nor volunteering listed as a route into work
        r"(?<!work or )(?<!work, )(?<!training or )(?<!training, )(?<!employment or )volunteering|volunteers\b"
        r"|to volunteer\b",
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
        r"safer roads|mak(?:e|es|ing) (?:[\w'’-]+ ){0,3}?roads safer",
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
        r"football|basketball|boxing|cricket|rugby|netball|swimming|athletics|martial arts|multi-sports?",
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
        r"health(?!y competition| (?:services?|bodies|body|boards?|partners|professionals|staff|visitors))",
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
        r"warm (?:spaces|homes)",
        r"hot meals?",
        r"fuel poverty",
    ),
    "housing_homelessness": (
        r"housing(?! (?:associations?|providers?|officers?|teams?|staff))",
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
        r"(?:employment|employability|work|job|vocational|digital|basic|life|work-?ready) skills",
        r"skills (?:training|for work|development|gaps?|bootcamps?)",
        r"\bjobs\b",
        r"\bjob (?:seekers?|search|clubs?|opportunities|creation|ready)",
        r"apprenticeships?",
        r"into work",
        r"(?:into|towards) (?:training|education|employment)(?: and| or|,) (?:work|employment)",
        r"employment support",
        r"vocational",
    ),
    "education": (
        r"education(?!al needs)", r"schools? (?:pupils|curriculum)", r"pupils", r"literacy",
        # learning as what a project improves or restores, not what a funder shares ("share learning")
        r"(?:catch(?:es|ing)? up (?:with|on)|improv(?:e|es|ing)|support(?:s|ing)?|boost(?:s|ing)?|enrich(?:es|ing)?)"
        r" (?:(?:their|children's|children’s|pupils'|pupils’|lost)\s+)?learning",
    ),
    "environment_climate": (
        r"(?<!physical )(?<!built )(?<!safe )(?<!learning )(?<!working )environment(?:al)?",
        r"climate",
        r"\bnature\b",
        r"green spaces?",
        r"carbon",
        r"biodiversity",
        r"net zero",
        r"sustainab",
    ),
    "research_innovation": (
        r"research (?:and innovation|projects?|grants?|fellowships?|council|institut\w*|programmes?"
        r"|proposals?|funding|bodies|studies|questions?|partners?|capacity|excellence)",
        r"(?:policy|applied|academic|independent|original|scientific|criminological) research",
        # research as the way the work is done
        r"(?:through|carry(?:ing)? out|conduct(?:s|ing)?|commission(?:s|ing)?|undertak(?:e|es|ing)) research\b",
        r"fellowships?",
        r"evidence base",
        r"researchers",
        r"academics?",
    ),
    "business_growth": (
        r"business (?:growth|support)",
        r"exports?(?:ing)?",
        r"\bSMEs?\b",
        r"trade\b",
        r"productivity",
        # a trading body as the subject or object of growing
        r"(?:business(?:es)?|firms|companies|enterprises?) (?:to )?(?:grow|expand|scale up)",
        r"grow(?:ing)? (?:their |your |local |small |rural )?(?:business(?:es)?|firms|companies)",
    ),
}
_CASED = re.compile(r"\\b[A-Z]")  # fragments written in capitals (ASB, CCTV) match case-sensitively


def _group(terms: list[str]) -> str:
    return "|".join(sorted(terms, key=len, reverse=True))


def _structure(rx: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) of `rx`'s characters from `start` that are
    syntax: escapes and character classes are stepped over."""
    depth, i = 0, start
    while i < len(rx):
        c = rx[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = rx.index("]", i + 2 if rx.startswith("[^", i) else i + 1)
        else:
            depth += (c == "(") - (c == ")")
            yield i, c, depth
        i += 1


def _split_top(rx: str) -> list[str]:
    """The branches of `rx` at its top level (its `|` outside groups and classes)."""
    cuts = [i for i, c, depth in _structure(rx) if c == "|" and depth == 0]
    return [rx[a + 1: b] for a, b in zip([-1, *cuts], [*cuts, len(rx)], strict=True)]


def _close(rx: str, i: int) -> int:
    """The index of the `)` closing the group opened at `rx[i]`."""
    return next(j for j, c, depth in _structure(rx, i) if c == ")" and depth == 0)


def first_chars(rx: str) -> set[str] | None:
    """The characters a match of `rx` can start with, or None when it cannot tell (any
    character, or an optional start): a cautious reading, never too few."""
    out: set[str] = set()
    for branch in _split_top(rx):
        i = 0
        while branch.startswith(("(?<!", "(?<=", "(?!", "(?=", "\\b"), i):  # zero-width
            i = i + 2 if branch.startswith("\\b", i) else _close(branch, i) + 1
        if i >= len(branch) or branch[i] in "[.^$|?*+{)":
            return None
        if branch[i] == "(":
            end = _close(branch, i)
            inner = branch[i + 3: end] if branch.startswith("(?:", i) else branch[i + 1: end]
            if branch.startswith("(?", i) and not branch.startswith("(?:", i):
                return None  # a flag group or a named group: not read here
            found, after = first_chars(inner), end + 1
        else:
            if branch[i] == "\\":
                if i + 1 >= len(branch) or branch[i + 1].isalnum():
                    return None  # \w, \d, \s ...: a class
                i += 1
            found, after = {branch[i]}, i + 1
        if found is None or (after < len(branch) and branch[after] in "?*{"):
            return None  # what it starts with may be skipped
        out |= found
    return out


def _dispatched(terms: list[str]) -> str:
    """`_group(terms)` as one branch per first character, each holding the terms that can start
    with it in the same order: at a word start the regex tries a few terms, not all of them, and
    reads the same term there (only terms that can start with that character could match)."""
    ordered = sorted(terms, key=len, reverse=True)
    firsts = [first_chars(t) for t in ordered]
    chars = sorted(set().union(*(f for f in firsts if f is not None)))
    pairs = list(zip(ordered, firsts, strict=True))
    branches = [f"(?={re.escape(c)})(?:{'|'.join(t for t, f in pairs if f is None or c in f)})" for c in chars]
    anywhere = [t for t, f in pairs if f is None]
    if anywhere:
        guard = f"(?![{''.join(re.escape(c) for c in chars)}])" if chars else ""
        branches.append(f"{guard}(?:{'|'.join(anywhere)})")
    return "|".join(branches)


@lru_cache(maxsize=1)
def _scanner() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One pass over the text finds candidate terms; `_themes_of` says which themes each belongs to.
    At each word start the term read is the one `re.match` would read there: the lookahead
    makes every word start a match of its own, overlapping terms included."""
    terms = [t for ts in THEME_TERMS.values() for t in ts]
    plain = [t for t in terms if not _CASED.match(t)]
    cased = [t for t in terms if _CASED.match(t)]
    return (re.compile(rf"\b(?=\w)(?=((?:{_dispatched(plain)})))"),
            re.compile(rf"\b(?=\w)(?=((?:{_dispatched(cased)})))"))


@lru_cache(maxsize=1)
def _theme_res() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (theme, re.compile("|".join(f"(?:{t})" for t in terms), 0 if all(_CASED.match(t) for t in terms) else re.I))
        for theme, terms in THEME_TERMS.items()
    ]


@lru_cache(maxsize=4096)
def _themes_of(term: str) -> tuple[str, ...]:
    return tuple(theme for theme, rx in _theme_res() if rx.fullmatch(term))


_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+", re.I)  # an email or web address is not prose
# Between the texts of a batch: no term, address or look-around reads across a line break and a
# NUL (a NUL in a text becomes \x01, which every term treats alike: neither word, space nor letter).
_GAP = "\n\x00\n"


def _terms(text: str) -> list[tuple[int, int, str]]:
    """(start, end, term) of each theme term in `text`. A word inside a longer term is read as
    that term ("disorder" in "crime and disorder" is not anti-social behaviour on its own), and
    of two terms sharing words the first read keeps them ("knife crime | prevention")."""
    return terms_many([text])[0]


def terms_many(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """`_terms` of each text, read in one regex pass over the batch (a pass per text costs more
    in Python than in the regex when texts are short, as titles are)."""
    found: list[set[tuple[int, int, str]]] = [set() for _ in texts]
    crossed: set[int] = set()
    joined = _GAP.join(t.replace("\x00", "\x01") for t in texts)
    lower = joined.lower()
    if "@" in joined or "www." in lower or "http" in lower:  # else no address to blank (the regex costs)
        joined = _ADDRESS.sub(lambda m: " " * len(m.group()), joined)
        lower = joined.lower()
    plain, cased = _scanner()
    for rx, haystack in ((plain, lower), (cased, joined)):
        starts = _starts(haystack, len(texts))  # lower() may change a text's length
        ends = [s - len(_GAP) for s in starts[1:]] + [len(haystack)]
        i = 0
        for m in rx.finditer(haystack):
            s, e = m.span(1)
            while s > ends[i]:
                i += 1
            if e > s:
                if e > ends[i]:
                    crossed.add(i)
                found[i].add((s - starts[i], e - starts[i], m.group(1)))
    out = [_kept(f) for f in found]
    for i in crossed if len(texts) > 1 else ():  # a term read across the gap (none now can): read that text alone
        out[i] = terms_many([texts[i]])[0]
    return out


def _starts(haystack: str, n: int) -> list[int]:
    starts, at = [0], 0
    for _ in range(n - 1):
        at = haystack.index(_GAP, at) + len(_GAP)
        starts.append(at)
    return starts


def _kept(found: set[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The terms not inside a longer one, and of overlapping terms the first."""
    ordered = sorted(found)
    if all(a[1] <= b[0] for a, b in pairwise(ordered)):
        return ordered  # none overlaps another (most texts, titles above all): all kept
    # a term is inside another when one starting earlier reaches its end, or one starting with it ends later
    inside: set[tuple[int, int, str]] = set()
    reach = -1  # furthest end of the terms starting before the current start
    group: list[tuple[int, int, str]] = []
    for term in sorted(found, key=lambda f: (f[0], -f[1])) + [(-1, -1, "")]:
        if group and term[0] != group[0][0]:
            longest = group[0][1]
            inside.update(g for g in group if reach >= g[1] or longest > g[1])
            reach = max(reach, longest)
            group = []
        group.append(term)
    kept: list[tuple[int, int, str]] = []
    for term in ordered:  # of two terms that share words, the one read first keeps them
        if term not in inside and not (kept and term[0] < kept[-1][1]):
            kept.append(term)
    return kept


def theme_hits(text: str) -> dict[str, int]:
    """How often each theme's terms occur in `text`."""
    return _hits(_terms(text))


def _hits(terms: list[tuple[int, int, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, _, term in terms:
        for theme in _themes_of(term):
            counts[theme] = counts.get(theme, 0) + 1
    return counts


def themes_in(text: str) -> list[str]:
    """Theme keys named in `text`, most mentioned first."""
    return themes_in_many([text])[0]


def themes_in_many(texts: list[str]) -> list[list[str]]:
    """`themes_in` of each text, read in one pass."""
    out = []
    for terms in terms_many(texts):
        counts = _hits(terms)
        out.append(sorted(counts, key=lambda t: -counts[t]))
    return out


# --- a call's themes: what the call is for, not every word on its page -------------------------
# Names of organisations are not topics ("Ministry of Housing, Communities and Local Government",
# "Department for Culture, Media and Sport"); nor are lines that name the funder or who may apply.
_ORG_NAME = re.compile(
    r"\b(?:Ministry|Department|Office|Secretary of State|Minister|Directorate) (?:of|for) (?:the )?"
    r"[A-Z][\w'’-]*(?:(?:,? (?:and|&|of|the)|,)? [A-Z][\w'’-]*)*"
)
_SKIP_LABEL = re.compile(
    r"^\W*(?:who (?:can|may|cannot|can't|can not|may not|is eligible|are eligible|is it for|it's for)[^:]{0,30}"
    r"|suitable for|applicant types?|eligible (?:applicants|organisations|bodies)|(?:funding )?organisation"
    r"|funders?|funded by|buyer|procuring entity|contracting authority|administered by|published by|contact[^:]{0,20}"
    r"|lead (?:organisation|body)|partners?)\s*[:|]",
    re.I,
)
# Sector themes (sport, arts, housing, skills ...) named as an example or one item of a list are
# the means of a community-safety project ("sport, arts or outdoor activity that gives young people
# something positive to do"), not its purpose: they count half. Safety themes listed are purposes.
SECTOR_THEMES = frozenset({
    "sport_physical_activity", "arts_culture", "heritage", "health_wellbeing", "housing_homelessness",
    "employment_skills", "education", "environment_climate", "research_innovation", "business_growth",
})
_EXAMPLE = re.compile(r"\b(?:such as|for example|for instance|e\.g\.|like)\b[^.;:()]*", re.I)
# A programme named in the body is a reference (to itself or another fund), not a topic.
_PROGRAMME = re.compile(
    r"\b(?:[A-Z][\w'’-]*(?: (?:and|&|for|of|the|in|on))? ){1,6}(?:Fund|Programme|Scheme|Grants?|Awards?|Initiative)\b"
)
TITLE_WEIGHT, EXAMPLE_WEIGHT, MIN_WEIGHT = 2.0, 0.5, 1.0
IMPLIES = {"situational_prevention": "crime_prevention"}  # a main theme that is a means of a wider one


def _line_themes(line: str, *, names: bool = True) -> dict[str, float]:
    """Themes in one line, each with its strongest weight there (1, or 0.5 inside an example).
    With `names` False, programme names in the line ("the Youth and Community Fund") are skipped."""
    line = _ORG_NAME.sub(" ", line)
    if not names:
        line = _PROGRAMME.sub(" ", line)
    out: dict[str, float] = {}
    spans = [m.span() for m in _EXAMPLE.finditer(line)]
    for start, end, term in _terms(line):
        example = any(a <= start and end <= b for a, b in spans)
        for theme in _themes_of(term):
            weight = EXAMPLE_WEIGHT if example and theme in SECTOR_THEMES else 1.0
            out[theme] = max(out.get(theme, 0.0), weight)
    return out


# A sentence that binds the applicant ("You must have a safeguarding policy if you work with
# children", "Applicants must hold a bank account") is a condition of applying, not what the fund is
# for; what the work must do ("Projects should bring people together") still is.
_CONDITION = re.compile(
    r"^\W*(?:you|(?:the |all |each )?(?:lead )?applicants?|your (?:organisation|group)|organisations|groups|bidders?)"
    r"\s+(?:must|should|will need to|need to|are required to|is required to|have to|has to)\b",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|;\s+")


def _sentences(line: str) -> list[str]:
    return [x for x in _SENTENCE.split(line) if x.strip()]


def call_themes(title: str, text: str, *, skip: Iterable[str] = ()) -> list[str]:
    """Themes of a call, most weight first: the title counts double, each distinct line of the
    page once (a summary repeated in the body, or a listing card repeating the page, adds
    nothing), an example or list item half; lines naming the funder or who may apply, sentences
    that bind the applicant, and the `skip` sentences (the eligibility text already read as org
    types) not at all. A theme needs weight 1."""
    weight: dict[str, float] = {}
    for theme, w in _line_themes(title).items():
        weight[theme] = weight.get(theme, 0.0) + TITLE_WEIGHT * w
    skipped = {" ".join(x.split()).casefold() for part in skip for x in _sentences(part) if x.strip()}
    seen = {" ".join(title.split()).casefold()}
    for raw in text.splitlines():
        line = " ".join(raw.split())
        key = line.casefold()
        if not line or key in seen:
            continue
        seen.add(key)
        if _SKIP_LABEL.match(line):
            continue
        line = " ".join(x for x in _sentences(line) if x.casefold() not in skipped and not _CONDITION.match(x))
        for theme, w in _line_themes(line, names=False).items():
            weight[theme] = weight.get(theme, 0.0) + w
    for narrow, broad in IMPLIES.items():  # designing out crime is crime prevention
        if weight.get(narrow, 0.0) >= 2 * MIN_WEIGHT:
            weight[broad] = max(weight.get(broad, 0.0), MIN_WEIGHT)
    kept = [t for t, w in weight.items() if w >= MIN_WEIGHT]
    return sorted(kept, key=lambda t: -weight[t])
