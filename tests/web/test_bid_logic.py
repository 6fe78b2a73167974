"""tracker.bids: the state machine and create-or-advance, used by the web and digest links."""

import pytest
from sqlmodel import select

from tracker import bids
from tracker.db import session_scope
from tracker.models import Bid, BidEvent, Match, Need, Opportunity


@pytest.fixture
def ids(sqlite_engine):
    with session_scope(sqlite_engine) as s:
        s.add(Need(id="N1", title="n"))
        opp = Opportunity(url="https://f.example/1", title="Call")
        s.add(opp)
        s.flush()
        match = Match(need_id="N1", opportunity_id=opp.id, eligible=True, dismissed=True, dismissed_by="x")
        s.add(match)
        s.flush()
        return {"opp": opp.id, "match": match.id}


def test_mark_interested_creates_once_and_undismisses(sqlite_engine, ids):
    with session_scope(sqlite_engine) as s:
        match = s.get(Match, ids["match"])
        first = bids.mark_interested(s, match, None)
        again = bids.mark_interested(s, match, None)
        assert first.id == again.id and first.status == "interested" and not match.dismissed
        assert len(s.exec(select(BidEvent)).all()) == 1


def test_advance_never_goes_backwards_and_reopens_withdrawn(sqlite_engine, ids):
    with session_scope(sqlite_engine) as s:
        bid = bids.mark_applied(s, ids["opp"], "N1", None)
        assert bid.status == "applied"
        bids.mark(s, ids["opp"], "N1", "preparing")
        assert bid.status == "applied"
        bids.change_status(s, bid, "withdrawn")
        bids.mark_interested(s, s.get(Match, ids["match"]))
        assert bid.status == "interested"
        events = [(e.from_status, e.to_status) for e in bids.history(s, bid)]
        assert events == [(None, "applied"), ("applied", "withdrawn"), ("withdrawn", "interested")]


@pytest.mark.parametrize(("start", "to"), [("awarded", "applied"), ("unsuccessful", "awarded"),
                                          ("interested", "awarded"), ("applied", "nonsense")])
def test_illegal_transitions(sqlite_engine, ids, start, to):
    with session_scope(sqlite_engine) as s:
        bid = Bid(opportunity_id=ids["opp"], status=start)
        s.add(bid)
        s.flush()
        with pytest.raises(bids.BidError):
            bids.change_status(s, bid, to)


def test_details_are_recorded(sqlite_engine, ids):
    with session_scope(sqlite_engine) as s:
        bid = bids.create_bid(s, ids["opp"])
        changes = bids.update_details(s, bid, user_id=None, owner_id=None, amount_requested=500,
                                      amount_awarded=None, notes="hi")
        assert changes == ["amount requested: - → 500", "notes edited"]
        assert bids.update_details(s, bid, user_id=None, owner_id=None, amount_requested=500,
                                   amount_awarded=None, notes="hi") == []
        with pytest.raises(bids.BidError):
            bids.update_details(s, bid, user_id=None, owner_id=None, amount_requested=-1, amount_awarded=None,
                                notes="hi")
