"""Spot the same programme on two sources: one opportunity is primary (the funder's own
page), the other copies point at it with duplicate_of."""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher

from sqlmodel import Session, select

from tracker.models import Opportunity, Source

_PREFIX = re.compile(r"^(tender|grant|fund|call|itt|rfq|contract)\s*[:\-–]\s*", re.I)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "and", "of", "for", "a", "an", "to", "s", "fund", "grant", "grants", "programme", "program"}


def _tokens(title: str) -> list[str]:
    return _WORD.findall(_PREFIX.sub("", title.lower()).replace("’", "'"))


def _funder_key(name: str | None) -> str:
    return " ".join(_WORD.findall((name or "").lower()))


def same_programme(a: Opportunity, b: Opportunity) -> bool:
    """True when two calls of the same funder are one programme seen twice."""
    if not a.funder or _funder_key(a.funder) != _funder_key(b.funder):
        return False
    if a.deadline and b.deadline and a.deadline != b.deadline:
        return False
    if a.amount_max and b.amount_max and a.amount_max != b.amount_max:
        return False
    ta, tb = _tokens(a.title), _tokens(b.title)
    core_a, core_b = set(ta) - _STOP, set(tb) - _STOP
    if not core_a or not core_b:
        return False
    years_a = {t for t in ta if t.isdigit()}
    years_b = {t for t in tb if t.isdigit()}
    if years_a != years_b and years_a and years_b:
        return False
    if core_a <= core_b or core_b <= core_a:
        return True
    return SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio() >= 0.9


def _owner_rank(opp: Opportunity, sources: dict[int, Source], funder_names: dict[int, str]) -> tuple:
    source = sources.get(opp.source_id or -1)
    kind = source.kind if source else "html"
    own = source is not None and _funder_key(funder_names.get(source.funder_id or -1)) == _funder_key(opp.funder)
    kind_rank = {"html": 0, "rss": 1, "atom": 1, "ocds": 2}.get(kind, 3)
    return (0 if own else 1, kind_rank, opp.first_seen, opp.id)


def link_duplicates(session: Session) -> int:
    """Recompute duplicate_of for all calls; returns how many are marked as copies."""
    from tracker.models import Funder

    opps = list(session.exec(select(Opportunity)))
    sources = {s.id: s for s in session.exec(select(Source))}
    funder_names = {f.id: f.name for f in session.exec(select(Funder))}
    by_funder: dict[str, list[Opportunity]] = defaultdict(list)
    for opp in opps:
        by_funder[_funder_key(opp.funder)].append(opp)
    wanted: dict[int, int | None] = {opp.id: None for opp in opps}
    for group in by_funder.values():
        if len(group) < 2:
            continue
        clusters: list[list[Opportunity]] = []
        for opp in group:
            for cluster in clusters:
                if any(same_programme(opp, other) and opp.source_id != other.source_id for other in cluster):
                    cluster.append(opp)
                    break
            else:
                clusters.append([opp])
        for cluster in clusters:
            if len(cluster) < 2:
                continue
            primary = min(cluster, key=lambda o: _owner_rank(o, sources, funder_names))
            for opp in cluster:
                if opp is not primary:
                    wanted[opp.id] = primary.id
    copies = 0
    for opp in opps:
        if opp.duplicate_of_id != wanted[opp.id]:
            opp.duplicate_of_id = wanted[opp.id]
            session.add(opp)
        copies += wanted[opp.id] is not None
    return copies
