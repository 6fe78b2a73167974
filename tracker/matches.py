"""Run matching over the database: needs × opportunities → stored Match rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session, select

from tracker.matching.engine import Matcher
from tracker.matching.types import NeedSpec, OppSpec
from tracker.models import Match, Need, Opportunity, utcnow


@dataclass
class MatchSummary:
    needs: int
    opportunities: int
    scored: int
    eligible_by_need: dict[str, int]


def need_spec(need: Need) -> NeedSpec:
    return NeedSpec(id=need.id, title=need.title, description=need.description, keywords=list(need.keywords),
                    themes=list(need.themes), area=need.area, applicant=need.applicant,
                    partners=list(need.partners), amount_min=need.amount_min, amount_max=need.amount_max,
                    prep_days=need.prep_days, active=need.active)


def opp_spec(opp: Opportunity) -> OppSpec:
    deadline_time = time.fromisoformat(opp.deadline_time) if opp.deadline_time else None
    text = f"{opp.eligibility_text}\n{opp.body}" if opp.body else opp.eligibility_text
    return OppSpec(key=str(opp.id), title=opp.title, summary=opp.summary, text=text,
                   funder=opp.funder, deadline=opp.deadline, deadline_time=deadline_time, rolling=opp.rolling,
                   opens=opp.opens, status=opp.status, amount_min=opp.amount_min, amount_max=opp.amount_max,
                   total_pot=opp.total_pot, eligible_org_types=list(opp.eligible_org_types),
                   excluded_org_types=list(opp.excluded_org_types), areas=list(opp.areas),
                   themes=list(opp.themes),
                   duplicate_of=str(opp.duplicate_of_id) if opp.duplicate_of_id else None)


def run_matching(session: Session, today: date, *, opportunity_ids: set[int] | None = None,
                 need_ids: set[str] | None = None) -> MatchSummary:
    """Score active needs against opportunities and store the results.

    With opportunity_ids/need_ids only those pairs are re-scored (incremental: after a
    crawl, the new and changed calls; after an edit, the changed needs); ranks are then
    recomputed from the stored scores. Dismissed matches stay dismissed."""
    opps = list(session.exec(select(Opportunity)))
    needs = [n for n in session.exec(select(Need).where(Need.active == True))]  # noqa: E712
    matcher = Matcher([opp_spec(o) for o in opps], today)
    existing = {(m.need_id, m.opportunity_id): m for m in session.exec(select(Match))}
    now = utcnow()
    scored = 0
    for need in needs:
        spec = need_spec(need)
        full = opportunity_ids is None or (need_ids is not None and need.id in need_ids)
        if not full and not opportunity_ids:
            continue
        results = matcher.score(spec) if full else matcher.score_subset(spec, [str(i) for i in opportunity_ids])
        touched = set()
        for r in results:
            key = (need.id, int(r.opp_key))
            touched.add(key[1])
            row = existing.get(key)
            if row is None:
                row = Match(need_id=need.id, opportunity_id=key[1], first_matched_at=now)
                existing[key] = row
            row.score, row.eligible, row.too_tight = r.score, r.eligible, r.too_tight
            row.reasons, row.scored_at = list(r.reasons), now
            row.rank = None
            session.add(row)
            scored += 1
        scope = None if full else set(opportunity_ids or ())
        for (need_id, opp_id), row in existing.items():
            if need_id == need.id and opp_id not in touched and (scope is None or opp_id in scope):
                if row.eligible or row.score:  # no longer relevant: keep for audit, drop from lists
                    row.eligible, row.rank, row.score = False, None, 0.0
                    row.reasons = ["no longer relevant to this need"]
                    session.add(row)
    session.flush()
    primaries = {o.id for o in opps if o.duplicate_of_id is None}
    eligible_by_need = {}
    for need in needs:
        rows = [m for (nid, _), m in existing.items() if nid == need.id and m.eligible and not m.dismissed
                and m.opportunity_id in primaries]
        rows.sort(key=lambda m: (-m.score, m.opportunity_id))
        for rank, row in enumerate(rows, start=1):
            row.rank = rank
            session.add(row)
        eligible_by_need[need.id] = len(rows)
    return MatchSummary(needs=len(needs), opportunities=len(opps), scored=scored, eligible_by_need=eligible_by_need)


def match_rows(session: Session, need_id: str | None = None, include_ineligible: bool = True) -> list[dict]:
    query = select(Match, Opportunity).where(Match.opportunity_id == Opportunity.id)
    if need_id:
        query = query.where(Match.need_id == need_id)
    if not include_ineligible:
        query = query.where(Match.eligible == True)  # noqa: E712
    rows = []
    for m, o in session.exec(query):
        rows.append({"need_id": m.need_id, "opportunity_id": o.id, "url": o.url, "title": o.title,
                     "score": m.score, "rank": m.rank, "eligible": m.eligible, "too_tight": m.too_tight,
                     "dismissed": m.dismissed, "reasons": list(m.reasons), "deadline": o.deadline.isoformat()
                     if o.deadline else None, "status": o.status})
    rows.sort(key=lambda r: (r["need_id"], r["rank"] is None, r["rank"] or 0, -r["score"]))
    return rows
