"""The demo's stored history (history.json): earlier rounds of the demo funders' funds and
the team's bids on them with outcomes and decisions, so that past rounds, forecasts and the
report have something to show. Loading twice adds nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, select

from tracker.demo import DEMO_DIR
from tracker.models import Bid, BidEvent, Decision, Need, Opportunity, User

HISTORY_FILE = DEMO_DIR / "history.json"


def load_history_file() -> list[dict[str, Any]]:
    return json.loads(HISTORY_FILE.read_text(encoding="utf-8"))["rounds"]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def load_history(session: Session, base_url: str, owner: User) -> int:
    """Add the history's rounds (closed calls at their old addresses) with their bids and
    decisions; rounds already stored are left alone. Returns how many rounds were added."""
    needs = {n.id for n in session.exec(select(Need))}
    added = 0
    for entry in load_history_file():
        url = base_url.rstrip("/") + entry["path"]
        if session.exec(select(Opportunity.id).where(Opportunity.url == url)).first() is not None:
            continue
        opens, deadline = date.fromisoformat(entry["opens"]), date.fromisoformat(entry["deadline"])
        opp = Opportunity(url=url, funder=entry["funder"], title=entry["title"], opens=opens, deadline=deadline,
                          status="closed", amount_min=entry.get("amount_min"), amount_max=entry.get("amount_max"),
                          themes=entry.get("themes", []), areas=entry.get("areas", []),
                          summary=f"An earlier round of this fund ({entry['title']}).", body=entry.get("body", ""),
                          first_seen=_at(opens), last_seen=_at(deadline), last_changed=_at(opens))
        session.add(opp)
        session.flush()
        added += 1
        if "bid" in entry and entry["bid"]["need"] in needs:
            _bid(session, opp, entry["bid"], owner)
        if "decision" in entry and entry["decision"]["need"] in needs:
            d = entry["decision"]
            session.add(Decision(opportunity_id=opp.id, need_id=d["need"], decision="no_bid", reason=d["reason"],
                                 note=d.get("note", ""), user_id=owner.id, decided_at=_at(opens + timedelta(days=5))))
    session.flush()
    return added


def _bid(session: Session, opp: Opportunity, spec: dict[str, Any], owner: User) -> None:
    started = _at(opp.opens + timedelta(days=7))
    applied = _at(opp.deadline - timedelta(days=2))
    decided = _at(opp.deadline + timedelta(days=60))
    session.add(Decision(opportunity_id=opp.id, need_id=spec["need"], decision="bid", reason=spec["reason"],
                         user_id=owner.id, decided_at=_at(opp.opens + timedelta(days=5))))
    bid = Bid(opportunity_id=opp.id, need_id=spec["need"], owner_id=owner.id, status=spec["status"],
              amount_requested=spec.get("amount_requested"), amount_awarded=spec.get("amount_awarded"),
              feedback=spec.get("feedback", ""), created_at=started, updated_at=decided)
    session.add(bid)
    session.flush()
    steps = [(None, "interested", started, "bid created"), ("interested", "applied", applied, "application sent"),
             ("applied", spec["status"], decided, "funder's decision")]
    for from_status, to_status, at, note in steps:
        session.add(BidEvent(bid_id=bid.id, user_id=owner.id, from_status=from_status, to_status=to_status,
                             note=note, at=at))
