"""Eligible and excluded applicant types (vocabulary org_types keys) from "who can apply" text.

Text is read clause by clause. A clause counts when it sits under a "Who can apply" /
"Who cannot apply" heading or label, or carries its own cue ("can apply", "are not
eligible"). Negation covers its clause; a negative clause with no applicant in it
("..., but they cannot bid") takes the applicants of the clause before it. Clauses
about partners ("as delivery partners") and restricted uses ("can only apply for
activity outside...") are neutral. Specific names are matched before generic ones,
and a generic term followed by "including" / "such as" defers to the list after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_LA, _TPC, _POL, _CH = "local_authority", "town_parish_council", "police", "charity"
_CG, _SE, _SCH, _UNI = "community_group", "social_enterprise", "school", "university"
_NHS, _FAITH, _BIZ, _IND = "health_body", "faith_group", "business", "individual"
_DEFER = r"(?!\s*(?:\(|,)?\s*(?:including|such as|like|e\.g\.|for example|:|–|—|-\s))"

# (pattern, keys when eligible, keys when excluded); order matters: specific first.
_TERMS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (r"local,\s*town,? (?:and|or) parish councils?", (_LA, _TPC), (_LA, _TPC)),
    # a list of kinds of council where one is a principal council: "town, parish or local councils"
    (r"(?:town|parish|community),?\s+(?:(?:town|parish|community),?\s+)?(?:and|or|&)\s+(?:local|district|county|city"
     r"|borough|unitary|principal) councils?", (_TPC, _LA), (_TPC, _LA)),
    (r"(?:local|district|county|city|borough|unitary),?\s+(?:(?:local|district|county|city|borough|unitary|town|parish),?"
     r"\s+)*(?:and|or|&)\s+(?:town|parish|community) councils?", (_LA, _TPC), (_LA, _TPC)),
    (
        r"(?:town|parish|community|neighbourhood),? (?:and|or|&) (?:town|parish) councils?"
        r"|(?:town|parish|neighbourhood) councils?|town (?:and|or) parish|parish (?:and|or) town|parish meetings?",
        (_TPC,),
        (_TPC,),
    ),
    (
        rf"(?:statutory|public|public[- ]sector) (?:bodies|body|organisations?|partners|agencies|authorities)"
        rf"{_DEFER}|public sector{_DEFER}",
        (_LA,),
        (_LA, _POL, _NHS, _SCH),
    ),
    (
        r"voluntary,? community,? (?:and|or) social enterprise(?: organisations| sector| groups)?|vcf?se\b",
        (_CH, _SE),  # bids from "VCSE organisations" mean incorporated bodies
        (_CH, _CG, _SE),
    ),
    (
        r"voluntary,? community,? (?:and|or) faith(?: sector| organisations| groups| bodies)?",
        (_CH, _CG, _FAITH),
        (_CH, _CG, _FAITH),
    ),
    (
        rf"(?:voluntary (?:and|or) community|community (?:and|or) voluntary) sector(?: organisations| groups| bodies)?"
        rf"{_DEFER}|voluntary sector(?: organisations| groups| bodies)?{_DEFER}|vcs\b|third sector(?: organisations)?",
        (_CH, _CG, _SE),
        (_CH, _CG, _SE),
    ),
    (
        rf"(?:voluntary (?:and|or) community|community (?:and|or) voluntary) (?:organisations|groups|bodies)"
        rf"{_DEFER}|voluntary organisations{_DEFER}",
        (_CH, _CG),
        (_CH, _CG),
    ),
    (
        rf"(?:not[- ]for[- ]profit|non[- ]profit) (?:organisations|groups|bodies)(?! with){_DEFER}"
        rf"|non[- ]profits?\b{_DEFER}",
        (_CH, _CG, _SE),
        (_CH, _CG, _SE),
    ),
    (r"community safety partnerships?|\bcsps?\b", (_LA,), (_LA,)),
    (
        r"police(?:,)? (?:fire )?and crime commissioners?(?:'s? offices?)?|\bo?pccs?\b|police forces?"
        r"|constabular(?:y|ies)"
        r"|british transport police|(?:local )?polic(?:e|ing) (?:teams?|units?|services?|bodies)|the police|police"
        r"|fire and rescue(?: services?| authorities)?",
        (_POL,),
        (_POL,),
    ),
    (
        r"nhs(?: trusts?| bodies| body| organisations?| england)?|integrated care (?:boards?|systems?)|icbs?\b"
        r"|gp (?:federations?|surger(?:y|ies)|practices?)|health (?:bodies|boards?|trusts?)"
        r"|clinical commissioning groups?|hospitals?",
        (_NHS,),
        (_NHS,),
    ),
    (
        r"universit(?:y|ies)|research organisations?|research bodies|research institut(?:e|es|ions)"
        r"|higher education (?:institutions?|providers?)|\bheis?\b",
        (_UNI,),
        (_UNI,),
    ),
    (
        r"multi-academy trusts?|schools?(?!\s+(?:day|holidays?|hours|terms?|grounds|premises|site|gates?))"
        r"|academ(?:y|ies)|colleges?",
        (_SCH,),
        (_SCH,),
    ),
    (
        r"faith(?:[- ]based)? (?:groups?|organisations?|communities|bodies|charities)|churches|places of worship"
        r"|religious (?:organisations|groups|bodies)",
        (_FAITH,),
        (_FAITH,),
    ),
    (
        r"social enterprises?|community interest compan(?:y|ies)|\bcics?\b|community benefit societ(?:y|ies)"
        r"|co-?operatives?|(?:not[- ]for[- ]profit|non[- ]profit) compan(?:y|ies)|housing associations?"
        r"|companies limited by guarantee",
        (_SE,),
        (_SE,),
    ),
    (
        r"(?:registered )?charit(?:y|ies)|charitable (?:incorporated )?(?:organisations?|trusts?)|\bcios?\b",
        (_CH,),
        (_CH,),
    ),
    (
        r"(?:(?:un)?(?:constituted|incorporated) )?(?:community|voluntary|local|grassroots|youth|residents'?"
        r"|tenants'?|self-help|small(?:er)?|not[- ]for[- ]profit|friends) (?:sports? )?(?:groups?|associations?|clubs?)"
        r"|community (?!interest|benefit|safety partnership)[a-z]+ (?:groups?|clubs?)"
        r"|unincorporated (?:associations?|groups?)|(?:un)?constituted groups?|unregistered (?:groups?|organisations?)"
        r"|(?:sports? )?clubs|watch schemes"
        r"|neighbourhood watch(?: schemes| groups)?|speedwatch groups|community organisations?",
        (_CG,),
        (_CG,),
    ),
    (
        r"individuals|individual (?:people|persons?|applicants?|artists?|(?:creative )?practitioners?|residents?"
        r"|tenants?|households?|members of the public)"
        r"|personal\s*/\s*individual",
        (_IND,),
        (_IND,),
    ),
    (
        r"(?:small and medium[- ]sized |small |local |private |profit[- ]making |commercial )?(?:businesses|business"
        r"(?!\s+(?!(?:and|or|nor|in|of|to|for|with|that|who|which|are|is|can|may|must|will|based)\b)[a-z]))"
        r"|(?:private|commercial|profit[- ]making|limited) compan(?:y|ies)|compan(?:y|ies)"
        r"|private (?:sector|providers?|organisations?)|\bsmes?\b"
        r"|(?<![-\w])for[- ]profit (?:organisations|bodies|companies)"
        r"|organisations? (?:that|which|who) (?:aims? to |exists? to |seeks? to )?(?:make|makes|share|shares|distribute"
        r"|distributes) (?:a )?profits?"
        r"|sole traders?|consortia|business improvement districts?",
        (_BIZ,),
        (_BIZ,),
    ),
    (r"(?:local|unitary|principal) authorit(?:y|ies)|(?:mayoral )?combined (?:county )?authorit(?:y|ies)"
     r"|(?<!arts )councils?\b|local government", (_LA,), (_LA,)),
]
# One pass, leftmost match first; at one position the earlier (more specific) term wins.
_TERM_RE = re.compile("|".join(rf"(?P<t{i}>\b(?:{p}))" for i, (p, _, _) in enumerate(_TERMS)))
_ALL_ORGS = re.compile(r"^\W*organisations\b(?!\s+(?:based|that|which|who|applying|outside|from|in|with))", re.I)

_NEG = re.compile(
    r"\b(?:cannot|can ?not|can't|could not|couldn't|may not|must not|will not|won't|do not|does not|don't"
    r"|doesn't|are not|is not|aren't|isn't|not (?:eligible|open|able)|ineligible|excluded|unable to|no longer"
    r"|no (?:grants?|funding|awards?) (?:to|for)"
    r"|nor)\b",
    re.I,
)
NEG_APPLY = re.compile(
    r"\b(?:cannot|can ?not|can't|could not|may not|must not|will not|won't|do not|does not|are not|is not|not)"
    r"\s+(?:\w+\s+){0,3}?(?:apply|bid|eligible|fund|accept|lead|hold|receive|submit|pay for|support|open to)\b"
    # "children who are excluded from school" is the topic, not who may apply
    r"|\bineligible\b|\b(?:are|is) excluded\b(?! from (?!applying|this|the (?:fund|scheme|programme)))"
    r"|\bno (?:grants?|funding|awards?) (?:to|for)\b|\bexcluded from (?:applying|this fund|the fund|the scheme)"
    r"|\b(?:cannot|can ?not|can't|may not)\s*[.!;]?\s*$",  # "Individuals and businesses cannot." (apply elided)
    re.I,
)
_POS = re.compile(
    r"\b(?:can|may|could|are able to|were able to|is able to|will be able to|are eligible to|are invited to)"
    r" (?:also |still |now )?"
    r"(?:apply|bid|submit|put forward|lead)\b|\beligible\b|\bopen to\b|\bwelcome (?:bids|applications|proposals)"
    r"|\b(?:applications?|bids?|proposals) (?:\w+ ){0,3}?from\b|\bmust be (?:made |led )?by\b"
    r"|\b(?:is|are) (?:only )?for\b|\bsuitable for\b|\byou must be an?\b|\bif you are an?\b"
    r"|\boffer(?:s|ed)? (?:grants? )?(?:of )?(?:up to )?£[\d,.]+k? to\b"
    r"|\bas can\b|\baward(?:s|ing)? grants\b[^.]{0,60}\bto\b|\bavailable to\b"
    r"|\b(?:partnerships?|bids?|applications?|projects?)"
    r" (?:must be |should be |are |is )?led by\b",
    re.I,
)
# "Grants of up to £1,000 helped community groups and charities raise awareness ...": the object of
# "helped" names who held the grants (a closed fund's page); only the words right after it count.
_HELPED = re.compile(
    r"\b(?:grants?|funding|fund|awards?)\b[^.]{0,60}?\b(?:helped|helps|supported|supports|went to)\b(?!\s+by\b)"
    r"\s+(?P<obj>(?:[\w'’-]+,?\s+){0,5}[\w'’-]+)",
    re.I,
)
# "Grants of £1,000 to £7,500 are available for community groups and charities in X": the words right
# after "for" name who receives the grant (and so who applies); the phrase ends at a place, purpose or verb.
_GRANT_FOR = re.compile(
    r"(?:\b(?:grants?|funding|awards?)\b|£\s?\d[\d,.]*k?\b)[^;]{0,60}?\bfor\s+(?P<obj>(?:[\w'’-]+,?\s+){0,7}?[\w'’-]+)"
    r"(?=\s+(?:in|across|within|with|that|who|which|whose|to|working|helping|delivering|running|based|from)\b"
    r"|\s*[.,;:]|\s*$)",
    re.I,
)
_FOR = re.compile(r"(?:is|are) (?:only )?for", re.I)
_OBJECT_END = re.compile(r"\s+(?:that|which|who|whose|to|in|across|within|where|so|working|helping|based)\b", re.I)
_NEUTRAL = re.compile(
    r"\b(?:as|be|become|being) (?:a |the )?(?:delivery |project )?partners?\b|\b(?:delivery|project) partners?\b"
    r"|\bpartnerships? that include|\bthrough the lead\b|\bcommission them\b|\bsupport bids\b"
    r"|\bcan only apply for\b|\bonly (?:for|where|if) (?:activit|project)",
    re.I,
)
_PROVIDE = re.compile(r"\banything (?:that )?[^,.;]{0,60}?\bshould (?:provide|fund|pay for)\b", re.I)
_RELATIVE = re.compile(r"\b(?:whose|which|so that|in order to)\b", re.I)
_PAREN = re.compile(r"\(([^()]*)\)")
# Words that turn what follows against the predicate that governs it: "X can apply, but not Y",
# "anyone may apply except Y", "Y cannot apply unless ...", "organisations other than Y cannot apply".
FLIP_WORDS = r"except|excluding|other than|apart from|with the exception of|unless|save for"
_NOT = r"not\b(?!-|\s+(?:for[- ]profit|only|limited|just|least)\b)"  # "not-for-profit", "not only" do not negate
_FLIP = re.compile(rf"^\W*(?:(?P<not>(?:but\s+)?{_NOT})|(?:but\s+)?(?:{FLIP_WORDS})\b)", re.I)
_CLAUSE = re.compile(
    r"(?<=[.;!?])\s+|;\s*|,\s+(?:and|but|while|whereas)\s+(?!not\b)|\s+but\s+(?=\w+\s+(?:can|may|are|is|do|will|must)\b)"
    rf"|\n|,?\s+(?=but {_NOT})|,\s*(?={_NOT})|,?\s+(?=(?:{FLIP_WORDS})\b)"
)
_HEAD_POS = re.compile(
    r"^\W*(?:who (?:can|may|could|should|is able to) (?:apply|bid|put forward|submit)|who (?:is|are) eligible"
    r"|who(?:'s| is) (?:it|this fund|the fund) for|eligibility(?: criteria)?|eligible (?:applicants|organisations)"
    r"|who we (?:fund|support)|who can get|suitable for|applicant types?)\b[^.]{0,40}$",
    re.I,
)
_HEAD_NEG = re.compile(
    r"^\W*(?:who (?:cannot|can't|can not|may not|could not|is not eligible|isn't eligible)(?: to)?(?: apply| bid)?"
    r"|who we (?:can't|cannot|don't|do not) fund|ineligible(?: applicants)?|exclusions|not eligible)\b[^.]{0,30}$",
    re.I,
)
_HEAD_END = re.compile(
    r"^\W*(?:who|what|when|where|why|how|area|location|deadline|closing|opening|amount|funding|grant size|summary"
    r"|objectives|contents|apply|timetable|scale|related|latest|contact|need help|documents|more information"
    r"|further information|key dates|dates|bidding rounds?|priorit|background|about|overview|guidance|faqs?"
    r"|procedure|estimated value|contract|published|round \d|scheme rules|conditions)\b",
    re.I,
)
_LABEL_POS = re.compile(
    r"^\W*(?:who (?:can|may|could|should|is able to) (?:apply|bid)|who (?:is|are) eligible|eligible applicants"
    r"|eligible organisations|applicant types?|open to|suitable for)\s*[:?]\s*(?=\S)",
    re.I,
)
_LABEL_NEG = re.compile(
    r"^\W*(?:who (?:cannot|can't|can not|may not) (?:apply|bid)|ineligible(?: applicants)?|not eligible|exclusions)"
    r"\s*:\s*(?=\S)",
    re.I,
)
ELIG_LABEL = re.compile(r"who can|eligib|suitable for|applicant|who (?:is it|it's) for|open to|who for", re.I)
INELIG_LABEL = re.compile(r"who (?:cannot|can't|can not|may not)|not eligible|ineligible|exclu", re.I)


@dataclass
class Eligibility:
    eligible: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    text: str = ""  # the "who can apply" prose that was read

    @property
    def found(self) -> bool:
        return bool(self.eligible or self.excluded)


def orgs_in(text: str, *, negative: bool = False) -> list[str]:
    """Applicant types named in a phrase, in order; no polarity logic."""
    keys: list[str] = []
    text = _PROVIDE.sub(" ", _PAREN.sub(_paren, text.lower().replace("’", "'")))
    if negative and _ALL_ORGS.match(text):
        keys.extend((_CH, _CG, _SE, _LA, _BIZ))
    for m in _TERM_RE.finditer(text):
        _, pos, neg = _TERMS[int(m.lastgroup[1:])]
        keys.extend(neg if negative else pos)
    return list(dict.fromkeys(keys))


def _paren(m: re.Match[str]) -> str:
    inner = m.group(1)
    return f", {inner}," if re.match(r"\s*(?:including|such as|e\.g\.)", inner, re.I) else " "


def _is_heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 8
        and not line.rstrip().endswith(".")
        and bool(_HEAD_END.match(line) or line.rstrip().endswith("?"))
    )


def read_eligibility(text: str, default: str | None = None) -> Eligibility:
    """Eligible / excluded types from prose. `default` ("eligible"/"excluded") is the polarity
    of text that already sits under a "who can (not) apply" label."""
    elig: list[str] = []
    excl: list[str] = []
    kept: list[str] = []
    section = default
    lead: str | None = None  # the polarity a list's own lead-in gave ("The following are not eligible:")
    for line in _units(text):
        if _HEAD_NEG.match(line):
            section, lead = "excluded", None
            kept.append(line)
            continue
        if _HEAD_POS.match(line):
            section, lead = "eligible", None
            kept.append(line)
            continue
        if default is None and _is_heading(line):
            section = lead = None
            continue
        label = _LABEL_NEG.match(line) or _LABEL_POS.match(line)
        if label:  # "Who may apply: sports clubs, ..., and council youth services": the label covers the line
            used = _read_line(line[label.end():], "excluded" if label.re is _LABEL_NEG else "eligible", elig, excl)
            if used:
                kept.append(line)
            continue
        if line.rstrip().endswith(":"):  # a list's lead-in decides its items; a silent one leaves the heading's
            lead = _polarity(line)
            kept.extend([line] if lead else [])
            continue
        if lead and len(line.split()) > 12 and line.rstrip().endswith("."):
            lead = None  # a paragraph after the list is not one of its items
        used = _read_line(line, lead or section, elig, excl)
        if used:
            kept.append(line)
    excluded = list(dict.fromkeys(excl))
    eligible = [k for k in dict.fromkeys(elig) if k not in excluded]
    return Eligibility(eligible, excluded, "\n".join(kept))


def _units(text: str) -> list[str]:
    """Lines, and the items of a labelled value ("Who can apply": "You can apply if you are:; Schools; ...")."""
    return [u for line in text.splitlines() for u in (
        line.split("; ") if line.rstrip().endswith(":") or re.search(r":;\s", line)
        else re.split(r"(?<=[.!?]);\s+", line)
    ) if u.strip()]


def _polarity(lead_in: str) -> str | None:
    """What a list's lead-in says of its items: "excluded", "eligible" or nothing ("This includes:")."""
    bare = _PROVIDE.sub(" ", lead_in)
    if _NEG.search(bare):
        return "eligible" if _FLIP.search(bare) and not _FLIP.match(bare)["not"] else "excluded"
    return "eligible" if _POS.search(lead_in) else None


def _read_line(line: str, section: str | None, elig: list[str], excl: list[str]) -> bool:
    used = False
    for sentence in re.split(r"(?<=[.!?])\s+", line):
        carry: list[str] = []
        governing = section  # the polarity of the last clause that had one
        for clause in _CLAUSE.split(sentence):
            if not clause or not clause.strip():
                continue
            bare = _PROVIDE.sub(" ", clause)
            flip = _FLIP.match(clause)
            if flip and (governing or flip["not"] is None):
                # the clause's own predicate, or else the one before it, turned round
                own = None if flip["not"] else ("excluded" if _NEG.search(bare) else
                                                "eligible" if _POS.search(clause) else None)
                turned = "eligible" if (own or governing) == "excluded" else "excluded"
                if own is None and governing is None:
                    continue
                found = orgs_in(clause[flip.end():], negative=turned == "excluded")
                (excl if turned == "excluded" else elig).extend(found)
                used = used or bool(found)
                carry = []
                continue
            negative = bool(_NEG.search(bare) and (section is not None or NEG_APPLY.search(bare)))
            neutral = not negative and bool(_NEUTRAL.search(_PAREN.sub(" ", clause)))
            positive = not (negative or neutral) and (section == "eligible" or bool(_POS.search(clause)))
            if positive and section != "eligible" and (cue := _POS.search(clause)) and _FOR.fullmatch(cue.group()):
                # "The fund is for charities and schools in Kent": who it is for is the object of "for";
                # "Grants are for work that will help small businesses grow" names no applicant
                positive = bool(orgs_in(_OBJECT_END.split(clause[cue.end():], 1)[0]))
            if negative or positive:
                governing = "excluded" if negative else "eligible"
            if not (negative or neutral or positive or section):
                helped = _HELPED.search(clause) or _GRANT_FOR.search(clause)
                found = orgs_in(helped["obj"]) if helped else []
                if found:
                    elig.extend(found)
                    used = True
                carry = found  # no cue here: skip the (costly) applicant scan
                continue
            found = orgs_in(clause, negative=negative)
            if negative:
                excl.extend(found or carry)
                used = used or bool(found or carry)
                carry = []
            elif neutral:
                carry = found or carry
            elif found and positive:
                found = orgs_in(_RELATIVE.split(clause, 1)[0]) or found
                elig.extend(found)
                carry, used = found, True
            elif found and section == "excluded":
                excl.extend(found)
                carry, used = [], True
            else:
                carry = found or carry
    return used


def eligibility_from_fields(fields: Mapping[str, str]) -> Eligibility:
    """The same from labelled values ("Who can apply": "Public sector, Non-profit")."""
    parts: list[Eligibility] = []
    for label, value in fields.items():
        if INELIG_LABEL.search(label):
            parts.append(read_eligibility(value.replace(", ", "\n") if "\n" not in value else value, "excluded"))
        elif ELIG_LABEL.search(label):
            parts.append(read_eligibility(value, "eligible"))
    return merge(parts)


def merge(parts: Iterable[Eligibility]) -> Eligibility:
    elig: list[str] = []
    excl: list[str] = []
    texts: list[str] = []
    for part in parts:
        elig.extend(part.eligible)
        excl.extend(part.excluded)
        if part.text:
            texts.append(part.text)
    excluded = list(dict.fromkeys(excl))
    return Eligibility([k for k in dict.fromkeys(elig) if k not in excluded], excluded, _once(texts))


def _once(texts: list[str]) -> str:
    """The texts joined, each line ("; "-separated item) kept once: a labelled field and the
    page's own "Who can apply" section often hold the same sentences."""
    seen: set[str] = set()
    lines = []
    for text in texts:
        for line in text.split("\n"):
            items = []
            for item in line.split("; "):
                key = " ".join(re.findall(r"\w+", item.casefold()))
                if key and key not in seen:
                    seen.add(key)
                    items.append(item)
            if items:
                lines.append("; ".join(items))
    # a section heading whose sentences were all said already stands alone: drop it
    return "\n".join(line for i, line in enumerate(lines)
                     if not (_heading(line) and (i + 1 == len(lines) or _heading(lines[i + 1]))))


def _heading(line: str) -> bool:
    return len(line.split()) <= 6 and bool(ELIG_LABEL.search(line) or INELIG_LABEL.search(line))
