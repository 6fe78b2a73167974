"""Gather one recipient's digest from the database: plain data, no formatting of HTML."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func
from sqlmodel import Session, col, select

from tracker.digest import format as fmt
from tracker.digest.tokens import sign_action
from tracker.models import (
    Bid,
    Digest,
    DigestItem,
    Match,
    Need,
    Opportunity,
    OpportunityRevision,
    Source,
    User,
)

CLOSING_DAYS = 14
MAX_PER_NEED = 10  # more are linked, not listed: Gmail clips mail over 102 KB
BID_ORDER = ("interested", "preparing", "applied", "awarded", "unsuccessful")
OUTCOME_DAYS = 90  # awarded/unsuccessful bids stay in the digest this long
DELIVERED = ("sent", "outbox")


@dataclass
class Link:
    label: str
    url: str


@dataclass
class MatchEntry:
    match_id: int
    title: str
    funder: str
    url: str
    source_url: str
    amount: str
    deadline: str
    score: float
    reasons: list[str]
    summary: str
    actions: list[Link] = field(default_factory=list)


@dataclass
class NeedSection:
    need_id: str
    title: str
    entries: list[MatchEntry]
    more: int = 0
    more_url: str = ""


@dataclass
class Entry:
    """A call listed under closing soon, changed or bids."""

    title: str
    funder: str
    url: str
    deadline: str
    notes: list[str] = field(default_factory=list)
    actions: list[Link] = field(default_factory=list)


@dataclass
class DigestContent:
    user_id: int
    email: str
    name: str
    role: str
    period: str
    today: date
    since: datetime
    base_url: str
    needs: list[NeedSection] = field(default_factory=list)
    closing: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    bids: dict[str, list[Entry]] = field(default_factory=dict)
    sources: list[Entry] = field(default_factory=list)

    @property
    def match_ids(self) -> list[int]:
        return [e.match_id for s in self.needs for e in s.entries]

    @property
    def new_count(self) -> int:
        return len(self.match_ids)

    @property
    def is_empty(self) -> bool:
        """Nothing new to say (bids alone are standing information, not news)."""
        return not (self.needs or self.closing or self.changed or self.sources)


def recipients(session: Session) -> list[User]:
    stmt = select(User).where(col(User.digest).is_(True), col(User.active).is_(True)).order_by(User.email)
    return list(session.exec(stmt))


def last_delivered(session: Session, email: str, period: str) -> datetime | None:
    stmt = select(func.max(Digest.sent_at)).where(
        Digest.recipient == email, col(Digest.status).in_(DELIVERED), Digest.period != period
    )
    return session.exec(stmt).one()


def _followed(session: Session, user: User) -> dict[str, str]:
    stmt = select(Need.id, Need.title).where(col(Need.active).is_(True))
    if user.followed_needs:
        stmt = stmt.where(col(Need.id).in_(user.followed_needs))
    return dict(session.exec(stmt.order_by(Need.id)).all())


def _live(today: date):  # noqa: ANN202 - a SQL condition
    return (
        col(Opportunity.duplicate_of_id).is_(None),
        Opportunity.status != "closed",
        col(Opportunity.deadline).is_(None) | (col(Opportunity.deadline) >= today),
    )


class _Links:
    def __init__(self, base_url: str, secret: str, user: User) -> None:
        self.base, self.secret, self.user = base_url.rstrip("/"), secret, user

    def opportunity(self, opp_id: int) -> str:
        return f"{self.base}/opportunities/{opp_id}"

    def token(self, kind: str, item_id: int, action: str) -> str:
        return sign_action(self.secret, self.user.id, kind, item_id, action)

    def actions(self, kind: str, item_id: int, labels: dict[str, str]) -> list[Link]:
        if self.user.role == "viewer" or not self.secret:
            return []
        return [
            Link(label, f"{self.base}/actions/{self.token(kind, item_id, action)}")
            for action, label in labels.items()
        ]


MATCH_ACTIONS = {"interested": "Interested", "not_relevant": "Not relevant", "applied": "Applied"}


# Only the columns a digest shows: loading whole rows would decode every JSON column.
OPP_COLS = (Opportunity.id, Opportunity.title, Opportunity.funder, Opportunity.deadline, Opportunity.rolling,
            Opportunity.deadline_time)


def _new_matches(session: Session, user: User, needs: dict[str, str], today: date, links: _Links,
                 max_per_need: int) -> list[NeedSection]:
    """The best `max_per_need` unsent matches per need (ranked in SQL), with the total."""
    sent = exists().where(DigestItem.recipient == user.email, DigestItem.match_id == Match.id)
    order = (col(Match.score).desc(), Opportunity.deadline, Match.id)
    ranked = (
        select(Match.id.label("match_id"), Match.need_id, Match.score, Match.reasons, *OPP_COLS,
               Opportunity.url, Opportunity.summary, Opportunity.amount_min, Opportunity.amount_max,
               func.row_number().over(partition_by=Match.need_id, order_by=order).label("rank"),
               func.count().over(partition_by=Match.need_id).label("total"))
        .join(Opportunity, Opportunity.id == Match.opportunity_id)
        .where(col(Match.need_id).in_(list(needs)), col(Match.eligible).is_(True),
               col(Match.dismissed).is_(False), ~sent, *_live(today))
        .subquery()
    )
    stmt = select(ranked).where(ranked.c.rank <= max_per_need).order_by(ranked.c.need_id, ranked.c.rank)
    grouped: dict[str, list] = defaultdict(list)
    for row in session.execute(stmt):
        grouped[row.need_id].append(row)
    sections = []
    for need_id, title in needs.items():
        rows = grouped.get(need_id)
        if not rows:
            continue
        entries = [
            MatchEntry(
                match_id=r.match_id, title=r.title, funder=r.funder or "Funder not stated",
                url=links.opportunity(r.id), source_url=r.url,
                amount=fmt.amount_range(r.amount_min, r.amount_max),
                deadline=fmt.deadline_text(r.deadline, today, r.rolling, r.deadline_time),
                score=r.score, reasons=[str(x) for x in (r.reasons or [])], summary=r.summary or "",
                actions=links.actions("match", r.match_id, MATCH_ACTIONS),
            )
            for r in rows
        ]
        more_url = f"{links.base}/opportunities?need={need_id}"
        sections.append(NeedSection(need_id, title, entries, rows[0].total - len(rows), more_url))
    return sections


def _matched_ids(needs: dict[str, str]):  # noqa: ANN202 - a SQL subquery
    return select(Match.opportunity_id).where(
        col(Match.need_id).in_(list(needs)), col(Match.eligible).is_(True), col(Match.dismissed).is_(False)
    )


def _closing(session: Session, needs: dict[str, str], today: date, links: _Links) -> list[Entry]:
    end = today + timedelta(days=CLOSING_DAYS)
    why: dict[int, list[str]] = defaultdict(list)
    soon = (col(Opportunity.deadline) >= today, col(Opportunity.deadline) <= end, *_live(today))
    matched = (
        select(Opportunity.id, Match.need_id).join(Match, Match.opportunity_id == Opportunity.id)
        .where(col(Match.need_id).in_(list(needs)), col(Match.eligible).is_(True),
               col(Match.dismissed).is_(False), *soon)
    )
    for opp_id, need_id in session.exec(matched):
        why[opp_id].append(f"Matches: {needs[need_id]}")
    bids = select(Opportunity.id, Bid.status).join(Bid, Bid.opportunity_id == Opportunity.id).where(
        col(Bid.status).in_(("interested", "preparing")), *soon
    )
    for opp_id, status in session.exec(bids):
        why[opp_id].append(f"Team bid: {status}")
    if not why:
        return []
    opps = session.execute(select(*OPP_COLS).where(col(Opportunity.id).in_(list(why)))).all()
    opps = sorted(opps, key=lambda o: (o.deadline, o.title))
    return [_entry(o, today, links, why[o.id]) for o in opps]


def _entry(o: Any, today: date, links: _Links, notes: list[str]) -> Entry:
    return Entry(o.title, o.funder or "Funder not stated", links.opportunity(o.id),
                 fmt.deadline_text(o.deadline, today, o.rolling, o.deadline_time), notes)


def describe_changes(changes: dict) -> list[str]:
    """Plain-English lines for the revision fields a team cares about."""
    lines = []
    if "deadline" in changes:
        old, new = changes["deadline"]
        if old and new:
            lines.append(f"Deadline moved from {fmt.short_date(old)} to {fmt.short_date(new)}")
        elif new:
            lines.append(f"Deadline set: {fmt.short_date(new)}")
        else:
            lines.append("Deadline removed")
    if "status" in changes:
        old, new = changes["status"]
        if old == "closed" and new in ("open", "upcoming"):
            lines.append("Reopened" if new == "open" else "Reopened (opens soon)")
    if "amount_min" in changes or "amount_max" in changes:
        lo = changes.get("amount_min")
        hi = changes.get("amount_max")
        before = fmt.amount_range(lo[0] if lo else None, hi[0] if hi else None)
        after = fmt.amount_range(lo[1] if lo else None, hi[1] if hi else None)
        if lo is None or hi is None:  # only one end changed: say which
            end, (a, b) = ("Minimum", lo) if lo else ("Maximum", hi)
            before, after = (fmt.money(a) if a else "not stated"), (fmt.money(b) if b else "not stated")
            lines.append(f"{end} grant changed from {before} to {after}")
        else:
            lines.append(f"Amount changed from {before} to {after}")
    if "total_pot" in changes:
        a, b = changes["total_pot"]
        lines.append(f"Total pot changed from {fmt.money(a) if a else 'not stated'} to "
                     f"{fmt.money(b) if b else 'not stated'}")
    return lines


def _merge(revisions: list[dict]) -> dict:
    """Oldest 'old' and newest 'new' per field across several revisions; drop no-ops."""
    merged: dict = {}
    for changes in revisions:
        for key, pair in changes.items():
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                continue
            merged[key] = [merged[key][0] if key in merged else pair[0], pair[1]]
    return {k: v for k, v in merged.items() if v[0] != v[1]}


def _changed(session: Session, needs: dict[str, str], since: datetime, today: date,
             links: _Links) -> list[Entry]:
    team_bids = select(Bid.opportunity_id).where(Bid.status != "withdrawn")
    stmt = (
        select(OpportunityRevision.opportunity_id, OpportunityRevision.changes)
        .where(OpportunityRevision.seen_at >= since,
               col(OpportunityRevision.opportunity_id).in_(_matched_ids(needs))
               | col(OpportunityRevision.opportunity_id).in_(team_bids))
        .order_by(OpportunityRevision.seen_at, OpportunityRevision.id)
    )
    per_opp: dict[int, list[dict]] = defaultdict(list)
    for opp_id, changes in session.exec(stmt):
        per_opp[opp_id].append(changes or {})
    notes = {k: describe_changes(_merge(v)) for k, v in per_opp.items()}
    notes = {k: v for k, v in notes.items() if v}
    if not notes:
        return []
    opps = session.execute(select(*OPP_COLS).where(col(Opportunity.id).in_(list(notes)))).all()
    return [_entry(o, today, links, notes[o.id]) for o in sorted(opps, key=lambda o: o.title)]


def _bid_rows(session: Session, now: datetime) -> list:
    cutoff = now - timedelta(days=OUTCOME_DAYS)
    stmt = (
        select(Bid.id.label("bid_id"), Bid.status, *OPP_COLS, User.email)
        .join(Opportunity, Opportunity.id == Bid.opportunity_id)
        .join(User, User.id == Bid.owner_id, isouter=True)
        .where(col(Bid.status).in_(BID_ORDER))
        .where(col(Bid.status).in_(("interested", "preparing", "applied")) | (Bid.updated_at >= cutoff))
        .order_by(Opportunity.deadline, Opportunity.title)
    )
    return list(session.execute(stmt))


def _bids(rows: list, today: date, links: _Links) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = {s: [] for s in BID_ORDER}
    for row in rows:
        entry = _entry(row, today, links, [f"Owner: {row.email}"] if row.email else [])
        if row.status in ("interested", "preparing"):
            entry.actions = links.actions("bid", row.bid_id, {"applied": "Mark applied"})
        groups[row.status].append(entry)
    return {s: e for s, e in groups.items() if e}


def _unhealthy(session: Session) -> list[Entry]:
    stmt = select(Source).where(col(Source.enabled).is_(True), col(Source.healthy).is_(False))
    out = []
    for src in session.exec(stmt.order_by(Source.name)):
        last = "never crawled"
        if src.last_crawl_at:
            last = f"last crawled {fmt.short_date(src.last_crawl_at.date())}"
        out.append(Entry(src.name, "", src.url, "", [src.health_note or "Unhealthy", last]))
    return out


def build_digest(session: Session, user: User, *, now: datetime, timezone: str, base_url: str,
                 secret: str, max_per_need: int = MAX_PER_NEED, cache: dict | None = None) -> DigestContent:
    """Everything one recipient's digest says for the period containing `now`. Pass the same
    `cache` dict for every recipient of a batch: team-wide sections are then read once."""
    period = fmt.period_for(now, timezone)
    today = fmt.local_today(now, timezone)
    since = last_delivered(session, user.email, period) or fmt.week_ago(now)
    links = _Links(base_url, secret, user)
    memo = _Memo(cache)
    needs = memo(("needs", tuple(sorted(user.followed_needs or []))), lambda: _followed(session, user))
    content = DigestContent(user.id, user.email, user.name, user.role, period, today, since, links.base)
    key = tuple(needs)
    if needs:
        content.needs = _new_matches(session, user, needs, today, links, max_per_need)
        content.closing = memo(("closing", key, today), lambda: _closing(session, needs, today, links))
        content.changed = memo(("changed", key, since, today), lambda: _changed(session, needs, since, today, links))
    content.bids = _bids(memo(("bids", now), lambda: _bid_rows(session, now)), today, links)
    if user.role == "admin":
        content.sources = memo(("sources",), lambda: _unhealthy(session))
    return content


class _Memo:
    def __init__(self, cache: dict | None) -> None:
        self.cache = cache

    def __call__(self, key: tuple, compute: Callable[[], Any]) -> Any:
        if self.cache is None:
            return compute()
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]
