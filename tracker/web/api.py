"""The JSON API under /api/: the same data as the pages, with a bearer token per user
(made on the account page). Documented at /docs (rendered here: no CDN) and /openapi.json,
both for signed-in users only (the JSON also for a bearer token)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, computed_field
from sqlalchemy import update
from sqlmodel import col, select

from tracker.bids import STATUSES, BidError, change_status
from tracker.bounds import DbInt
from tracker.db import session_scope
from tracker.gazetteer import load_gazetteer
from tracker.models import ApiToken, Bid, Match, Need, Opportunity, OpportunityRevision, User, utcnow
from tracker.web.deps import DB, ROLE_LEVEL, Forbidden, LoginRequired, Viewer, current_user, get_or_404, render, state
from tracker.web.query import OppFilter, search
from tracker.web.users import token_hash

router = APIRouter(prefix="/api", tags=["api"])
docs_router = APIRouter(include_in_schema=False)


def api_user(request: Request, session: DB) -> User:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise LoginRequired()
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == token_hash(token.strip()),
                                              col(ApiToken.revoked).is_(False))).first()
    user = session.get(User, row.user_id) if row else None
    if row is None or user is None or not user.active:
        raise LoginRequired()
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        stamp = update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now)
        if request.method in ("GET", "HEAD"):  # this request's session is query-only
            with session_scope(state(request).engine) as writer:
                writer.exec(stamp)
        else:
            session.exec(stamp)
    return user


ApiUser = Annotated[User, Depends(api_user)]


class OpportunityOut(BaseModel):
    id: int
    url: str
    title: str
    funder: str | None
    summary: str
    deadline: date | None
    deadline_time: str | None
    rolling: bool
    opens: date | None
    amount_min: int | None
    amount_max: int | None
    total_pot: int | None
    currency: str
    status: str
    eligible_org_types: list[str]
    excluded_org_types: list[str]
    areas: list[str]
    themes: list[str]
    first_seen: datetime
    last_seen: datetime
    duplicate_of_id: int | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def area_codes(self) -> list[str]:
        """Each area's stable key, in the order of `areas`: GSS code, else "pfa:<slug>" / "county:<slug>"."""
        return load_gazetteer().keys_of(self.areas)


class OpportunityPage(BaseModel):
    total: int
    page: int
    per_page: int
    items: list[OpportunityOut]


class MatchOut(BaseModel):
    id: int
    need_id: str
    opportunity_id: int
    score: float
    rank: int | None
    eligible: bool
    dismissed: bool
    reasons: list[str]


class RevisionOut(BaseModel):
    seen_at: datetime
    changes: dict


class OpportunityDetail(OpportunityOut):
    matches: list[MatchOut]
    revisions: list[RevisionOut]


class NeedOut(BaseModel):
    id: str
    title: str
    description: str
    keywords: list[str]
    themes: list[str]
    area: str
    applicant: str
    partners: list[str]
    amount_min: int | None
    amount_max: int | None
    prep_days: int
    owner: str | None
    active: bool

    @computed_field  # type: ignore[prop-decorator]
    @property
    def area_code(self) -> str:
        """The area's stable key: GSS code, else "pfa:<slug>" / "county:<slug>"."""
        return load_gazetteer().keys_of([self.area])[0]


class BidOut(BaseModel):
    id: int
    opportunity_id: int
    need_id: str | None
    owner_id: int | None
    status: str
    amount_requested: int | None
    amount_awarded: int | None
    notes: str
    created_at: datetime
    updated_at: datetime


class StatusChange(BaseModel):
    status: str
    note: str = ""


class Me(BaseModel):
    id: int
    email: str
    role: str


@router.get("/me", response_model=Me, summary="The token's user")
def me(user: ApiUser) -> User:
    return user


@router.get("/opportunities", response_model=OpportunityPage, summary="Search opportunities")
def opportunities(
    request: Request, session: DB, user: ApiUser, q: str = "", status: str = "", theme: str = "", funder: str = "",
    area: str = "", need: str = "", deadline_from: date | None = None, deadline_to: date | None = None,
    min_amount: DbInt | None = None, max_amount: DbInt | None = None,
    sort: Annotated[str, Query(description="deadline | newest | amount | title | funder")] = "deadline",
    page: Annotated[DbInt, Query(ge=1)] = 1, per_page: Annotated[DbInt, Query(ge=1, le=100)] = 25,
    duplicates: bool = False,
) -> dict:
    flt = OppFilter.from_params(request.query_params)
    rows, total = search(session, flt)
    return {"total": total, "page": flt.page, "per_page": flt.per_page, "items": [o.model_dump() for o in rows]}


@router.get("/opportunities/{opp_id}", response_model=OpportunityDetail, summary="One opportunity")
def opportunity(opp_id: DbInt, session: DB, user: ApiUser) -> dict:
    opp = get_or_404(session, Opportunity, opp_id, "not found")
    matches = session.exec(select(Match).where(Match.opportunity_id == opp_id)).all()
    revisions = session.exec(select(OpportunityRevision).where(OpportunityRevision.opportunity_id == opp_id)
                             .order_by(col(OpportunityRevision.seen_at))).all()
    return {**opp.model_dump(), "matches": [m.model_dump() for m in matches],
            "revisions": [r.model_dump() for r in revisions]}


@router.get("/needs", response_model=list[NeedOut], summary="Project needs")
def needs(session: DB, user: ApiUser, archived: bool = False) -> list[Need]:
    query = select(Need).order_by(Need.id)
    if not archived:
        query = query.where(col(Need.active).is_(True))
    return list(session.exec(query))


@router.get("/needs/{need_id}/matches", response_model=list[MatchOut], summary="A need's ranked matches")
def need_matches(need_id: str, session: DB, user: ApiUser, include_dismissed: bool = False) -> list[Match]:
    get_or_404(session, Need, need_id, "not found")
    query = select(Match).where(Match.need_id == need_id, col(Match.eligible).is_(True))
    if not include_dismissed:
        query = query.where(col(Match.dismissed).is_(False))
    return list(session.exec(query.order_by(col(Match.rank).is_(None), col(Match.rank), col(Match.score).desc())))


@router.get("/bids", response_model=list[BidOut], summary="All bids")
def bids(session: DB, user: ApiUser, status: str | None = None) -> list[Bid]:
    query = select(Bid).order_by(col(Bid.id))
    if status:
        query = query.where(Bid.status == status)
    return list(session.exec(query))


@router.post("/bids/{bid_id}/status", response_model=BidOut, summary="Move a bid (staff)",
             description=f"status: one of {', '.join(STATUSES)}, along the allowed transitions")
def bid_status(bid_id: DbInt, body: StatusChange, session: DB, user: ApiUser) -> Bid:
    if ROLE_LEVEL[user.role] < ROLE_LEVEL["staff"]:
        raise Forbidden()
    bid = get_or_404(session, Bid, bid_id, "not found")
    try:
        change_status(session, bid, body.status, user_id=user.id, note=body.note)
    except BidError as exc:
        raise HTTPException(409, str(exc)) from exc
    session.commit()
    return bid


def docs_reader(request: Request, session: DB, user: Annotated[User | None, Depends(current_user)]) -> User:
    """The API description is for people signed in, or for API clients with a token."""
    return user if user is not None else api_user(request, session)


@docs_router.get("/docs")
def docs(request: Request, user: Viewer) -> Response:
    schema = request.app.openapi()
    return render(request, "docs.html", {"schema": schema})


@docs_router.get("/openapi.json")
def openapi_json(request: Request, reader: Annotated[User, Depends(docs_reader)]) -> JSONResponse:
    return JSONResponse(request.app.openapi())
