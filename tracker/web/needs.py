"""Needs: list, create, edit, archive; each need's ranked matches with their reasons;
dismiss ("not relevant"), restore and mark-interested on a match."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from tracker import clock
from tracker.bids import bid_for_need, bids_by_call, find_bid, mark_interested, restore_match
from tracker.bounds import DbInt
from tracker.decisions import latest, reason_text
from tracker.models import Match, Need, Opportunity
from tracker.needs import NeedIn, save_need
from tracker.partners import shortlist
from tracker.startby import start_by
from tracker.vocab import load_vocabulary
from tracker.web.deps import DB, Staff, Viewer, flash, get_or_404, render, safe_next, state

router = APIRouter(include_in_schema=False)
log = logging.getLogger("tracker.web")
Text = Annotated[str, Form(max_length=20000)]
Many = Annotated[list[str], Form()]


def _form_ctx(need: dict, errors: list[str], creating: bool) -> dict:
    vocab = load_vocabulary()
    return {"need": need, "errors": errors, "creating": creating, "themes": vocab.themes,
            "org_types": vocab.org_types, "areas": vocab.area_choices()}


def _as_dict(need: Need) -> dict:
    return {**need.model_dump(), "keywords": ", ".join(need.keywords)}


def _rescore(session: Session, need_id: str) -> None:
    from tracker.matches import run_matching

    try:
        run_matching(session, clock.today(), opportunity_ids=set(), need_ids={need_id})
    except Exception:  # noqa: BLE001 - a saved need stays saved; matching runs again after the next crawl
        log.exception("re-scoring need %s failed", need_id)


@router.get("/needs")
def need_list(request: Request, session: DB, user: Viewer, archived: bool = False) -> Response:
    query = select(Need).order_by(Need.id)
    if not archived:
        query = query.where(col(Need.active).is_(True))
    counts = dict(session.exec(select(Match.need_id, func.count()).where(
        col(Match.eligible).is_(True), col(Match.dismissed).is_(False)).group_by(Match.need_id)).all())
    return render(request, "needs.html", {"needs": session.exec(query).all(), "counts": counts,
                                          "archived": archived})


@router.get("/needs/new")
def need_new(request: Request, user: Staff) -> Response:
    return render(request, "need_form.html", _form_ctx({"area": "Peterborough", "applicant": "local_authority",
                                                        "prep_days": 21}, [], True))


def _save(request: Request, session: Session, data: dict, creating: bool) -> Response:
    data["keywords"] = [k.strip() for k in data.get("keywords", "").split(",") if k.strip()]
    for key in ("amount_min", "amount_max", "prep_days"):
        value = str(data.get(key) or "").replace(",", "").replace("£", "").strip()
        data[key] = value or None
    if data["prep_days"] is None:
        data.pop("prep_days")
    data["owner"] = data.get("owner") or None
    errors: list[str] = []
    try:
        need = NeedIn.model_validate(data)
    except ValidationError as exc:
        errors = [f"{'.'.join(str(p) for p in e['loc']) or 'need'}: {e['msg'].removeprefix('Value error, ')}"
                  for e in exc.errors()]
        need = None
    if need is not None and creating and session.get(Need, need.id) is not None:
        errors.append(f"id: a need with id {need.id!r} already exists")
    if errors or need is None:
        data["keywords"] = ", ".join(data["keywords"])
        return render(request, "need_form.html", _form_ctx(data, errors, creating), status_code=422)
    save_need(session, need)
    session.flush()
    _rescore(session, need.id)
    session.commit()
    flash(request, f"Need {need.title!r} saved.")
    return RedirectResponse(f"/needs/{need.id}", status_code=303)


@router.post("/needs")
def need_create(request: Request, session: DB, user: Staff, id: Annotated[str, Form(max_length=80)] = "",  # noqa: A002
                title: Text = "", description: Text = "", keywords: Text = "", themes: Many = [],  # noqa: B006
                area: Text = "", applicant: Text = "", partners: Many = [], amount_min: Text = "",  # noqa: B006
                amount_max: Text = "", prep_days: Text = "", owner: Text = "") -> Response:
    data = {k: v for k, v in locals().items() if k not in ("request", "session", "user")}
    return _save(request, session, data, creating=True)



@router.get("/needs/{need_id}")
def need_detail(request: Request, need_id: str, session: DB, user: Viewer) -> Response:
    need = get_or_404(session, Need, need_id)
    rows = session.exec(select(Match, Opportunity).join(Opportunity, Opportunity.id == Match.opportunity_id)
                        .where(Match.need_id == need_id, col(Match.eligible).is_(True) | col(Match.dismissed).is_(True),
                               col(Opportunity.duplicate_of_id).is_(None))
                        .order_by(col(Match.dismissed), col(Match.rank).is_(None), col(Match.rank),
                                  col(Match.score).desc())).all()
    ranked = [(m, o) for m, o in rows if not m.dismissed]
    dismissed = [(m, o) for m, o in rows if m.dismissed]
    signoff = state(request).settings.planning.signoff_working_days
    plans = {o.id: start_by(o.deadline, need.prep_days, signoff) for _, o in ranked}
    current = latest(session, [o.id for _, o in rows])
    return render(request, "need.html", {"need": need, "ranked": ranked, "dismissed": dismissed, "plans": plans,
                                         "decided": {o: d for (o, n), d in current.items() if n == need_id},
                                         "reason_text": reason_text, "partners": shortlist(session, need.id),
                                         "signoff_days": signoff,
                                         "today": clock.today(), "bid_for_need": bid_for_need,
                                         "bids": bids_by_call(session, [o.id for _, o in rows])})


@router.get("/needs/{need_id}/edit")
def need_edit(request: Request, need_id: str, session: DB, user: Staff) -> Response:
    return render(request, "need_form.html", _form_ctx(_as_dict(get_or_404(session, Need, need_id)), [], False))


@router.post("/needs/{need_id}")
def need_update(request: Request, need_id: str, session: DB, user: Staff, title: Text = "",
                description: Text = "", keywords: Text = "", themes: Many = [], area: Text = "",  # noqa: B006
                applicant: Text = "", partners: Many = [], amount_min: Text = "", amount_max: Text = "",  # noqa: B006
                prep_days: Text = "", owner: Text = "") -> Response:
    need = get_or_404(session, Need, need_id)
    data = {k: v for k, v in locals().items() if k not in ("request", "session", "user", "need", "need_id")}
    data.update(id=need.id, active=need.active)
    return _save(request, session, data, creating=False)


@router.post("/needs/{need_id}/archive")
def need_archive(request: Request, need_id: str, session: DB, user: Staff,
                 active: Annotated[bool, Form()] = False) -> Response:
    need = get_or_404(session, Need, need_id)
    need.active = active
    session.add(need)
    session.commit()
    flash(request, f"Need {need.title!r} {'restored' if active else 'archived'}.")
    return RedirectResponse(f"/needs/{need.id}", status_code=303)



@router.post("/matches/{match_id}/restore")
def match_restore(request: Request, match_id: DbInt, session: DB, user: Staff,
                  back: Annotated[str, Form()] = "") -> Response:
    match = get_or_404(session, Match, match_id)
    restore_match(session, match)
    session.commit()
    flash(request, "Match restored.")
    return RedirectResponse(safe_next(back or f"/needs/{match.need_id}"), status_code=303)


@router.post("/matches/{match_id}/interested")
def match_interested(request: Request, match_id: DbInt, session: DB, user: Staff,
                     back: Annotated[str, Form()] = "") -> Response:
    match = get_or_404(session, Match, match_id)
    before = find_bid(session, match.opportunity_id, match.need_id)
    was = before.status if before is not None else None
    bid = mark_interested(session, match, user.id)
    session.commit()
    flash(request, f"This call already has a bid: it is {bid.status}. Nothing changed."
                   if was == bid.status else f"Marked interested: bid is {bid.status}.")
    return RedirectResponse(safe_next(back or f"/bids/{bid.id}"), status_code=303)
