"""Funds read from the database: the forecast list is kept until a call or bid changes."""

from datetime import date

from tracker.db import session_scope
from tracker.fund_rounds import forecast_funds, fund_of
from tracker.models import Bid, Opportunity

TODAY = date(2026, 11, 26)


def _round(s, year: int, funder: str = "Trust") -> Opportunity:  # noqa: ANN001
    opp = Opportunity(url=f"https://f.example/watch-{funder}-{year}", title=f"Watch Grants {year}", funder=funder,
                      status="closed", opens=date(year, 1, 5), deadline=date(year, 3, 1))
    s.add(opp)
    s.flush()
    return opp


def test_forecast_list_follows_new_calls_and_bids(engine):
    with session_scope(engine) as s:
        _round(s, 2025)
    with session_scope(engine) as s:
        assert forecast_funds(s, TODAY) == []  # one year of rounds: no forecast
    with session_scope(engine) as s:
        latest = _round(s, 2026)
    with session_scope(engine) as s:
        [fund] = forecast_funds(s, TODAY)
        assert fund.forecast.month == "2027-01" and fund.latest.id == latest.id
        assert forecast_funds(s, TODAY) is forecast_funds(s, TODAY)  # kept while nothing changed
        s.add(Bid(opportunity_id=latest.id, status="awarded", amount_awarded=900))
    with session_scope(engine) as s:
        [fund] = forecast_funds(s, TODAY)
        assert fund.latest.bid_status == "awarded" and fund.latest.amount_awarded == 900


def test_a_calls_fund_is_read_from_its_funder_only(engine):
    with session_scope(engine) as s:
        mine = _round(s, 2025)
        _round(s, 2026, funder="TRUST")  # the same funder in capitals
        _round(s, 2026, funder="Another trust")
    with session_scope(engine) as s:
        fund = fund_of(s, s.get(Opportunity, mine.id), TODAY)
        assert [r.funder for r in fund.rounds] == ["Trust", "TRUST"]
