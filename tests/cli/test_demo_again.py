"""Running `tracker demo` again updates the same calls: no call, match or digest item twice,
and a bid made after the first run is still on its call."""

import email
import json
import re
from collections import Counter
from email import policy

from sqlmodel import Session, select

from tracker.bids import create_bid
from tracker.db import make_engine
from tracker.demo.history import load_history_file
from tracker.models import Bid, Opportunity


def _listed(eml) -> set[str]:  # noqa: ANN001
    """The new calls a digest lists (its text part's numbered card titles)."""
    text = email.message_from_bytes(eml.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    return set(re.findall(r"^\d+\. (.+)$", text, re.M))


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
    # (the demo's stored history adds calls to the matching corpus, so a need can have more new calls than
    # the digest's top 5; those beyond come next time: new to the reader, never a repeat)
    run_tracker("digest", "preview", "--out", str(tmp_path / "preview"))
    [eml] = (tmp_path / "preview").glob("*.eml")
    [sent] = (run_tracker.home / "outbox").glob("*.eml")
    listed = _listed(eml)
    assert not listed & _listed(sent), f"sent again: {listed & _listed(sent)}"
    subject = email.message_from_bytes(eml.read_bytes(), policy=policy.default)["subject"]
    assert "nothing new for you" in subject or f"{len(listed)} new for you" in subject, subject
    with Session(engine) as session:
        # the demo's stored history holds the team's earlier bids; the new one stays on its call, once
        [bid] = [b for b in session.exec(select(Bid)) if b.opportunity_id == bid_call]
        assert len(session.exec(select(Bid)).all()) == 1 + sum("bid" in r for r in load_history_file())
        assert session.get(Opportunity, bid_call).url == chosen["url"]
    engine.dispose()
