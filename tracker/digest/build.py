"""Gather one recipient's digest from the database: plain data, no formatting of HTML."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.digest import format as fmt
from tracker.digest.tokens import sign_action, sign_preferences
from tracker.fund_rounds import Fund, forecast_funds
from tracker.funder_history import HISTORY_REASON, HistoryCache, digest_line
from tracker.matching.explain import states_timing
from tracker.models import (
    Bid,
    Digest,
    DigestItem,
    Follow,
    GrantRecord,
    Match,
    Need,
    Opportunity,
    OpportunityRevision,
    Source,
    User,
)
from tracker.startby import start_by as plan_start
from tracker.team import followed_ids

CLOSING_DAYS = 14
NO_FUNDER = "Funder not stated"
EXPECTED_DAYS = 92  # a fund forecast to reopen in a month starting within this is "expected to open soon"
MAX_PER_NEED = 5  # the top calls per need are listed; the rest are linked (the web list)
BID_ORDER = ("interested", "preparing", "applied", "awarded", "unsuccessful")
MAX_BIDS = 10  # team bids listed in full in a digest
OUTCOME_DAYS = 90  # awarded/unsuccessful bids stay in the digest this long
DELIVERED = ("sent", "outbox")


@dataclass
class Link:
    label: str
    url: str


@dataclass
class NeedTag:
    """A need a call matches, named inside the call's card, with when to start the bid."""

    need_id: str
    title: str
    start_by: str = ""  # "" without a deadline or preparation days


@dataclass
class CallCard:
    """One new call, listed once however many needs it matches."""

    opportunity_id: int
    title: str
    funder: str
    url: str
    source_url: str
    amount: str
    deadline: str  # stated once, e.g. '14 Mar 2027 (104 days)'
    score: float
    reasons: list[str]
    summary: str
    needs: list[NeedTag] = field(default_factory=list)
    match_ids: list[int] = field(default_factory=list)  # every new match it stands for
    closing_soon: bool = False
    funder_line: str = ""  # the funder's 360Giving record in the need's area (tracker.funder_history)
    notes: list[str] = field(default_factory=list)  # what changed, the team's bid
    actions: list[Link] = field(default_factory=list)

    @property
    def start_by(self) -> str:
        """The start-by date when every need shares it ('' if none or they differ)."""
        dates = {t.start_by for t in self.needs}
        return dates.pop() if len(dates) == 1 else ""

    @property
    def match_id(self) -> int:  # the primary need's match, which the action links act on
        return self.match_ids[0]


@dataclass
class NeedSection:
    need_id: str
    title: str
    cards: list[CallCard]
    total: int = 0  # new calls for this need
    elsewhere: int = 0  # of its top calls, how many are listed under another need
    more: int = 0  # beyond its top calls: on the web only
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
    opportunity_id: int | None = None
    card_notes: list[str] = field(default_factory=list)  # its notes inside a new call's card


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
    frequency: str = "weekly"
    needs: list[NeedSection] = field(default_factory=list)
    new_total: int = 0  # distinct new calls for this recipient, listed or not
    closing_total: int = 0  # calls for their needs or team bids closing within CLOSING_DAYS
    bids_due: int = 0  # the recipient's own open bids closing within CLOSING_DAYS
    closing: list[Entry] = field(default_factory=list)  # closing soon, not already listed as new
    expected: list[Entry] = field(default_factory=list)  # funds for their needs forecast to reopen soon
    changed: list[Entry] = field(default_factory=list)
    bids: dict[str, list[Entry]] = field(default_factory=dict)
    bids_more: int = 0  # team bids not listed (past MAX_BIDS): counted, with a link to the bids page
    bids_url: str = ""
    sources: list[Entry] = field(default_factory=list)
    preferences_url: str = ""
    unsubscribe_url: str = ""

    @property
    def cards(self) -> list[CallCard]:
        return [c for s in self.needs for c in s.cards]

    @property
    def match_ids(self) -> list[int]:
        return [m for c in self.cards for m in c.match_ids]

    @property
    def new_count(self) -> int:
        return self.new_total

    @property
    def is_empty(self) -> bool:
        """Nothing new to say (bids alone are standing information, not news). A daily digest
        is sent only for news: the calls closing soon are the same every day."""
        if self.frequency == "daily":
            return not (self.needs or self.changed)
        return not (self.needs or self.closing_total or self.changed or self.sources)


def recipients(session: Session, frequency: str | None = None) -> list[User]:
    """Active users whose digest is on; only those who chose `frequency` when given."""
    stmt = select(User).where(col(User.digest).is_(True), col(User.active).is_(True))
    if frequency is not None:
        stmt = stmt.where(User.digest_frequency == frequency)
    return list(session.exec(stmt.order_by(User.email)))


def last_delivered(session: Session, email: str, period: str) -> datetime | None:
    stmt = select(func.max(Digest.sent_at)).where(
        Digest.recipient == email, col(Digest.status).in_(DELIVERED), Digest.period != period
    )
    return session.exec(stmt).one()


def _last_delivered(session: Session, email: str, period: str, memo: _Memo) -> datetime | None:
    """last_delivered, read for every recipient at once in a batch (a recipient's own rows
    change only when their digest goes)."""
    if memo.cache is None:
        return last_delivered(session, email, period)

    def read() -> dict[str, datetime]:
        stmt = (select(Digest.recipient, func.max(Digest.sent_at))
                .where(col(Digest.status).in_(DELIVERED), Digest.period != period).group_by(Digest.recipient))
        return dict(session.exec(stmt).all())

    return memo(("last delivered", period), read).get(email)


def _followed_calls(session: Session, user: User, memo: _Memo) -> tuple[int, ...]:
    """The calls `user` follows (team.followed_ids), read for every user at once in a batch."""
    if memo.cache is None:
        return tuple(sorted(followed_ids(session, user.id)))

    def read() -> dict[int, tuple[int, ...]]:
        out: dict[int, list[int]] = defaultdict(list)
        for user_id, opp_id in session.exec(select(Follow.user_id, Follow.opportunity_id)):
            out[user_id].append(opp_id)
        return {u: tuple(sorted(ids)) for u, ids in out.items()}

    return memo(("followed",), read).get(user.id, ())


@dataclass(frozen=True)
class NeedInfo:
    title: str
    prep_days: int
    area: str = ""


def _followed(session: Session, user: User, memo: _Memo) -> dict[str, NeedInfo]:
    """The active needs `user` follows (all of them if none is chosen), in id order."""
    def read() -> dict[str, NeedInfo]:
        stmt = select(Need.id, Need.title, Need.prep_days, Need.area).where(col(Need.active).is_(True))
        return {i: NeedInfo(t, p or 0, a) for i, t, p, a in session.exec(stmt.order_by(Need.id)).all()}

    active = memo(("active needs",), read)
    chosen = set(user.followed_needs or [])
    return {i: info for i, info in active.items() if not chosen or i in chosen}


def start_by(deadline: date | None, prep_days: int, today: date, signoff_days: int = 0) -> str:
    """When to start a bid to be ready by the deadline (tracker.startby: working days for
    preparation and sign-off); '' without a deadline or anything to plan."""
    if deadline is None or prep_days + signoff_days <= 0:
        return ""
    planned = plan_start(deadline, prep_days, signoff_days)
    return planned.words(today) if planned else ""


def _live(today: date):  # noqa: ANN202 - a SQL condition
    return (
        col(Opportunity.duplicate_of_id).is_(None),
        Opportunity.status != "closed",
        col(Opportunity.deadline).is_(None) | (col(Opportunity.deadline) >= today),
    )


class _Links:
    def __init__(self, base_url: str, secret: str, user: User, signoff_days: int = 0) -> None:
        self.base, self.secret, self.user = base_url.rstrip("/"), secret, user
        self.signoff_days = signoff_days  # carried to the cards' start-by dates

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
CARD_COLS = (*OPP_COLS, Opportunity.url, Opportunity.summary, Opportunity.amount_min, Opportunity.amount_max)


@dataclass(frozen=True)
class _Candidate:
    """An eligible, undismissed match of a live call: what a digest may list as new."""

    match_id: int
    need_id: str
    opportunity_id: int
    score: float


@dataclass
class _Candidates:
    """Every candidate match of the batch, per need in the digest's ranking order (best
    score, then the earlier deadline, then the older match: ordered by the database, so
    that calls without a deadline sort where it puts them), and per call."""

    by_need: dict[str, list[_Candidate]]
    by_opp: dict[int, dict[str, _Candidate]]


def _candidates(session: Session, today: date) -> _Candidates:
    stmt = (select(Match.id, Match.need_id, Match.opportunity_id, Match.score)
            .join(Opportunity, Opportunity.id == Match.opportunity_id)
            .where(col(Match.eligible).is_(True), col(Match.dismissed).is_(False), *_live(today))
            .order_by(col(Match.score).desc(), Opportunity.deadline, Match.id))
    found = _Candidates(defaultdict(list), defaultdict(dict))
    for row in session.execute(stmt):
        c = _Candidate(*row)
        found.by_need[c.need_id].append(c)
        found.by_opp[c.opportunity_id][c.need_id] = c
    return found


def _sent(session: Session, email: str, today: date, memo: _Memo) -> set[int]:
    """The candidate matches already sent to `email` (DigestItem). In a batch they are read
    for every recipient at once: each recipient's are only written when their own digest
    goes, after it is built."""
    def read(recipient: str | None) -> dict[str, set[int]]:
        stmt = (select(DigestItem.recipient, DigestItem.match_id)
                .join(Match, Match.id == DigestItem.match_id)
                .join(Opportunity, Opportunity.id == Match.opportunity_id)
                .where(col(Match.eligible).is_(True), col(Match.dismissed).is_(False), *_live(today)))
        if recipient is not None:
            stmt = stmt.where(DigestItem.recipient == recipient)
        out: dict[str, set[int]] = defaultdict(set)
        for who, match_id in session.execute(stmt):
            out[who].add(match_id)
        return out

    if memo.cache is None:
        return read(email).get(email, set())
    return memo(("sent", today), lambda: read(None)).get(email, set())


def _new_matches(session: Session, user: User, needs: dict[str, NeedInfo], today: date, links: _Links,
                 top: int, memo: _Memo) -> tuple[list[NeedSection], int]:
    """The best `top` new calls per need, each as one card under the need it fits best and
    naming every need it matches; and how many distinct new calls there are."""
    found = memo(("candidates", today), lambda: _candidates(session, today))
    sent = _sent(session, user.email, today, memo)
    tops: dict[str, list[int]] = {}
    totals: dict[str, int] = {}
    every: set[int] = set()
    for need_id in needs:
        rows = found.by_need.get(need_id, [])
        if sent:
            rows = [c for c in rows if c.match_id not in sent]
        if rows:
            tops[need_id] = [c.opportunity_id for c in rows[:top]]
            totals[need_id] = len(rows)
            every.update(c.opportunity_id for c in rows)
    if not tops:
        return [], 0
    listed = {o for ids in tops.values() for o in ids}
    facts = _call_facts(session, listed, today, memo)
    order_of = {n: i for i, n in enumerate(needs)}
    homes: dict[int, tuple[str, dict[str, _Candidate]]] = {}
    for opp_id in listed:
        by_need = {n: c for n, c in found.by_opp[opp_id].items() if n in needs and c.match_id not in sent}
        home = max((n for n in needs if opp_id in tops.get(n, ())), key=lambda n: (by_need[n].score, -order_of[n]))
        homes[opp_id] = home, by_need
    reasons = _reasons(session, [by_need[home].match_id for home, by_need in homes.values()], memo)
    placed: dict[str, list[CallCard]] = defaultdict(list)
    for opp_id, (home, by_need) in homes.items():
        card = _card(facts[opp_id], by_need, home, needs, today, links, memo)
        card.reasons = list(reasons[card.match_id])
        placed[home].append(card)
    sections = []
    for need_id, info in needs.items():
        if need_id not in tops:
            continue
        cards = sorted(placed.get(need_id, []), key=lambda c: (-c.score, facts[c.opportunity_id].deadline
                                                                or date.max, c.opportunity_id))
        shown = len(tops[need_id])
        sections.append(NeedSection(need_id, info.title, cards, totals[need_id], elsewhere=shown - len(cards),
                                    more=totals[need_id] - shown,
                                    more_url=f"{links.base}/opportunities?need={need_id}"))
    return sections, len(every)


@dataclass(frozen=True)
class _CallFacts:
    """What a card says about its call, the same for every recipient of a batch."""

    id: int
    title: str
    funder: str
    source_url: str
    amount: str
    deadline: date | None
    deadline_words: str
    summary: str
    closing_soon: bool


def _call_facts(session: Session, ids: set[int], today: date, memo: _Memo) -> dict[int, _CallFacts]:
    known: dict[int, _CallFacts] = memo(("call facts", today), dict)
    for o in _call_rows(session, [i for i in ids if i not in known], memo):
        soon = o.deadline is not None and today <= o.deadline <= today + timedelta(days=CLOSING_DAYS)
        known[o.id] = _CallFacts(o.id, o.title, o.funder or NO_FUNDER, o.url,
                                 fmt.amount_range(o.amount_min, o.amount_max), o.deadline,
                                 fmt.deadline_text(o.deadline, today, o.rolling, o.deadline_time),
                                 o.summary or "", soon)
    return {i: known[i] for i in ids}


def _reasons(session: Session, match_ids: list[int], memo: _Memo) -> dict[int, list[str]]:
    """Each match's reasons as a card shows them: the deadline is stated once, by the card,
    so the matcher's own dated timing line is dropped."""
    known: dict[int, list[str]] = memo(("reasons",), dict)
    missing = [m for m in match_ids if m not in known]
    if missing:
        for match_id, reasons in session.execute(select(Match.id, Match.reasons)
                                                 .where(col(Match.id).in_(missing))):
            known[match_id] = [str(x) for x in (reasons or []) if not states_timing(str(x))]
    return {m: known[m] for m in match_ids}


def _card(o: _CallFacts, by_need: dict[str, _Candidate], home: str, needs: dict[str, NeedInfo], today: date,
          links: _Links, memo: _Memo) -> CallCard:
    first = by_need[home]
    others = [n for n in needs if n in by_need and n != home]
    starts: dict[tuple, str] = memo(("start by", today, links.signoff_days), dict)
    tags = []
    for n in [home, *others]:
        key = (o.deadline, needs[n].prep_days)
        if key not in starts:
            starts[key] = start_by(o.deadline, needs[n].prep_days, today, links.signoff_days)
        tags.append(NeedTag(n, needs[n].title, starts[key]))
    return CallCard(
        opportunity_id=o.id, title=o.title, funder=o.funder, url=links.opportunity(o.id), source_url=o.source_url,
        amount=o.amount, deadline=o.deadline_words, score=first.score,
        reasons=[], summary=o.summary,
        needs=tags, match_ids=[by_need[n].match_id for n in [home, *others]], closing_soon=o.closing_soon,
        actions=links.actions("match", first.match_id, MATCH_ACTIONS),
    )


def _closing(session: Session, needs: dict[str, NeedInfo], today: date, links: _Links,
             memo: _Memo) -> list[Entry]:
    """Calls closing within CLOSING_DAYS that match these needs or have a team bid being
    prepared, soonest first (what every recipient reads is read once a batch)."""
    matched, bids = memo(("closing rows", today), lambda: _closing_rows(session, today))
    why: dict[int, list[str]] = defaultdict(list)
    fits: dict[int, list[str]] = defaultdict(list)
    for opp_id, need_id in matched:
        if need_id in needs:
            fits[opp_id].append(needs[need_id].title)
    for opp_id, titles in fits.items():
        why[opp_id].append("For: " + "; ".join(titles))
    for opp_id, status in bids:
        why[opp_id].append(f"Team bid: {status}")
    if not why:
        return []
    opps = sorted(_call_rows(session, why, memo), key=lambda o: (o.deadline, o.title, o.id))
    return [_entry(o, today, links, why[o.id]) for o in opps]


def _closing_rows(session: Session, today: date) -> tuple[list, list]:
    """(call, need) of every eligible, undismissed match closing soon, by need id; (call,
    status) of every team bid being prepared for a call closing soon."""
    end = today + timedelta(days=CLOSING_DAYS)
    soon = (col(Opportunity.deadline) >= today, col(Opportunity.deadline) <= end, *_live(today))
    matched = (
        select(Opportunity.id, Match.need_id).join(Match, Match.opportunity_id == Opportunity.id)
        .where(col(Match.eligible).is_(True), col(Match.dismissed).is_(False), *soon)
        .order_by(Match.need_id)
    )
    bids = select(Opportunity.id, Bid.status).join(Bid, Bid.opportunity_id == Opportunity.id).where(
        col(Bid.status).in_(("interested", "preparing")), *soon
    )
    return session.exec(matched).all(), session.exec(bids).all()


def _call_rows(session: Session, ids: Iterable[int], memo: _Memo) -> list[Any]:
    """What entries and cards show of these calls (CARD_COLS), each read once a batch."""
    known: dict[int, Any] = memo(("call rows",), dict)
    missing = [i for i in ids if i not in known]
    if missing:
        for o in session.execute(select(*CARD_COLS).where(col(Opportunity.id).in_(missing))):
            known[o.id] = o
    return [known[i] for i in ids if i in known]


def _expected(session: Session, needs: dict[str, NeedInfo], today: date, links: _Links,
              memo: _Memo) -> list[Entry]:
    """Funds forecast to reopen within EXPECTED_DAYS whose earlier rounds matched these needs
    (or had the team's bid for one of them)."""
    soon, fits = memo(("expected rounds", today), lambda: _expected_rounds(session, today, memo))
    entries = []
    for fund in soon:
        matched = set().union(*(fits.get(r.id, set()) for r in fund.rounds)) & needs.keys()
        if matched:
            last = fund.latest
            opened = ", ".join(f"{r.opened:%B %Y}" for r in fund.rounds if r.opened)
            entries.append(Entry(last.title, last.funder or "Funder not stated", links.opportunity(last.id), "",
                                 [fund.forecast.words[:1].upper() + fund.forecast.words[1:], f"Opened {opened}",
                                  "For: " + "; ".join(needs[n].title for n in needs if n in matched)],
                                 opportunity_id=last.id))
    return entries


def _expected_rounds(session: Session, today: date, memo: _Memo) -> tuple[list[Fund], dict[int, set[str]]]:
    """The funds forecast to reopen soon, and per earlier round the needs it matched or
    that the team bid for."""
    funds = memo(("funds", today), lambda: forecast_funds(session, today))
    soon = [f for f in funds if f.forecast.expected <= today + timedelta(days=EXPECTED_DAYS)]
    ids = [r.id for f in soon for r in f.rounds]
    fits: dict[int, set[str]] = defaultdict(set)
    if not ids:
        return soon, fits
    for opp_id, need_id in session.exec(select(Match.opportunity_id, Match.need_id).where(
            col(Match.opportunity_id).in_(ids), col(Match.dismissed).is_(False), Match.score > 0)):
        fits[opp_id].add(need_id)
    for opp_id, need_id in session.exec(select(Bid.opportunity_id, Bid.need_id).where(  # we bid last time
            col(Bid.opportunity_id).in_(ids), col(Bid.need_id).is_not(None))):
        fits[opp_id].add(need_id)
    return soon, fits


def _entry(o: Any, today: date, links: _Links, notes: list[str]) -> Entry:
    return Entry(o.title, o.funder or "Funder not stated", links.opportunity(o.id),
                 fmt.deadline_text(o.deadline, today, o.rolling, o.deadline_time), notes, opportunity_id=o.id)


def describe_changes(changes: dict, new_deadline: bool = True) -> list[str]:
    """Plain-English lines for the revision fields a team cares about (without the new
    deadline when `new_deadline` is False: the card saying it states the deadline)."""
    lines = []
    if "deadline" in changes:
        old, new = changes["deadline"]
        if old and new:
            to = f" to {fmt.short_date(new)}" if new_deadline else ""
            lines.append(f"Deadline moved from {fmt.short_date(old)}{to}")
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


def _changed(session: Session, needs: dict[str, NeedInfo], since: datetime, today: date,
             links: _Links, memo: _Memo, followed: tuple[int, ...] = ()) -> list[Entry]:
    """Calls that changed since the last digest: those matching the needs, with a team bid,
    or that the recipient follows."""
    revisions, matched, team = memo(("revisions", since), lambda: _revisions(session, since))
    per_opp: dict[int, list[dict]] = defaultdict(list)
    for opp_id, changes in revisions:
        if opp_id in team or opp_id in followed or not matched.get(opp_id, set()).isdisjoint(needs):
            per_opp[opp_id].append(changes or {})
    notes = {k: describe_changes(_merge(v)) for k, v in per_opp.items()}
    notes = {k: v for k, v in notes.items() if v}
    if not notes:
        return []
    opps = sorted(_call_rows(session, notes, memo), key=lambda o: (o.title, o.id))
    entries = [_entry(o, today, links, notes[o.id]) for o in opps]
    for e in entries:  # said inside a new call's card, which states the deadline itself
        e.card_notes = describe_changes(_merge(per_opp[e.opportunity_id]), new_deadline=False)
    return entries


def _revisions(session: Session, since: datetime) -> tuple[list, dict[int, set[str]], set[int]]:
    """Every revision since `since`, oldest first; the needs each revised call matches
    (eligible, undismissed); the revised calls with a team bid."""
    stmt = (select(OpportunityRevision.opportunity_id, OpportunityRevision.changes)
            .where(OpportunityRevision.seen_at >= since)
            .order_by(OpportunityRevision.seen_at, OpportunityRevision.id))
    revisions = session.exec(stmt).all()
    revised = sorted({opp_id for opp_id, _changes in revisions})
    matched: dict[int, set[str]] = defaultdict(set)
    team: set[int] = set()
    for chunk in (revised[i:i + 5000] for i in range(0, len(revised), 5000)):
        for opp_id, need_id in session.exec(select(Match.opportunity_id, Match.need_id).where(
                col(Match.opportunity_id).in_(chunk), col(Match.eligible).is_(True),
                col(Match.dismissed).is_(False))):
            matched[opp_id].add(need_id)
        team.update(session.exec(select(Bid.opportunity_id).where(
            col(Bid.opportunity_id).in_(chunk), Bid.status != "withdrawn")))
    return revisions, matched, team


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


def _bid_entries(rows: list, today: date, links: _Links) -> list[tuple[Any, Entry]]:
    out = []
    for row in rows:
        entry = _entry(row, today, links, [f"Owner: {row.email}"] if row.email else [])
        if row.status in ("interested", "preparing"):
            entry.actions = links.actions("bid", row.bid_id, {"applied": "Mark applied"})
        out.append((row, entry))
    return out


def _bid_priority(row: Any, email: str, today: date) -> tuple:
    """Which team bids a digest lists in full: the recipient's own first, then the ones still to
    send whose call is open (soonest first), then sent ones and outcomes, then bids whose call
    closed before they were sent."""
    to_send = row.status in ("interested", "preparing")
    if to_send and row.deadline is not None and row.deadline >= today:
        bucket = 0
    elif to_send and row.deadline is not None:
        bucket = 2
    else:
        bucket = 1
    return (row.email != email, bucket, row.deadline or date.max)


def _team_bids(rows: list, today: date, links: _Links, email: str,
               cards: list[CallCard]) -> tuple[dict[str, list[Entry]], int]:
    """The team bids listed (by status, in deadline order) and how many more there are: a bid on a
    call listed as new goes into its card; at most MAX_BIDS are listed, the rest counted with a
    link to the bids page, so a team with many bids in flight still gets a short digest."""
    kept = [(row, e) for row, e in _bid_entries(rows, today, links)
            if _fold_into_cards([e], cards, f"Team bid: {row.status}")]
    chosen = sorted(range(len(kept)), key=lambda i: _bid_priority(kept[i][0], email, today))[:MAX_BIDS]
    shown = set(chosen)
    groups: dict[str, list[Entry]] = {s: [] for s in BID_ORDER}
    for i, (row, entry) in enumerate(kept):
        if i in shown:
            groups[row.status].append(entry)
    return {s: e for s, e in groups.items() if e}, len(kept) - len(shown)


def _unhealthy(session: Session) -> list[Entry]:
    stmt = select(Source).where(col(Source.enabled).is_(True), col(Source.healthy).is_(False))
    out = []
    for src in session.exec(stmt.order_by(Source.name)):
        last = "never crawled"
        if src.last_crawl_at:
            last = f"last crawled {fmt.short_date(src.last_crawl_at.date())}"
        out.append(Entry(src.name, "", src.url, "", [src.health_note or "Unhealthy", last]))
    return out


def _fold_into_cards(entries: list[Entry], cards: list[CallCard], note: str = "") -> list[Entry]:
    """Each call once: what a later section says about a call already listed as a new call
    goes into its card (as `note`, or the entry's card notes); the rest stay in the section."""
    by_opp = {c.opportunity_id: c for c in cards}
    kept = []
    for e in entries:
        card = by_opp.get(e.opportunity_id)  # type: ignore[arg-type]
        if card is None:
            kept.append(e)
        else:
            card.notes.extend([note] if note else e.card_notes)
    return kept


def _bids_due(rows: list, user: User, today: date) -> int:
    """The recipient's own bids still being prepared whose call closes within CLOSING_DAYS."""
    end = today + timedelta(days=CLOSING_DAYS)
    return sum(1 for r in rows if r.email == user.email and r.status in ("interested", "preparing")
               and r.deadline is not None and today <= r.deadline <= end)


def build_digest(session: Session, user: User, *, now: datetime, timezone: str, base_url: str,
                 secret: str, max_per_need: int = MAX_PER_NEED, cache: dict | None = None,
                 frequency: str = "weekly", signoff_days: int = 0) -> DigestContent:
    """Everything one recipient's digest says for the period (ISO week, or day for a daily
    digest) containing `now`. Pass the same `cache` dict for every recipient of a batch:
    team-wide sections are then read once. `signoff_days` is `[planning] signoff_working_days`."""
    period = fmt.period_for(now, timezone, frequency)
    today = fmt.local_today(now, timezone)
    memo = _Memo(cache)
    since = _last_delivered(session, user.email, period, memo) or now - fmt.PERIOD_LENGTH[frequency]
    links = _Links(base_url, secret, user, signoff_days)
    needs = memo(("needs", tuple(sorted(user.followed_needs or []))), lambda: _followed(session, user, memo))
    content = DigestContent(user.id, user.email, user.name, user.role, period, today, since, links.base,
                            frequency=frequency)
    if secret:
        token = sign_preferences(secret, user.id)
        content.preferences_url = f"{links.base}/email/preferences/{token}"
        content.unsubscribe_url = f"{links.base}/email/unsubscribe/{token}"
    key = tuple(needs)
    if needs:
        content.needs, content.new_total = _new_matches(session, user, needs, today, links, max_per_need, memo)
        _funder_lines(session, content.cards, needs, memo)
        closing = memo(("closing", key, today), lambda: _closing(session, needs, today, links, memo))
        listed = {c.opportunity_id for c in content.cards}
        content.closing_total = len(closing)
        content.closing = [e for e in closing if e.opportunity_id not in listed]  # each call once
        content.expected = memo(("expected", key, today), lambda: _expected(session, needs, today, links, memo))
        followed = _followed_calls(session, user, memo)
        changed = memo(("changed", key, since, today, followed),
                       lambda: _changed(session, needs, since, today, links, memo, followed))
        content.changed = _fold_into_cards(changed, content.cards)
    rows = memo(("bids", now), lambda: _bid_rows(session, now))
    content.bids, content.bids_more = _team_bids(rows, today, links, user.email, content.cards)
    content.bids_url = f"{links.base}/bids"
    content.bids_due = _bids_due(rows, user, today)
    if user.role == "admin":
        content.sources = memo(("sources",), lambda: _unhealthy(session))
    return content


def _funder_lines(session: Session, cards: list[CallCard], needs: dict[str, NeedInfo], memo: _Memo) -> None:
    """Each card's one line on its funder's grants in its need's area (figures shared by every
    recipient of a batch); the matcher's own reason saying the same is dropped."""
    if not cards or memo(("grants?",), lambda: session.exec(select(GrantRecord.id).limit(1)).first()) is None:
        return
    # the links a match run stored (guessing here would cost every funder's names per batch)
    history = memo(("history",), lambda: HistoryCache(session, guess=False))
    for card in cards:
        area = needs[card.needs[0].need_id].area
        found = history.area_history(card.funder, area) if card.funder != NO_FUNDER else None
        card.funder_line = digest_line(found)
        if card.funder_line:
            card.reasons = [r for r in card.reasons if not r.startswith(HISTORY_REASON)]


class _Memo:
    def __init__(self, cache: dict | None) -> None:
        self.cache = cache

    def __call__(self, key: tuple, compute: Callable[[], Any]) -> Any:
        if self.cache is None:
            return compute()
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]
