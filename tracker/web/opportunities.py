"""Opportunities: searchable list, detail page, CSV export."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from tracker import clock, decisions
from tracker.bids import allowed_next, bid_for_need, bids_by_call
from tracker.bounds import DbInt
from tracker.export import export_row, to_csv
from tracker.fund_rounds import forecast_funds, fund_of
from tracker.funder_history import funder_history
from tracker.models import Bid, Match, Need, Opportunity, OpportunityRevision, Source, User
from tracker.rounds import Forecast, describe_round
from tracker.startby import StartBy, start_by
from tracker.team import ASSIGNMENT_STATES, call_team
from tracker.vocab import load_vocabulary
from tracker.web.dateinput import read_date
from tracker.web.deps import DB, Viewer, get_or_404, render, state
from tracker.web.query import CURRENT, EXPECTED, SORTS, STATUS_CHOICES, OppFilter, funders, search

router = APIRouter(include_in_schema=False)
MAX_PANEL_AREAS = 3  # need areas shown in a call's funder panel


def csv_response(text: str, filename: str) -> Response:
    """A CSV download for spreadsheets. Excel reads a CSV without a byte-order mark as the
    PC's legacy code page, so "£" shows as "Â£"; the mark makes it read UTF-8 (and Python's
    utf-8-sig, LibreOffice and Google Sheets drop it)."""
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def with_expected(session: Session, flt: OppFilter) -> tuple[OppFilter, dict[int, Forecast]]:
    """The "expected" status lists the latest round of each fund forecast to reopen (and
    gives each its forecast)."""
    if flt.status != EXPECTED:
        return flt, {}
    funds = {f.latest.id: f.forecast for f in forecast_funds(session, clock.today())}
    return replace(flt, expected_ids=tuple(funds)), funds


# what the list page shows: loading only these keeps page views cheap
LIST_COLUMNS = (Opportunity.title, Opportunity.funder, Opportunity.deadline, Opportunity.rolling,
                Opportunity.status, Opportunity.amount_min, Opportunity.amount_max, Opportunity.themes)


@router.get("/opportunities")
async def opportunity_list(request: Request, session: DB, user: Viewer) -> Response:
    # async though nothing in it awaits: the page is a few milliseconds of CPU (the GIL's either
    # way), and on the event loop it saves a thread pool hop per view of the busiest page
    flt, forecasts = with_expected(session, OppFilter.from_params(request.query_params, default_status=CURRENT))
    rows, total = search(session, flt, only=LIST_COLUMNS)
    vocab = load_vocabulary()
    pages = max(1, (total + flt.per_page - 1) // flt.per_page)
    dates = [read_date(request.query_params, "deadline_from", "Deadline from"),
             read_date(request.query_params, "deadline_to", "Deadline to")]
    return render(request, "opportunities.html", {
        "flt": flt, "rows": rows, "total": total, "pages": pages, "statuses": STATUS_CHOICES, "sorts": list(SORTS),
        "dates": dates, "errors": [d.error for d in dates if d.error],
        "bids": bids_by_call(session, [o.id for o in rows]), "forecasts": forecasts,
        "decisions": decisions.by_call(decisions.latest(session, [o.id for o in rows])),
        "theme_options": [(k, vocab.theme_name(k)) for k in vocab.themes], "areas": vocab.area_choices(),
        "funders": funders(session), "today": clock.today(),
        "needs": [tuple(r) for r in session.exec(select(Need.id, Need.title).where(col(Need.active).is_(True))
                                                 .order_by(Need.id))],
    })


@router.get("/opportunities.csv")
def opportunity_csv(request: Request, session: DB, user: Viewer) -> Response:
    flt, _ = with_expected(session, OppFilter.from_params(request.query_params, default_status=CURRENT))
    rows, _ = search(session, flt, paginate=False)
    sources = dict(session.exec(select(Source.id, Source.name)).all())
    dup_ids = {o.duplicate_of_id for o in rows if o.duplicate_of_id}
    urls = dict(session.exec(select(Opportunity.id, Opportunity.url).where(col(Opportunity.id).in_(dup_ids))).all())
    return csv_response(to_csv([export_row(o, sources, urls) for o in rows]), "opportunities.csv")


def start_plans(opp: Opportunity, matches: list[tuple[Match, Need]], bids: list[Bid], needs: dict[str, Need],
                signoff_days: int) -> list[tuple[Need | None, StartBy]]:
    """When to start: for each need the call is a live match for or bid for (a bid for no
    particular need counts sign-off only)."""
    planned: dict[str | None, Need | None] = {n.id: n for m, n in matches if m.eligible and not m.dismissed}
    for bid in bids:
        if bid.status in ("interested", "preparing"):
            planned.setdefault(bid.need_id, needs.get(bid.need_id) if bid.need_id else None)
    out = []
    for need in sorted(planned.values(), key=lambda n: (n is not None, n.id if n else "")):
        plan = start_by(opp.deadline, need.prep_days if need else 0, signoff_days)
        if plan is not None:
            out.append((need, plan))
    return out


def funder_panel(session: Session, opp: Opportunity, needs: list[Need]) -> dict:
    """The funder's grant history in the areas of the needs the call matches (else of every
    active need), and which needs may look for lead partners."""
    areas = list(dict.fromkeys(n.area for n in needs))[:MAX_PANEL_AREAS]
    ask: dict[str, int] = {}
    for n in needs:  # the largest sum a need in the area asks for
        amount = n.amount_max if n.amount_max is not None else n.amount_min
        if amount is not None and n.area in areas:
            ask[n.area] = max(ask.get(n.area, 0), amount)
    return {"history": funder_history(session, opp.funder, areas), "ask": ask,
            "partner_needs": needs[:MAX_PANEL_AREAS]}


def detail_context(session: Session, opp: Opportunity, signoff_days: int = 0) -> dict:
    source = session.get(Source, opp.source_id) if opp.source_id else None
    revisions = session.exec(select(OpportunityRevision).where(OpportunityRevision.opportunity_id == opp.id)
                             .order_by(col(OpportunityRevision.seen_at).desc())).all()
    matches = session.exec(select(Match, Need).join(Need, Need.id == Match.need_id)
                           .where(Match.opportunity_id == opp.id)
                           .order_by(col(Match.eligible).desc(), col(Match.score).desc())).all()
    bids = session.exec(select(Bid).where(Bid.opportunity_id == opp.id).order_by(col(Bid.id))).all()
    owners = {u.id: u for u in session.exec(select(User))}
    duplicates = session.exec(select(Opportunity).where(Opportunity.duplicate_of_id == opp.id)).all()
    primary = session.get(Opportunity, opp.duplicate_of_id) if opp.duplicate_of_id else None
    needs = session.exec(select(Need).where(col(Need.active).is_(True)).order_by(Need.id)).all()
    every_need = {n.id: n for n in session.exec(select(Need))}
    current = decisions.latest(session, [opp.id])
    fund = fund_of(session, opp, clock.today())
    matched = [n for m, n in matches if m.eligible and not m.dismissed] or list(needs)
    return {**funder_panel(session, opp, matched),**call_team(session, opp.id), "assign_states": ASSIGNMENT_STATES,
            "colleagues": [u for u in owners.values() if u.active and u.role in ("staff", "admin")],
            "fund": fund, "past_rounds": [r for r in reversed(fund.rounds) if r.id != opp.id],
            "describe_round": describe_round,
            "decisions": sorted(current.values(), key=lambda d: d.need_id or ""),
            "decision_history": decisions.history(session, opp.id), "reason_text": decisions.reason_text,
            "plans": start_plans(opp, list(matches), list(bids), every_need, signoff_days),
            "o": opp, "source": source, "revisions": revisions, "matches": matches, "bids": bids,
            "owners": owners, "duplicates": duplicates, "primary": primary, "needs": needs,
            "allowed_next": allowed_next, "today": clock.today(), "bid_for_need": bid_for_need,
            "need_titles": dict(session.exec(select(Need.id, Need.title)).all())}


@router.get("/opportunities/{opp_id}")
def opportunity_detail(request: Request, opp_id: DbInt, session: DB, user: Viewer) -> Response:
    opp = get_or_404(session, Opportunity, opp_id)
    signoff = state(request).settings.planning.signoff_working_days
    return render(request, "opportunity.html", detail_context(session, opp, signoff))
