"""A call's funder linked to the 360Giving funding organisation whose grants it made.

Calls name their funder as free text ("Lloyds Bank Foundation", "The National Lottery
Community Fund"); 360Giving names funding organisations by org id. The link is found, in
order of trust:

1. a charity or company number printed in the funder's calls (footer, "about" text) that is
   the id, charity number or company number of an imported funding organisation
   (confidence 1.0; method "charity-number" or "company-number");
2. the same name as 360Giving gives it, by `name_key` (1.0, method "name");
3. a near name (0.6-0.95, method "name"): one name's words all within the other's ("Lloyds
   Bank Foundation" in "Lloyds Bank Foundation for England and Wales"), or close spelling
   (difflib's ratio of the two keys). Below MIN_CONFIDENCE there is no link.

An admin confirms or fixes a link (web or `tracker funders link`); a confirmed link is kept
as it is, and one confirmed to no organisation (org_id None) stops further guessing.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select

from tracker.funder_ids import find_ids
from tracker.grants.names import name_key
from tracker.models import FunderLink, FundingOrg, Opportunity, utcnow

MIN_CONFIDENCE = 0.6
TEXTS_PER_FUNDER = 20  # the funder's latest calls read for a registration number


@dataclass(frozen=True)
class LinkGuess:
    org_id: str
    org_name: str
    method: str  # charity-number | company-number | name
    confidence: float


def _by_number(session: Session, texts: list[str]) -> LinkGuess | None:
    """The imported funding organisation whose number the texts state most often."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for found in find_ids(text):
            counts[(found.org_id, found.kind)] += 1
    for (org_id, kind), _ in counts.most_common():
        number = org_id.split("-", 2)[2]
        field = FundingOrg.charity_number if kind == "charity" else FundingOrg.company_number
        org = session.get(FundingOrg, org_id) or session.exec(
            select(FundingOrg).where(field == number).order_by(FundingOrg.id)).first()
        if org is not None:
            return LinkGuess(org.id, org.name, f"{kind}-number", 1.0)
    return None


def name_confidence(key: str, other: str) -> float:
    """How surely two name keys name the same organisation (1.0 the same key)."""
    if not key or not other:
        return 0.0
    if key == other:
        return 1.0
    words, others = key.split(), other.split()
    short, long_ = (words, others) if len(words) <= len(others) else (others, words)
    if len(short) >= 2 and all(w in long_ for w in short):
        # every word of the shorter name is in the longer: "X Foundation" / "X Foundation for Wales"
        return round(0.75 + 0.2 * len(short) / len(long_), 2)
    spelling = difflib.SequenceMatcher(None, key, other, autojunk=False)
    # the cheap upper bounds first: most pairs of names are nowhere near each other
    if 0.95 * spelling.real_quick_ratio() < MIN_CONFIDENCE or 0.95 * spelling.quick_ratio() < MIN_CONFIDENCE:
        return 0.0
    return round(0.95 * spelling.ratio(), 2)


def _by_name(session: Session, funder: str) -> LinkGuess | None:
    key = name_key(funder)
    if not key:
        return None
    org = session.exec(select(FundingOrg).where(FundingOrg.name_key == key).order_by(FundingOrg.id)).first()
    if org is not None:
        return LinkGuess(org.id, org.name, "name", 1.0)
    near = []
    for org_id, org_name, org_key in session.exec(select(FundingOrg.id, FundingOrg.name, FundingOrg.name_key)):
        conf = name_confidence(key, org_key)
        if conf >= MIN_CONFIDENCE:
            near.append(LinkGuess(org_id, org_name, "name", conf))
    near.sort(key=lambda g: (-g.confidence, g.org_id))
    if len(near) > 1 and near[0].confidence == near[1].confidence:
        return None  # "Community Foundation" is as near to Leeds's as to Somerset's: no guess
    return near[0] if near else None


def funder_texts(session: Session, funder: str) -> list[str]:
    """The text of the funder's latest calls, where its registration is usually printed."""
    rows = session.exec(select(Opportunity.body, Opportunity.summary, Opportunity.eligibility_text)
                        .where(Opportunity.funder == funder)
                        .order_by(col(Opportunity.last_seen).desc()).limit(TEXTS_PER_FUNDER))
    return ["\n".join(r) for r in rows]


def guess_link(session: Session, funder: str, texts: list[str] | None = None) -> LinkGuess | None:
    """The best link for a funder's name from its calls' text and the imported funders."""
    if texts is None:
        texts = funder_texts(session, funder)
    return _by_number(session, texts) or _by_name(session, funder)


@dataclass(frozen=True)
class Link:
    """What pages show: the stored link, or a fresh guess not yet stored."""

    funder_key: str
    org_id: str | None
    org_name: str | None
    method: str
    confidence: float
    confirmed: bool
    confirmed_by: str | None


def current_link(session: Session, funder: str | None, guess: bool = True) -> Link | None:
    """The funder's link: confirmed or stored, else (with `guess`) guessed now (read-only;
    nothing saved)."""
    key = name_key(funder or "")
    if not key:
        return None
    row = session.get(FunderLink, key)
    if row is not None:
        org = session.get(FundingOrg, row.org_id) if row.org_id else None
        return Link(key, row.org_id, org.name if org else None, row.method, row.confidence, row.confirmed,
                    row.confirmed_by)
    found = guess_link(session, funder) if guess else None
    if found is None:
        return None
    return Link(key, found.org_id, found.org_name, found.method, found.confidence, False, None)


def refresh_links(session: Session, funders: list[str] | None = None) -> int:
    """Store the best guess for each funder of the stored calls (or these), leaving confirmed
    links alone. Returns how many links changed."""
    if funders is None:
        funders = [f for f in session.exec(select(Opportunity.funder).distinct()) if f]
    changed = 0
    seen: set[str] = set()
    for funder in funders:
        key = name_key(funder)
        if not key or key in seen:
            continue
        seen.add(key)
        row = session.get(FunderLink, key)
        if row is not None and row.confirmed:
            continue
        guess = guess_link(session, funder)
        if guess is None:
            if row is not None:
                session.delete(row)
                changed += 1
            continue
        if row is None:
            row = FunderLink(funder_key=key, funder_name=funder)
        if (row.org_id, row.method, row.confidence) != (guess.org_id, guess.method, guess.confidence):
            row.org_id, row.method, row.confidence = guess.org_id, guess.method, guess.confidence
            row.updated_at = utcnow()
            session.add(row)
            changed += 1
    session.flush()
    return changed


class LinkError(ValueError):
    """A link an admin asked for that cannot be made (names what was wrong)."""


def set_link(session: Session, funder: str, org_id: str | None, by: str | None) -> FunderLink:
    """An admin's link: to this org id (which must be an imported funding organisation), or,
    with None, "no 360Giving funder" (confirmed, so no guess replaces it)."""
    key = name_key(funder)
    if not key:
        raise LinkError(f"funder name {funder!r} has no letters or digits to link")
    if org_id is not None:
        org_id = org_id.strip()
        if session.get(FundingOrg, org_id) is None:
            raise LinkError(f"no imported 360Giving funder has the org id {org_id!r} "
                            "(import its grants first: tracker funders import FILE)")
    row = session.get(FunderLink, key) or FunderLink(funder_key=key, funder_name=funder)
    row.org_id, row.method, row.confidence = org_id, "admin", 1.0
    row.confirmed, row.confirmed_by, row.updated_at = True, by, utcnow()
    session.add(row)
    session.flush()
    return row


def confirm_link(session: Session, funder: str, by: str | None) -> FunderLink:
    """An admin agrees with the current (stored or guessed) link."""
    link = current_link(session, funder)
    if link is None or link.org_id is None:
        raise LinkError(f"funder {funder!r} has no link to confirm; give an org id")
    row = session.get(FunderLink, link.funder_key) or FunderLink(
        funder_key=link.funder_key, funder_name=funder, org_id=link.org_id, method=link.method,
        confidence=link.confidence)
    row.confirmed, row.confirmed_by, row.updated_at = True, by, utcnow()
    session.add(row)
    session.flush()
    return row


def clear_link(session: Session, funder: str) -> bool:
    """Forget the stored link (confirmed or not); guessing starts again. False if none was stored."""
    row = session.get(FunderLink, name_key(funder))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
