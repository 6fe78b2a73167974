"""Run matching over the database: needs × opportunities → stored Match rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session, select

from tracker.funder_signal import funder_signal
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


_matchers: dict[str, tuple[Matcher, date]] = {}  # per database: kept between incremental runs


def _matcher_for(session: Session, today: date, opportunity_ids: set[int] | None) -> tuple[Matcher, int]:
    """A Matcher over all calls. Incremental runs in a long-lived process (the scheduler)
    reuse the last one and only add the changed calls, instead of re-indexing everything."""
    key = str(session.get_bind().url)
    cached = _matchers.get(key)
    if opportunity_ids is not None and cached is not None and cached[1] == today:
        matcher = cached[0]
        if opportunity_ids:
            changed = session.exec(select(Opportunity).where(Opportunity.id.in_(opportunity_ids)))
            matcher.upsert([opp_spec(o) for o in changed])
        return matcher, len(matcher.table.opps)
    opps = list(session.exec(select(Opportunity)))
    matcher = Matcher([opp_spec(o) for o in opps], today)
    _matchers[key] = (matcher, today)
    matcher.keep_between_runs()
    return matcher, len(opps)


def run_matching(session: Session, today: date, *, opportunity_ids: set[int] | None = None,
                 need_ids: set[str] | None = None) -> MatchSummary:
    """Score active needs against opportunities and store the results.

    With opportunity_ids/need_ids only those pairs are re-scored (incremental: after a
    crawl, the new and changed calls; after an edit, the changed needs); ranks are then
    recomputed from the stored scores. Dismissed matches stay dismissed."""
    needs = list(session.exec(select(Need).where(Need.active == True)))  # noqa: E712
    matcher, n_opps = _matcher_for(session, today, opportunity_ids)
    history = funder_signal(session, matcher, opportunity_ids)
    now = utcnow()
    scored = 0
    specs = {need.id: need_spec(need) for need in needs}
    full_ids = {n.id for n in needs if opportunity_ids is None or (need_ids is not None and n.id in need_ids)}
    scope = set(opportunity_ids or ())
    # needs scored over the same new calls are scored together: one pass, not one per need
    partial = [specs[n.id] for n in needs if n.id not in full_ids] if scope else []
    subset_results = dict(zip([s.id for s in partial],
                              matcher.score_subset_many(partial, [str(i) for i in sorted(scope)]), strict=True))
    # needs scored over every call: a few at a time, in the order of the loop below
    full_results = matcher.score_many([specs[n.id] for n in needs if n.id in full_ids])
    for need in needs:
        spec = specs[need.id]
        full = need.id in full_ids
        if not full and not scope:
            continue
        query = select(Match).where(Match.need_id == need.id)
        if not full:
            query = query.where(Match.opportunity_id.in_(scope))
        existing = {m.opportunity_id: m for m in session.exec(query)}
        results = next(full_results) if full else subset_results[need.id]
        if history is not None:
            history.apply(spec, results)
        touched = set()
        for r in results:
            opp_id = int(r.opp_key)
            touched.add(opp_id)
            row = existing.get(opp_id)
            if row is None:
                row = Match(need_id=need.id, opportunity_id=opp_id, first_matched_at=now)
            row.score, row.eligible, row.too_tight = r.score, r.eligible, r.too_tight
            row.reasons, row.scored_at, row.rank = list(r.reasons), now, None
            session.add(row)
            scored += 1
        for opp_id, row in existing.items():
            if opp_id not in touched and (row.eligible or row.score):
                # no longer relevant: kept for audit (and dismissals), dropped from lists
                row.eligible, row.rank, row.score = False, None, 0.0
                row.reasons = ["no longer relevant to this need"]
                session.add(row)
    session.flush()
    eligible_by_need = {need.id: _rerank(session, need.id) for need in needs}
    return MatchSummary(needs=len(needs), opportunities=n_opps, scored=scored, eligible_by_need=eligible_by_need)


def _rerank(session: Session, need_id: str) -> int:
    """Rank a need's eligible, not dismissed matches on primary calls by score."""
    rows = list(session.exec(
        select(Match).join(Opportunity, Match.opportunity_id == Opportunity.id)
        .where(Match.need_id == need_id, Match.eligible == True, Match.dismissed == False)  # noqa: E712
        .where(Opportunity.duplicate_of_id.is_(None))
        .order_by(Match.score.desc(), Match.opportunity_id)
    ))
    for rank, row in enumerate(rows, start=1):
        if row.rank != rank:
            row.rank = rank
            session.add(row)
    ranked = {row.id for row in rows}
    for row in session.exec(select(Match).where(Match.need_id == need_id, Match.rank.is_not(None))):
        if row.id not in ranked:  # ineligible, dismissed or a copy now
            row.rank = None
            session.add(row)
    return len(rows)


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
