"""Opportunity search: filters, sorting and pagination done in SQL, shared by the list
page, its CSV export and the JSON API."""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import String, cast, func, or_
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from tracker.bounds import db_int
from tracker.models import Match, Opportunity
from tracker.vocab import load_vocabulary
from tracker.web.dateinput import read_date

SORTS = {
    "deadline": (col(Opportunity.deadline).is_(None), col(Opportunity.deadline), col(Opportunity.id)),
    "newest": (col(Opportunity.first_seen).desc(), col(Opportunity.id).desc()),
    "amount": (col(Opportunity.amount_max).is_(None), col(Opportunity.amount_max).desc(), col(Opportunity.id)),
    "title": (col(Opportunity.title), col(Opportunity.id)),
    "funder": (col(Opportunity.funder).is_(None), col(Opportunity.funder), col(Opportunity.id)),
}
STATUSES = ("open", "upcoming", "closed")
# The web list's status filter: by default the calls a team can still bid for.
CURRENT = "current"
EXPECTED = "expected"  # closed funds forecast to reopen (tracker.fund_rounds)
STATUS_CHOICES = ((CURRENT, "Open and upcoming"), ("open", "Open"), ("upcoming", "Upcoming"),
                  (EXPECTED, "Expected to reopen"), ("closed", "Closed"), ("all", "All, including closed"))
MAX_PER_PAGE = 100


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _int(value: Any) -> int | None:
    return db_int(str(value).replace(",", "").replace("£", "")) if value is not None else None


@dataclass(frozen=True)
class OppFilter:
    q: str = ""
    status: str = ""
    theme: str = ""
    funder: str = ""
    area: str = ""
    need: str = ""
    deadline_from: date | None = None
    deadline_to: date | None = None
    min_amount: int | None = None
    max_amount: int | None = None
    sort: str = "deadline"
    page: int = 1
    per_page: int = 25
    duplicates: bool = False
    expected_ids: tuple[int, ...] = ()  # for the "expected" status: set by the page, not read from the URL

    @classmethod
    def from_params(cls, params: Any, default_status: str = "") -> OppFilter:
        """Read query parameters leniently: an unusable value is ignored, not an error.
        `default_status` applies when none is given (the web list shows current calls)."""
        vocab = load_vocabulary()
        get = params.get
        status = get("status") or default_status
        status = "" if status == "all" else status
        theme = get("theme") or ""
        area = vocab.canonical_area(get("area") or "") or ""
        sort = get("sort") or "deadline"
        return cls(
            q=(get("q") or "").strip()[:200], status=status if status in (*STATUSES, CURRENT, EXPECTED) else "",
            theme=theme if theme in vocab.themes else "", funder=(get("funder") or "").strip()[:200],
            area=area, need=(get("need") or "").strip()[:80],
            deadline_from=read_date(params, "deadline_from", "Deadline from").value,
            deadline_to=read_date(params, "deadline_to", "Deadline to").value,
            min_amount=_int(get("min_amount")), max_amount=_int(get("max_amount")),
            sort=sort if sort in SORTS else "deadline", page=max(1, _int(get("page")) or 1),
            per_page=min(MAX_PER_PAGE, max(1, _int(get("per_page")) or 25)),
            duplicates=get("duplicates") in ("1", "on", "true"),
        )

    def conditions(self, dialect: str = "sqlite") -> list[Any]:
        o = Opportunity
        conds: list[Any] = []
        if not self.duplicates:
            # With a text search the table is read anyway: keep SQLite off the list index then.
            plain = self.q and dialect == "sqlite"
            conds.append(func.coalesce(o.duplicate_of_id, 0) == 0 if plain else col(o.duplicate_of_id).is_(None))
        if self.q:
            pattern = _like(self.q)
            # SQLite's LIKE already ignores ASCII case; its ILIKE emulation (lower() on every row) is slow.
            op = "like" if dialect == "sqlite" else "ilike"
            conds.append(or_(*(getattr(col(c), op)(pattern, escape="\\") for c in (o.title, o.funder, o.summary))))
        if self.status == CURRENT:
            conds.append(col(o.status).in_(("open", "upcoming")))
        elif self.status == EXPECTED:
            conds.append(col(o.id).in_(self.expected_ids))
        elif self.status:
            conds.append(o.status == self.status)
        if self.theme:
            conds.append(cast(o.themes, String).like(_like(f'"{self.theme}"'), escape="\\"))
        if self.funder:
            conds.append(o.funder == self.funder)
        if self.area:
            # calls open to the area (areas containing it) and calls for any place inside it
            vocab = load_vocabulary()
            related = sorted(vocab.ancestors(self.area) | vocab.gazetteer.descendants(self.area))
            conds.append(or_(*(cast(o.areas, String).like(_like(f'"{a}"'), escape="\\") for a in related)))
        if self.need:
            matched = select(Match.opportunity_id).where(Match.need_id == self.need, col(Match.eligible).is_(True),
                                                         col(Match.dismissed).is_(False))
            conds.append(col(o.id).in_(matched))
        if self.deadline_from:
            conds.append(col(o.deadline) >= self.deadline_from)
        if self.deadline_to:
            conds.append(col(o.deadline) <= self.deadline_to)
        if self.min_amount is not None:
            conds.append(func.coalesce(o.amount_max, o.amount_min) >= self.min_amount)
        if self.max_amount is not None:
            conds.append(func.coalesce(o.amount_min, o.amount_max) <= self.max_amount)
        return conds

    def params(self, **changes: Any) -> str:
        """The query string for this filter with `changes`, dropping empty values."""
        data = {**asdict(self), **changes}
        data.pop("expected_ids")
        # the web list's default is current calls: "all" must be said to survive a link
        data["status"] = {"": "all", CURRENT: ""}.get(data["status"], data["status"])
        if data.get("per_page") == 25:
            data.pop("per_page")
        out = {k: ("1" if v is True else v) for k, v in data.items() if v not in (None, "", False)}
        if out.get("page") == 1:
            out.pop("page")
        if out.get("sort") == "deadline":
            out.pop("sort")
        return urlencode(out)


def search(session: Session, flt: OppFilter, *, paginate: bool = True,
           only: tuple[Any, ...] = ()) -> tuple[list[Any], int]:
    """(opportunities on the requested page, total matching). The page is chosen by id
    first (a narrow sort), then only its rows are loaded. With `only`, a row is a plain
    result row of id and those columns (read by attribute as an Opportunity is), not an
    ORM object: building and tracking objects cost a list page more than its queries."""
    conds = flt.conditions(session.get_bind().dialect.name)
    total = _count(session, flt, conds)
    query = select(Opportunity.id).where(*conds).order_by(*SORTS[flt.sort])
    if paginate:
        query = query.offset((flt.page - 1) * flt.per_page).limit(flt.per_page)
    ids = list(session.exec(query))
    rows: dict[int, Opportunity] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        # the page text (up to 8 KB a call, kept for matching) is not shown in lists
        query = (select(Opportunity.id, *only) if only else select(Opportunity).options(defer(Opportunity.body)))
        query = query.where(col(Opportunity.id).in_(chunk))
        rows.update((o.id, o) for o in session.exec(query))
    return [rows[i] for i in ids], int(total)


_COUNTS: OrderedDict[tuple, tuple[float, int]] = OrderedDict()
_COUNTS_LOCK = threading.Lock()
COUNT_TTL = float(os.environ.get("TRACKER_WEB_COUNT_TTL", "20"))  # seconds; 0 turns the cache off
COUNT_CACHE_SIZE = 1024


def _count(session: Session, flt: OppFilter, conds: list[Any]) -> int:
    """How many match: counting scans every candidate row, so the total for a filter is
    reused for a few seconds while someone pages or re-sorts (the rows are always fresh)."""
    key = (str(session.get_bind().url), replace(flt, page=1, sort="deadline", per_page=25))
    now = time.monotonic()
    with _COUNTS_LOCK:
        hit = _COUNTS.get(key)
    if hit and now - hit[0] < COUNT_TTL:
        return hit[1]
    total = int(session.exec(select(func.count()).select_from(Opportunity).where(*conds)).one())
    if COUNT_TTL > 0:
        with _COUNTS_LOCK:
            _COUNTS[key] = (now, total)
            _COUNTS.move_to_end(key)
            while len(_COUNTS) > COUNT_CACHE_SIZE:
                _COUNTS.popitem(last=False)
    return total


_FUNDERS: dict[str, tuple[float, list[str]]] = {}
FUNDERS_TTL = 60.0  # seconds: the filter's funder list changes only when a crawl finds a new funder


def funders(session: Session) -> list[str]:
    """Distinct funder names for the filter, cached briefly per database."""
    key = str(session.get_bind().url)
    cached = _FUNDERS.get(key)
    if cached and time.monotonic() - cached[0] < FUNDERS_TTL:
        return cached[1]
    query = select(Opportunity.funder).where(col(Opportunity.funder).is_not(None)).distinct()
    names = sorted(f for f in session.exec(query) if f)
    _FUNDERS[key] = (time.monotonic(), names)
    return names
