"""Database tables. Datetimes are timezone-aware UTC (SQLModel stores them as UTC);
money is whole pounds (integers)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# BIGINT on PostgreSQL; SQLite's INTEGER already holds 64 bits (and its table copy to change
# a declared type is refused by the foreign keys pointing at opportunity).
MONEY = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _json(**kw: Any) -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False), **kw)


class Funder(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    website: str | None = None


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    kind: str  # html | rss | atom | ocds | contracts-finder | find-a-tender
    url: str
    funder_id: int | None = Field(default=None, foreign_key="funder.id")
    schedule: str | None = None  # cron; None means the config default
    enabled: bool = True
    origin: str = "cli"  # cli | config | web
    link_pattern: str | None = None
    selectors: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # tender kinds: {"keywords": [...], "cpv": [...], "regions": [...], "vcse": bool, "sme": bool}
    filters: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # tender kinds: the end (UTC) of the last date window read to its last page and committed
    window_end: datetime | None = None
    healthy: bool = True
    health_note: str = ""
    last_crawl_at: datetime | None = None
    last_calls: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class CrawlRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    status: str = "running"  # running | ok | failed | timeout | killed
    owner: str | None = None  # host:pid:start of the process running the crawl (tracker.processes)
    pages: int = 0
    calls_new: int = 0
    calls_changed: int = 0
    calls_unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    error_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Opportunity(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(index=True, unique=True)
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    funder: str | None = None
    title: str
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    deadline: date | None = Field(default=None, index=True)
    deadline_time: str | None = None  # HH:MM
    deadlines: list = _json()  # ISO dates of every closing date the page gives; `deadline` is the next one
    rolling: bool = False
    opens: date | None = None
    # 64-bit: national programmes state pots in billions (the Shared Prosperity Fund's £2.6bn)
    amount_min: int | None = Field(default=None, sa_column=Column(MONEY, nullable=True))
    amount_max: int | None = Field(default=None, sa_column=Column(MONEY, nullable=True))
    total_pot: int | None = Field(default=None, sa_column=Column(MONEY, nullable=True))
    currency: str = "GBP"
    status: str = Field(default="open", index=True)  # open | upcoming | closed
    eligible_org_types: list = _json()
    excluded_org_types: list = _json()
    areas: list = _json()
    themes: list = _json()
    eligibility_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # page text, for matching
    problems: list = _json()
    content_hash: str = ""
    first_seen: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow)
    last_changed: datetime = Field(default_factory=utcnow)
    duplicate_of_id: int | None = Field(default=None, foreign_key="opportunity.id")


class OpportunityRevision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    crawl_run_id: int | None = Field(default=None, foreign_key="crawlrun.id")
    seen_at: datetime = Field(default_factory=utcnow)
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # field -> [old, new]


class Need(SQLModel, table=True):
    id: str = Field(primary_key=True)  # slug, e.g. "N1" or "youth-diversion"
    title: str
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    keywords: list = _json()
    themes: list = _json()
    area: str = "Peterborough"
    applicant: str = "local_authority"
    partners: list = _json()
    amount_min: int | None = None
    amount_max: int | None = None
    prep_days: int = 21
    owner: str | None = None
    active: bool = True
    updated_at: datetime = Field(default_factory=utcnow)


class Match(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("need_id", "opportunity_id", name="uq_match_need_opportunity"),)
    id: int | None = Field(default=None, primary_key=True)
    need_id: str = Field(foreign_key="need.id", index=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    score: float = 0.0
    rank: int | None = None
    eligible: bool = False
    too_tight: bool = False
    reasons: list = _json()
    dismissed: bool = False
    dismissed_by: str | None = None
    first_matched_at: datetime = Field(default_factory=utcnow)
    scored_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True)
    name: str = ""
    role: str = "staff"  # admin | staff | viewer
    password_hash: str = ""
    digest: bool = True  # subscribed to the digest ("off" on the preferences page is False)
    digest_frequency: str = Field(default="weekly", sa_column_kwargs={"server_default": "weekly"})  # weekly | daily
    followed_needs: list = _json()  # need ids; empty means all
    session_epoch: int = 0
    calendar_token: str = ""
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class Bid(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    need_id: str | None = Field(default=None, foreign_key="need.id")
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    status: str = "interested"  # interested | preparing | applied | awarded | unsuccessful | withdrawn
    amount_requested: int | None = None
    amount_awarded: int | None = None
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # the funder's reasons when a bid is turned down (or their comments on an award)
    feedback: str = Field(default="", sa_column=Column(Text, nullable=False, default="", server_default=""))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Decision(SQLModel, table=True):
    """Bid or not, for a call and a need: the reason (a key of tracker.decisions.REASONS), free
    text, who and when. Rows are never edited: the latest per call and need is the decision,
    the earlier ones are its history (for audit and FOI requests)."""

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    need_id: str | None = Field(default=None, foreign_key="need.id", index=True)
    decision: str  # bid | no_bid
    reason: str
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    user_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime = Field(default_factory=utcnow)


class Assignment(SQLModel, table=True):
    """A call given to a colleague to review; they answer from the web or the email's signed
    one-click links: "I'll look" (looking) or "not for us" (declined)."""

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    need_id: str | None = Field(default=None, foreign_key="need.id")
    assignee_id: int = Field(foreign_key="user.id", index=True)
    assigned_by_id: int | None = Field(default=None, foreign_key="user.id")
    status: str = "asked"  # asked | looking | declined
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = None


class Comment(SQLModel, table=True):
    """A comment on a call (or on a bid for it); @mentions email the people named."""

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    bid_id: int | None = Field(default=None, foreign_key="bid.id")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    mentioned: list = _json()  # user ids emailed
    created_at: datetime = Field(default_factory=utcnow)


class Follow(SQLModel, table=True):
    """A user follows a call: its changes come in their digest."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", primary_key=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class BidEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    bid_id: int = Field(foreign_key="bid.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    from_status: str | None = None
    to_status: str
    note: str = ""


class Digest(SQLModel, table=True):
    """One recipient's digest: recorded as pending before sending, marked sent after.
    One row per recipient and period; a sender claims it with a conditional UPDATE."""

    __table_args__ = (UniqueConstraint("recipient", "period", name="uq_digest_recipient_period"),)
    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    period: str = Field(index=True)  # e.g. "2026-W48"
    message_id: str = Field(unique=True)
    subject: str = ""
    status: str = Field(default="pending", index=True)  # pending | sending | sent | failed | outbox
    attempts: int = 0
    error: str = ""
    match_ids: list = _json()
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    claimed_at: datetime | None = None  # when a sender moved it to "sending" (a lease)
    transport: str = ""  # smtp | notify | outbox


class DigestItem(SQLModel, table=True):
    """A match that went out in a recipient's digest, so it is not sent to them again."""

    __table_args__ = (UniqueConstraint("recipient", "match_id", name="uq_digestitem_recipient_match"),)
    id: int | None = Field(default=None, primary_key=True)
    digest_id: int = Field(foreign_key="digest.id", index=True)
    recipient: str = Field(index=True)
    match_id: int = Field(foreign_key="match.id", index=True)


class ActionTokenUse(SQLModel, table=True):
    """A one-click email action token that has been used (tokens are single-use)."""

    jti: str = Field(primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = ""
    used_at: datetime = Field(default_factory=utcnow)


class SchedulerLease(SQLModel, table=True):
    """Only one scheduler acts: the holder renews this row; a stale lease can be taken over."""

    name: str = Field(primary_key=True)  # "scheduler"
    holder: str = ""  # host:pid:random of the active scheduler
    expires_at: datetime = Field(default_factory=utcnow)
    acquired_at: datetime = Field(default_factory=utcnow)


class HostSlot(SQLModel, table=True):
    """Politeness shared by every crawl process on every machine (queue mode): the earliest
    moment, in epoch seconds by the database's clock, the next request to this host may start."""

    __tablename__ = "host_slot"
    host: str = Field(primary_key=True)
    next_at: float = 0.0


class QueueWorker(SQLModel, table=True):
    """A `tracker worker` process by the id the task queue gave it, so listings can name it."""

    __tablename__ = "queue_worker"
    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    name: str = ""
    seen_at: datetime = Field(default_factory=utcnow)


class JobRun(SQLModel, table=True):
    """One run of a scheduled (or run-now) job: start, end, outcome, error."""

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(index=True)
    trigger: str = "schedule"  # schedule | run-now | startup
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    outcome: str = "running"  # running | ok | failed | abandoned
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class JobControl(SQLModel, table=True):
    """Admin changes to jobs (pause, schedule) that the running scheduler picks up."""

    job_id: str = Field(primary_key=True)
    paused: bool = False
    schedule: str | None = None  # cron override
    updated_at: datetime = Field(default_factory=utcnow)


class ReminderSent(SQLModel, table=True):
    """A deadline reminder for a bid at a threshold (7, 3 or 1 days): sent once."""

    __table_args__ = (UniqueConstraint("bid_id", "threshold", name="uq_remindersent_bid_threshold"),)
    id: int | None = Field(default=None, primary_key=True)
    bid_id: int = Field(foreign_key="bid.id", index=True)
    threshold: int
    recipient: str = ""
    sent_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = ""
    token_hash: str = Field(index=True, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked: bool = False


class LoginLimit(SQLModel, table=True):
    """Sign-in attempts counted in one window for one limit (an account from an address, an
    address, the whole site); one row per key so a single upsert counts atomically."""

    key: str = Field(primary_key=True)  # "account|email|ip", "address|ip" or "site"
    window_start: datetime = Field(index=True)
    count: int = 0


class FundingOrg(SQLModel, table=True):
    """A grant maker as 360Giving names it (org id such as GB-CHC-327114), kept so calls'
    funders can be linked to their published grant history."""

    id: str = Field(primary_key=True)  # 360Giving org id
    name: str
    name_key: str = Field(index=True)  # tracker.grants.name_key(name): case, punctuation, "the", Ltd/CIO...
    charity_number: str | None = None
    company_number: str | None = None
    grants: int = 0  # grants imported for this funder


class GrantRecord(SQLModel, table=True):
    """One grant already made, from a 360Giving file (``grant`` is a reserved word in SQL).
    Amounts are whole pounds in a 64-bit column: national programmes award billions."""

    __tablename__ = "grant_record"

    id: str = Field(primary_key=True)  # the 360Giving grant id; imports are idempotent on it
    title: str = ""
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    amount: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    currency: str = "GBP"
    award_date: date | None = Field(default=None, index=True)
    programme: str = ""
    funder_org_id: str = Field(index=True)
    funder_name: str = ""
    recipient_org_id: str = Field(default="", index=True)
    recipient_name: str = ""
    recipient_type: str | None = None  # organisationType where published
    recipient_charity_number: str | None = None
    recipient_company_number: str | None = None
    recipient_postcode: str | None = None
    recipient_district_code: str | None = Field(default=None, index=True)  # GSS, e.g. E06000031
    recipient_district_name: str | None = None
    recipient_ward_code: str | None = None
    beneficiary_codes: list = _json()  # GSS codes of beneficiaryLocation (LSOA, ward, district...)
    publisher: str = ""  # whom to credit where the grant is shown
    data_source: str | None = None
    imported_at: datetime = Field(default_factory=utcnow)


class TeamMail(SQLModel, table=True):
    """An assignment or @mention email, recorded in the same transaction as the assignment or
    comment, then sent; a failed send stays queued and is retried by the scheduler (claimed with
    a conditional UPDATE like digests, so it is sent once)."""

    __tablename__ = "team_mail"

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # assignment | mention
    recipient: str = Field(index=True)
    subject: str = ""
    message_id: str = Field(unique=True)
    message: str = Field(sa_column=Column(Text, nullable=False))  # the whole MIME message, as sent
    status: str = Field(default="pending", index=True)  # pending | sending | sent | failed | refused
    attempts: int = 0
    error: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    claimed_at: datetime | None = None
    sent_at: datetime | None = None


class FunderLink(SQLModel, table=True):
    """A call's funder (by the name calls give, as name_key folds it) linked to the 360Giving
    funding organisation whose grant history is shown beside its calls. Found by a charity or
    company number in the funder's text, else by name with a confidence; an admin confirms or
    fixes it (a confirmed link is never replaced by a later automatic one)."""

    __tablename__ = "funder_link"

    funder_key: str = Field(primary_key=True)  # name_key(Opportunity.funder)
    funder_name: str = ""  # as the calls write it, for people
    org_id: str | None = None  # None: confirmed that no 360Giving funder matches
    method: str = "name"  # charity-number | company-number | name | admin
    confidence: float = 0.0
    confirmed: bool = False
    confirmed_by: str | None = None  # the admin's email
    updated_at: datetime = Field(default_factory=utcnow)


class NeedPartner(SQLModel, table=True):
    """An organisation on a need's shortlist of possible lead partners (a 360Giving recipient)."""

    __tablename__ = "need_partner"
    __table_args__ = (UniqueConstraint("need_id", "org_id", name="uq_need_partner_need_org"),)
    id: int | None = Field(default=None, primary_key=True)
    need_id: str = Field(foreign_key="need.id", index=True)
    org_id: str  # the recipient's 360Giving org id
    name: str = ""
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    added_by: str | None = None
    added_at: datetime = Field(default_factory=utcnow)


# Indexes for the web app's opportunity list and bids board (migration 0004_web).
Index("ix_opportunity_funder", Opportunity.funder)
Index("ix_opportunity_first_seen", Opportunity.first_seen)
Index("ix_opportunity_amount_max", Opportunity.amount_max)
Index("ix_bid_status", Bid.status)
