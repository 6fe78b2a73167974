"""Running `tracker demo` again updates the same calls: no call, match or digest item twice,
and a bid made after the first run is still on its call."""

import email
import json
from collections import Counter
from email import policy

from sqlmodel import Session, select

from tracker.bids import create_bid
from tracker.db import make_engine
from tracker.models import Bid, Opportunity


def _paths(rows: list[dict], *keys: str) -> Counter:
    return Counter(tuple(r[k] for k in keys) for r in rows)


def test_demo_twice_updates_the_same_calls(run_tracker, db_url, tmp_path) -> None:
    first = run_tracker("demo")
    assert "calls found: 23" in first.stdout
    calls = json.loads(run_tracker("opportunities", "export", "--format", "json").stdout)
    matches = json.loads(run_tracker("matches", "list", "--format", "json").stdout)
    chosen = next(m for m in matches if m["eligible"])
    engine = make_engine(db_url)
    with Session(engine) as session:
        opp = session.exec(select(Opportunity).where(Opportunity.url == chosen["url"])).one()
        create_bid(session, opp.id, need_id=chosen["need_id"])
        session.commit()
        bid_call = opp.id

    second = run_tracker("demo")
    assert "calls found: 23" in second.stdout

    again = json.loads(run_tracker("opportunities", "export", "--format", "json").stdout)
    assert len(again) == len(calls)
    assert sorted(o["url"] for o in again) == sorted(o["url"] for o in calls)
    twice = [k for k, n in _paths(json.loads(run_tracker("matches", "list", "--format", "json").stdout),
                                  "need_id", "title").items() if n > 1]
    assert twice == [], f"matches listed twice: {twice}"
    # what the next digest would send: no match again, every one already went out once
    run_tracker("digest", "preview", "--out", str(tmp_path / "preview"))
    [eml] = (tmp_path / "preview").glob("*.eml")
    subject = email.message_from_bytes(eml.read_bytes(), policy=policy.default)["subject"]
    assert "nothing new for you" in subject, subject
    with Session(engine) as session:
        [bid] = session.exec(select(Bid)).all()
        assert bid.opportunity_id == bid_call
        assert session.get(Opportunity, bid_call).url == chosen["url"]
    engine.dispose()
