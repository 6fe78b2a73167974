"""The funder's grant record as a ranking signal in a match run.

A call whose funder has made grants in the need's area gets a small bonus (BONUS_PER_GRANT a
grant, at most MAX_BONUS points of 100) and says why ("this funder made 14 grants in
Peterborough, latest 2024, median £8,500"); a need asking more than the funder's largest grant
gets that said too ("asks £50,000; this funder's largest grant here is £10,000"). Figures are
computed once per (funder, area) for the whole run, not per pair.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from tracker.funder_history import HistoryCache, match_bonus
from tracker.funder_links import refresh_links
from tracker.matching.engine import Matcher
from tracker.matching.types import MatchResult, NeedSpec
from tracker.models import FunderLink, GrantRecord, Opportunity


class FunderSignal:
    def __init__(self, session: Session, matcher: Matcher) -> None:
        self.cache = HistoryCache(session, guess=False)
        self.matcher = matcher

    def apply(self, need: NeedSpec, results: list[MatchResult]) -> None:
        """Add the bonus and the reasons to these results, in place."""
        table = self.matcher.table
        ask = need.amount_max if need.amount_max is not None else need.amount_min
        for r in results:
            row = table.row_of.get(r.opp_key)
            funder = table.opps[row].funder if row is not None else None
            found = self.cache.area_history(funder, need.area) if funder else None
            if found is None:
                continue
            bonus, why = match_bonus(found)
            if why:
                r.score = min(100.0, round(r.score + bonus, 1))
                r.reasons.append(why)
            check = found.amount_check(ask)
            if check:
                r.reasons.append(check)


def funder_signal(session: Session, matcher: Matcher, opportunity_ids: set[int] | None) -> FunderSignal | None:
    """The signal for a run, or None when no grants are imported (nothing to say, nothing to
    cost). The run's funders' links are stored: every unconfirmed one on a full run, new funders'
    after a crawl."""
    if session.exec(select(GrantRecord.id).limit(1)).first() is None:
        return None
    query = select(Opportunity.funder).distinct()
    if opportunity_ids is not None:
        query = query.where(col(Opportunity.id).in_(opportunity_ids))
    funders = [f for f in session.exec(query) if f]
    if opportunity_ids is not None:  # after a crawl: only funders seen for the first time
        stored = {n for n in session.exec(select(FunderLink.funder_name))}
        funders = [f for f in funders if f not in stored]
    refresh_links(session, funders)  # a full run re-guesses every unconfirmed link (new grants imported)
    return FunderSignal(session, matcher)
