"""Spot the same programme on two sources: one opportunity is primary (the funder's own
page), the other copies point at it with duplicate_of."""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher

from sqlalchemy.orm import defer
from sqlmodel import Session, select

from tracker.models import Opportunity, Source

_PREFIX = re.compile(r"^(tender|grant|fund|call|itt|rfq|contract)\s*[:\-–]\s*", re.I)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "and", "of", "for", "a", "an", "to", "s", "fund", "grant", "grants", "programme", "program"}


def _tokens(title: str) -> list[str]:
    return _WORD.findall(_PREFIX.sub("", title.lower()).replace("’", "'"))


def _core(title: str) -> set[str]:
    return set(_tokens(title)) - _STOP


def _same_funder(a: str | None, b: str | None) -> bool:
    """Same funder, allowing for wording ("The PCC for Cambridgeshire" and "Cambridgeshire
    and Peterborough PCC")."""
    ta, tb = set(_WORD.findall((a or "").lower())) - _STOP, set(_WORD.findall((b or "").lower())) - _STOP
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def same_programme(a: Opportunity, b: Opportunity) -> bool:
    """True when two calls are one programme seen twice. Same funder and a contained or
    near-identical title; a different funder name (a foundation re-publishing a PCC fund)
    needs the same deadline and maximum award too. Rounds (years) must agree."""
    if a.deadline and b.deadline and a.deadline != b.deadline:
        return False
    if a.amount_max and b.amount_max and a.amount_max != b.amount_max:
        return False
    if not _same_funder(a.funder, b.funder):
        if not (a.deadline and b.deadline and a.amount_max and b.amount_max):
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
    own = source is not None and _same_funder(funder_names.get(source.funder_id or -1), opp.funder)
    kind_rank = {"html": 0, "rss": 1, "atom": 1, "ocds": 2}.get(kind, 3)
    return (0 if own else 1, kind_rank, opp.first_seen, opp.id)


def _candidate_pairs(opps: list[Opportunity]) -> set[tuple[int, int]]:
    """Pairs worth comparing: a title contained in another shares its rarest word with it."""
    postings: dict[str, list[int]] = defaultdict(list)
    cores = [_core(o.title) for o in opps]
    for i, core in enumerate(cores):
        for token in core:
            postings[token].append(i)
    pairs = set()
    for i, core in enumerate(cores):
        if not core:
            continue
        rarest = min(core, key=lambda t: (len(postings[t]), t))
        for j in postings[rarest]:
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def link_duplicates(session: Session) -> int:
    """Recompute duplicate_of for all calls; returns how many are marked as copies."""
    from tracker.models import Funder

    # every call is read on every crawl: leave the page text (the bulk of a row) behind
    opps = list(session.exec(select(Opportunity).options(defer(Opportunity.body)).order_by(Opportunity.id)))
    sources = {s.id: s for s in session.exec(select(Source))}
    funder_names = {f.id: f.name for f in session.exec(select(Funder))}
    parent = list(range(len(opps)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidate_pairs(opps):
        a, b = opps[i], opps[j]
        if a.source_id != b.source_id and same_programme(a, b):
            parent[root(i)] = root(j)
    clusters: dict[int, list[Opportunity]] = defaultdict(list)
    for i, opp in enumerate(opps):
        clusters[root(i)].append(opp)
    wanted: dict[int, int | None] = {opp.id: None for opp in opps}
    for cluster in clusters.values():
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
