"""Recurring rounds over the database: a call's fund (its rounds, with the team's bids and
outcomes) and the funds forecast to reopen (tracker.rounds does the grouping and forecast)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from tracker.models import Bid, Opportunity
from tracker.rounds import Forecast, Round, forecast, funder_key, group

COLUMNS = (Opportunity.id, Opportunity.title, Opportunity.funder, Opportunity.url, Opportunity.opens,
           Opportunity.deadline, Opportunity.status, Opportunity.amount_min, Opportunity.amount_max,
           Opportunity.first_seen)
BID_RANK = {"awarded": 0, "unsuccessful": 1, "applied": 2, "preparing": 3, "interested": 4, "withdrawn": 5}


@dataclass
class Fund:
    rounds: list[Round]
    forecast: Forecast

    @property
    def latest(self) -> Round:
        return self.rounds[-1]


def _rounds(session: Session, funder: str | None = None) -> list[Round]:
    query = select(*COLUMNS).where(col(Opportunity.duplicate_of_id).is_(None))
    if funder is not None:  # one funder's calls (case aside) from SQL; its spelling variants in Python below
        query = query.where(func.lower(func.coalesce(Opportunity.funder, "")) == (funder or "").lower())
    rows = list(session.exec(query))
    if funder is not None:
        key = funder_key(funder)
        rows = [r for r in rows if funder_key(r.funder) == key]
    rounds = [Round(*r[:-1], first_seen=r.first_seen.date() if r.first_seen else None) for r in rows]
    bids: dict[int, Bid] = {}
    ids = [r.id for r in rounds]
    for start in range(0, len(ids), 500):
        for bid in session.exec(select(Bid).where(col(Bid.opportunity_id).in_(ids[start:start + 500]))):
            best = bids.get(bid.opportunity_id)
            if best is None or BID_RANK.get(bid.status, 9) < BID_RANK.get(best.status, 9):
                bids[bid.opportunity_id] = bid
    for r in rounds:
        if r.id in bids:
            bid = bids[r.id]
            r.bid_status, r.amount_requested, r.amount_awarded = bid.status, bid.amount_requested, bid.amount_awarded
    return rounds


def fund_of(session: Session, opp: Opportunity, today: date) -> Fund:
    """The fund `opp` belongs to: its rounds (itself included) and the forecast."""
    for rounds in group(_rounds(session, opp.funder)):
        if any(r.id == opp.id for r in rounds):
            return Fund(rounds, forecast(rounds, today))
    raise LookupError(opp.id)  # pragma: no cover - a stored call is always in its own fund


_FUNDS: dict[str, tuple[tuple, list[Fund]]] = {}  # per database: (data fingerprint, funds)


def _fingerprint(session: Session, today: date) -> tuple:
    """Changes whenever a call or a bid is added or changed (or the day turns)."""
    calls = session.exec(select(func.count(), func.max(Opportunity.last_changed), func.max(Opportunity.id))).one()
    bids = session.exec(select(func.count(), func.max(Bid.updated_at), func.max(Bid.id))).one()
    return (today, *calls, *bids)


def forecast_funds(session: Session, today: date) -> list[Fund]:
    """Every fund forecast to reopen (soonest first); a fund of one call is never forecast.
    Grouping every stored call takes about a second per 20,000 calls: the result is kept
    per database until a call or bid changes."""
    key = str(session.get_bind().url)
    stamp = _fingerprint(session, today)
    cached = _FUNDS.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    funds = _forecast_funds(session, today)
    _FUNDS[key] = (stamp, funds)
    return funds


def _forecast_funds(session: Session, today: date) -> list[Fund]:
    funds = []
    for rounds in group(_rounds(session)):
        if len(rounds) > 1:
            predicted = forecast(rounds, today)
            if predicted.expected is not None:
                funds.append(Fund(rounds, predicted))
    return sorted(funds, key=lambda f: (f.forecast.expected, f.latest.title))


def expected_ids(session: Session, today: date) -> list[int]:
    """The latest call of each fund forecast to reopen: what the "expected" filter lists."""
    return [f.latest.id for f in forecast_funds(session, today)]
