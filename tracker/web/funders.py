"""Funders' grant history pages: a funder's grants (in an area), a recipient's record, the
admin's confirm-or-fix of a call's funder link, and a need's shortlist of lead partners."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from tracker import clock
from tracker.bounds import DbInt
from tracker.funder_history import credit, grants_in_area, publishers_of
from tracker.funder_links import LinkError, clear_link, confirm_link, current_link, set_link
from tracker.models import FunderLink, FundingOrg, GrantRecord, Need, Opportunity
from tracker.partners import PartnerError, add_partner, remove_partner, shortlist, suggest_partners, themes_for
from tracker.web.deps import DB, Admin, Staff, Viewer, flash, get_or_404, render, safe_next

router = APIRouter(include_in_schema=False)
PER_PAGE = 25
Short = Annotated[str, Form(max_length=300)]


def _pages(total: int) -> int:
    return max(1, (total + PER_PAGE - 1) // PER_PAGE)


@router.get("/funders/{org_id}/grants")
def funder_grants(request: Request, org_id: str, session: DB, user: Viewer, area: str = "",
                  page: DbInt = 1) -> Response:
    org = get_or_404(session, FundingOrg, org_id)
    rows, total = grants_in_area(session, org.id, area or None, page, PER_PAGE)
    return render(request, "grants.html", {
        "heading": f"Grants by {org.name}" + (f" in {area}" if area else ""), "org": org, "area": area,
        "rows": rows, "total": total, "page": page, "pages": _pages(total), "show_funder": False,
        "credit": credit(publishers_of(session, org.id)),
        "page_url": lambda n: f"/funders/{org.id}/grants?" + urlencode({**({"area": area} if area else {}),
                                                                        "page": n}),
        "other": f"/funders/{org.id}/grants" if area else None})


@router.get("/recipients/{org_id}")
def recipient_grants(request: Request, org_id: str, session: DB, user: Viewer, page: DbInt = 1) -> Response:
    rows, total = grants_in_area(session, None, None, page, PER_PAGE, recipient_org_id=org_id)
    first = rows[0] if rows else session.exec(select(GrantRecord).where(GrantRecord.recipient_org_id == org_id)).first()
    if first is None:
        raise HTTPException(404)
    publishers = sorted({p for p in session.exec(select(GrantRecord.publisher).where(
        GrantRecord.recipient_org_id == org_id).distinct()) if p})
    return render(request, "grants.html", {
        "heading": f"Grants to {first.recipient_name}", "recipient": first, "area": "", "rows": rows, "total": total,
        "page": page, "pages": _pages(total), "show_funder": True, "credit": credit(publishers), "org": None,
        "page_url": lambda n: f"/recipients/{org_id}?page={n}", "other": None})


def _call(session: Session, opp_id: int) -> Opportunity:
    opp = get_or_404(session, Opportunity, opp_id)
    if not opp.funder:
        raise LinkError("this call does not name its funder")
    return opp


@router.post("/opportunities/{opp_id}/funder-link")
def funder_link(request: Request, opp_id: DbInt, session: DB, user: Admin,
                action: Annotated[str, Form(max_length=20)] = "", org_id: Short = "") -> Response:
    """confirm: the shown link is right; set: link to this org id; none: no 360Giving funder;
    auto: forget the admin's choice (guessing again)."""
    try:
        opp = _call(session, opp_id)
        if action == "confirm":
            confirm_link(session, opp.funder, user.email)
            message = f"Link for {opp.funder!r} confirmed."
        elif action == "set":
            if not org_id.strip():
                raise LinkError("give the 360Giving org id to link to (e.g. GB-CHC-327114)")
            row = set_link(session, opp.funder, org_id, user.email)
            message = f"{opp.funder!r} now linked to {row.org_id}."
        elif action == "none":
            set_link(session, opp.funder, None, user.email)
            message = f"{opp.funder!r} marked as having no 360Giving data."
        elif action == "auto":
            clear_link(session, opp.funder)
            message = f"Link for {opp.funder!r} is automatic again."
        else:
            raise LinkError(f"unknown action {action!r}")
    except LinkError as exc:
        flash(request, f"Not changed: {exc}.")
        return RedirectResponse(f"/opportunities/{opp_id}#funder", status_code=303)
    session.commit()
    flash(request, message)
    return RedirectResponse(f"/opportunities/{opp_id}#funder", status_code=303)


@router.get("/funders")
def funder_links_page(request: Request, session: DB, user: Admin) -> Response:
    """Every funder named by calls, with its link, for admins to review."""
    names = [n for n in session.exec(select(Opportunity.funder).where(col(Opportunity.funder).is_not(None))
                                     .distinct().order_by(Opportunity.funder)) if n]
    first_call = dict(session.exec(select(Opportunity.funder, Opportunity.id)
                                   .where(col(Opportunity.funder).in_(names)).order_by(col(Opportunity.id).desc())).all())
    rows = [(name, current_link(session, name), first_call.get(name)) for name in names]
    stored = session.exec(select(FunderLink)).all()
    return render(request, "funders.html", {"rows": rows, "stored": len(stored),
                                            "orgs": session.exec(select(FundingOrg).order_by(FundingOrg.name)).all()})


@router.get("/needs/{need_id}/partners")
def partner_suggestions(request: Request, need_id: str, session: DB, user: Viewer,
                        call: DbInt | None = None) -> Response:
    need = get_or_404(session, Need, need_id)
    opp = get_or_404(session, Opportunity, call) if call is not None else None
    themes = themes_for(need, opp)
    return render(request, "partners.html", {
        "need": need, "opp": opp, "themes": themes,
        "candidates": suggest_partners(session, need, themes, clock.today()),
        "listed": {p.org_id for p in shortlist(session, need.id)}})


@router.post("/needs/{need_id}/partners")
def partner_add(request: Request, need_id: str, session: DB, user: Staff, org_id: Short = "",
                back: Short = "") -> Response:
    need = get_or_404(session, Need, need_id)
    try:
        row = add_partner(session, need, org_id, user.email)
    except PartnerError as exc:
        flash(request, f"Not added: {exc}.")
    else:
        session.commit()
        flash(request, f"{row.name} is on the shortlist of {need.title!r}.")
    return RedirectResponse(safe_next(back or f"/needs/{need.id}#partners"), status_code=303)


@router.post("/needs/{need_id}/partners/remove")
def partner_remove(request: Request, need_id: str, session: DB, user: Staff, org_id: Short = "",
                   back: Short = "") -> Response:
    need = get_or_404(session, Need, need_id)
    removed = remove_partner(session, need, org_id)
    session.commit()
    flash(request, "Removed from the shortlist." if removed else "It was not on the shortlist.")
    return RedirectResponse(safe_next(back or f"/needs/{need.id}#partners"), status_code=303)
