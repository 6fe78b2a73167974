"""Upsert normalised calls by canonical URL, keeping a revision history of changed fields."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Literal

from sqlalchemy import insert
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from tracker.models import Opportunity, OpportunityRevision, Source, utcnow
from tracker.normalize.facts import Facts

Outcome = Literal["new", "changed", "unchanged"]

# Fields whose change is news to a funding lead (and so makes a revision).
TRACKED = (
    "title", "funder", "summary", "deadline", "deadline_time", "rolling", "opens",
    "amount_min", "amount_max", "total_pot", "currency", "status",
    "eligible_org_types", "excluded_org_types", "areas", "themes", "eligibility_text",
)


def _plain(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "strftime"):  # datetime.time
        return value.strftime("%H:%M")
    return value


def facts_values(facts: Facts) -> dict[str, object]:
    values = {name: getattr(facts, name) for name in TRACKED}
    if values["deadline_time"] is not None and not isinstance(values["deadline_time"], str):
        values["deadline_time"] = values["deadline_time"].strftime("%H:%M")
    return values


def content_hash(values: dict[str, object]) -> str:
    blob = json.dumps({k: _plain(v) for k, v in values.items()}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def upsert_call(
    session: Session, facts: Facts, source: Source | None, crawl_run_id: int | None = None,
    now: datetime | None = None,
) -> tuple[Opportunity, Outcome]:
    """Insert a new call, or update an existing one with a revision of what changed."""
    now = now or utcnow()
    opp = session.exec(select(Opportunity).where(Opportunity.url == facts.url)).first()
    if opp is None:
        opp = _new(facts, source, now)
        session.add(opp)
        session.flush()
        return opp, "new"
    return opp, _update(session, opp, facts, source, crawl_run_id, now)


def upsert_calls(
    session: Session, batch: list[Facts], source: Source | None, crawl_run_id: int | None = None,
    now: datetime | None = None,
) -> list[Outcome]:
    """upsert_call for many calls (distinct urls) with one query and one flush: per call
    they cost more than the crawl that found them."""
    now = now or utcnow()
    query = select(Opportunity).where(Opportunity.url.in_([facts.url for facts in batch]))
    known = {opp.url: opp for opp in session.exec(query)}
    outcomes: list[Outcome] = []
    rows = []
    for facts in batch:
        opp = known.get(facts.url)
        if opp is None:
            rows.append(_new_row(facts, source, now))
            outcomes.append("new")
        else:
            outcomes.append(_update(session, opp, facts, source, crawl_run_id, now))
    if rows:  # one multi-row INSERT, without building a model object per row
        session.execute(insert(Opportunity), rows)
    session.flush()
    return outcomes


def _deadlines(facts: Facts) -> list[str]:
    return [d.isoformat() for d in facts.deadlines]


def _new_row(facts: Facts, source: Source | None, now: datetime) -> dict[str, object]:
    values = facts_values(facts)
    return dict(url=facts.url, source_id=source.id if source else None, content_hash=content_hash(values),
                first_seen=now, last_seen=now, last_changed=now, problems=list(facts.problems),
                body=facts.body, deadlines=_deadlines(facts), duplicate_of_id=None, **values)


def _new(facts: Facts, source: Source | None, now: datetime) -> Opportunity:
    return Opportunity(**_new_row(facts, source, now))


def _update(session: Session, opp: Opportunity, facts: Facts, source: Source | None, crawl_run_id: int | None,
            now: datetime) -> Outcome:
    values = facts_values(facts)
    digest = content_hash(values)
    opp.last_seen = now
    if facts.body and opp.body != facts.body:  # page text is kept current without a revision
        opp.body = facts.body
    if list(opp.deadlines or []) != _deadlines(facts):  # so is the list: the next one is `deadline`
        opp.deadlines = _deadlines(facts)
    if source is not None and opp.source_id is None:
        opp.source_id = source.id
    if opp.content_hash == digest:
        session.add(opp)
        return "unchanged"
    changes = {}
    for name, new in values.items():
        old = getattr(opp, name)
        if _plain(old) != _plain(new):
            changes[name] = [_plain(old), _plain(new)]
            setattr(opp, name, new)
    opp.content_hash = digest
    opp.problems = list(facts.problems)
    if not changes:  # hash scheme changed but values did not
        session.add(opp)
        return "unchanged"
    opp.last_changed = now
    session.add(opp)
    session.add(OpportunityRevision(opportunity_id=opp.id, crawl_run_id=crawl_run_id, seen_at=now,
                                    changes=changes))
    return "changed"


def refresh_statuses(session: Session, today: date) -> int:
    """Close calls whose deadline has passed and open upcoming ones whose day came,
    without waiting for a re-crawl. Returns how many changed."""
    changed = 0
    query = select(Opportunity).options(defer(Opportunity.body)).where(Opportunity.status != "closed")
    for opp in session.exec(query):
        new = opp.status
        later = sorted(d for d in (opp.deadlines or []) if d >= today.isoformat())
        if opp.deadline and opp.deadline < today and later:
            # quarterly panels: the next closing date on the page is now the deadline
            session.add(OpportunityRevision(opportunity_id=opp.id, changes={
                "deadline": [opp.deadline.isoformat(), later[0]]}))
            opp.deadline = date.fromisoformat(later[0])
            opp.last_changed = utcnow()
            session.add(opp)
            changed += 1
        elif opp.deadline and opp.deadline < today and not opp.rolling:
            new = "closed"
        elif opp.status == "upcoming" and opp.opens and opp.opens <= today:
            new = "open"
        if new != opp.status:
            session.add(OpportunityRevision(opportunity_id=opp.id, changes={"status": [opp.status, new]}))
            opp.status = new
            opp.last_changed = utcnow()
            session.add(opp)
            changed += 1
    return changed


def after_crawl(session: Session, today: date) -> None:
    """What every crawl is followed by: statuses brought up to today, copies linked."""
    from tracker.dedupe import link_duplicates

    refresh_statuses(session, today)
    link_duplicates(session)
