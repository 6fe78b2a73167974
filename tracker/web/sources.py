"""Sources (admin): list with health, add with a live test preview, enable/disable, last
runs and their errors, run a crawl now. URLs pass the same address checks as the CLI."""

from __future__ import annotations

import functools
import logging
import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from tracker.bounds import DbInt
from tracker.models import Source
from tracker.schedule_words import DAY_OPTIONS, FREQUENCIES, SimpleSchedule, cron_from_form, simple_form
from tracker.sources import (
    KINDS,
    TENDER_APIS,
    SourceError,
    add_source,
    funder_name,
    last_runs,
    parse_selectors,
    preview_source,
    remove_source,
    set_link_pattern,
    stored_calls,
    update_source,
    validate_source,
)
from tracker.web.deps import DB, Admin, WebState, flash, get_or_404, render, state

router = APIRouter(include_in_schema=False)
log = logging.getLogger("tracker.web")
PREVIEW_TIMEOUT = 90  # seconds
PREVIEW_PAGES = 40
Field = Annotated[str, Form(max_length=2000)]


@router.get("/sources")
def source_list(request: Request, session: DB, user: Admin) -> Response:
    sources = session.exec(select(Source).order_by(Source.name)).all()
    return render(request, "sources.html", {"sources": sources,
                                            "funders": {s.id: funder_name(session, s) for s in sources},
                                            "default_schedule": state(request).settings.schedule.crawl})


def schedule_fields(frequency: Annotated[str, Form(max_length=40)] = "cron",
                    day: Annotated[str, Form(max_length=40)] = "monday",
                    time: Annotated[str, Form(max_length=40)] = "", schedule: Field = "") -> SimpleSchedule:
    """The simple schedule form's fields; without `frequency` the cron line is taken as typed."""
    return SimpleSchedule(frequency, day, time, schedule)


ScheduleIn = Annotated[SimpleSchedule, Depends(schedule_fields)]


def _form(name: str = "", kind: str = "html", url: str = "", funder: str = "",
          sched: SimpleSchedule | None = None, link_pattern: str = "", selectors: str = "") -> dict:
    sched = sched or SimpleSchedule()
    try:
        schedule, problem = cron_from_form(sched.frequency, sched.day, sched.time, sched.cron) or "", ""
    except ValueError as exc:
        schedule, problem = "", f"Schedule: {exc}"
    if not url.strip() and kind in TENDER_APIS:
        url = TENDER_APIS[kind]  # the tender kinds read the public API unless told otherwise
    return {"name": name.strip(), "kind": kind, "url": url.strip(), "funder": funder.strip(),
            "schedule": schedule, "schedule_problem": problem, "link_pattern": link_pattern.strip(),
            "selectors": selectors.strip(), "sf": sched if problem else simple_form(schedule or None)}


def _problems(session: Session, web: WebState, form: dict, editing: Source | None = None) -> list[str]:
    if form["schedule_problem"]:
        return [form["schedule_problem"]]
    try:
        validate_source(form["name"], form["kind"], form["url"], web.settings.crawl.allow_hosts,
                        link_pattern=form["link_pattern"] or None, schedule=form["schedule"] or None)
        parse_selectors(form["selectors"])
    except SourceError as exc:
        return [str(exc)]
    same_name = session.exec(select(Source).where(Source.name == form["name"])).first()
    if same_name is not None and same_name is not editing:
        return [f"a source named {form['name']!r} already exists"]
    return []


def _form_page(request: Request, form: dict, errors: list[str], editing: Source | None = None,
               status_code: int = 200) -> Response:
    return render(request, "source_form.html", {"form": form, "kinds": KINDS, "errors": errors, "preview": None,
                                                "editing": editing, **_schedule_ctx(request)},
                  status_code=status_code)


def _schedule_ctx(request: Request) -> dict:
    return {"frequencies": FREQUENCIES, "days": DAY_OPTIONS,
            "default_cron": state(request).settings.schedule.crawl}


@router.get("/sources/new")
def source_new(request: Request, user: Admin) -> Response:
    return _form_page(request, _form(), [])


@router.post("/sources/preview")
def source_preview(request: Request, session: DB, user: Admin, name: Field = "", kind: Field = "html",
                   url: Field = "", funder: Field = "", sched: ScheduleIn = None, link_pattern: Field = "",
                   selectors: Field = "", use_pattern: Field = "") -> Response:
    """Crawl the URL now in a child process, storing nothing, and show what it would extract;
    `use_pattern`: a group of the start page's links picked as the link pattern."""
    web = state(request)
    form = _form(name, kind, url, funder, sched, use_pattern or link_pattern, selectors)
    errors = _problems(session, web, form)
    if errors:
        return _form_page(request, form, errors, status_code=422)
    outcome = preview_source(web.settings, _preview_crawler(web), url=form["url"], kind=form["kind"],
                             link_pattern=form["link_pattern"] or None, selectors=parse_selectors(form["selectors"]))
    return render(request, "source_form.html", {"form": form, "kinds": KINDS, "errors": [], "editing": None,
                                                "preview": _preview(outcome), "source": None,
                                                **_schedule_ctx(request)})


def _preview_crawler(web: WebState):  # noqa: ANN202
    return functools.partial(web.crawler(), timeout=PREVIEW_TIMEOUT,
                             scrapy_overrides={"CLOSESPIDER_PAGECOUNT": PREVIEW_PAGES})


def _preview(outcome) -> dict:  # noqa: ANN001
    return {"calls": outcome.calls, "result": outcome.results[0] if outcome.results else None,
            "timed_out": outcome.timed_out}


@router.post("/sources")
def source_create(request: Request, session: DB, user: Admin, name: Field = "", kind: Field = "html",
                  url: Field = "", funder: Field = "", sched: ScheduleIn = None, link_pattern: Field = "",
                  selectors: Field = "") -> Response:
    web = state(request)
    form = _form(name, kind, url, funder, sched, link_pattern, selectors)
    errors = _problems(session, web, form)
    if not errors:
        try:
            source = add_source(session, web.settings, name=form["name"], kind=form["kind"], url=form["url"],
                                funder=form["funder"] or None, schedule=form["schedule"] or None, origin="web",
                                link_pattern=form["link_pattern"] or None,
                                selectors=parse_selectors(form["selectors"]))
        except SourceError as exc:
            errors = [str(exc)]
    if errors:
        return _form_page(request, form, errors, status_code=422)
    session.commit()
    flash(request, f"Source {source.name!r} added. It will be crawled on its schedule, or run it now.")
    return RedirectResponse(f"/sources/{source.id}", status_code=303)



@router.get("/sources/{source_id}")
def source_detail(request: Request, source_id: DbInt, session: DB, user: Admin) -> Response:
    source = get_or_404(session, Source, source_id)
    return render(request, "source.html", {"s": source, "funder": funder_name(session, source),
                                           "runs": last_runs(session, source, limit=10),
                                           "default_schedule": state(request).settings.schedule.crawl,
                                           "lookback_days": state(request).settings.tenders.lookback_days})


@router.post("/sources/{source_id}/test")
def source_test(request: Request, source_id: DbInt, session: DB, user: Admin) -> Response:
    """Crawl a saved source now, storing nothing: what it would extract, and the groups of
    links on its start page, each of which can be made its link pattern."""
    source = get_or_404(session, Source, source_id)
    session.commit()  # the crawl reads the source in its own transaction: this one's write lock goes first
    outcome = preview_source(state(request).settings, _preview_crawler(state(request)), name=source.name)
    return render(request, "source_test.html", {"s": source, "source": source if source.origin != "config" else None,
                                                "preview": _preview(outcome)})


@router.post("/sources/{source_id}/link-pattern")
def source_link_pattern(request: Request, source_id: DbInt, session: DB, user: Admin,
                        link_pattern: Field = "") -> Response:
    """Follow only the links matching the pattern (a group picked in the test) from now on."""
    source = get_or_404(session, Source, source_id)
    _refuse_config(source)
    try:
        set_link_pattern(session, state(request).settings, source, link_pattern.strip() or None)
    except SourceError as exc:
        raise HTTPException(422, str(exc)) from exc
    session.commit()
    flash(request, f"{source.name}: the next crawl follows only the links matching {link_pattern.strip()}"
          if link_pattern.strip() else f"{source.name}: the next crawl chooses the links itself.")
    return RedirectResponse(f"/sources/{source.id}", status_code=303)


def _refuse_config(source: Source) -> None:
    if source.origin == "config":
        raise HTTPException(409, f"{source.name} is declared in the config file: change or remove it there")


@router.get("/sources/{source_id}/edit")
def source_edit(request: Request, source_id: DbInt, session: DB, user: Admin) -> Response:
    source = get_or_404(session, Source, source_id)
    _refuse_config(source)
    selectors = "\n".join(f"{k}={v}" for k, v in (source.selectors or {}).items())
    return _form_page(request, _form(source.name, source.kind, source.url, funder_name(session, source) or "",
                                     simple_form(source.schedule), source.link_pattern or "", selectors), [], source)


@router.post("/sources/{source_id}")
def source_update(request: Request, source_id: DbInt, session: DB, user: Admin, name: Field = "",
                  kind: Field = "html", url: Field = "", funder: Field = "", sched: ScheduleIn = None,
                  link_pattern: Field = "", selectors: Field = "") -> Response:
    source = get_or_404(session, Source, source_id)
    _refuse_config(source)
    web = state(request)
    form = _form(name, kind, url, funder, sched, link_pattern, selectors)
    errors = _problems(session, web, form, editing=source)
    if not errors:
        try:
            update_source(session, web.settings, source, name=form["name"], kind=form["kind"], url=form["url"],
                          funder=form["funder"] or None, schedule=form["schedule"] or None,
                          link_pattern=form["link_pattern"] or None, selectors=parse_selectors(form["selectors"]))
        except SourceError as exc:
            errors = [str(exc)]
    if errors:
        session.rollback()
        return _form_page(request, form, errors, source, status_code=422)
    session.commit()
    flash(request, f"Source {source.name!r} saved. The next crawl uses the new settings.")
    return RedirectResponse(f"/sources/{source.id}", status_code=303)


@router.get("/sources/{source_id}/remove")
def source_remove_confirm(request: Request, source_id: DbInt, session: DB, user: Admin) -> Response:
    """Says what removing keeps and what it drops; showing it changes nothing."""
    source = get_or_404(session, Source, source_id)
    _refuse_config(source)
    calls = stored_calls(session, source)
    return render(request, "confirm.html", {
        "heading": f"Remove the source {source.name}?", "warning": True,
        "lines": [f"The {calls} call{'s' if calls != 1 else ''} it found stay in the tracker, with their matches, "
                  "bids and history; they are no longer updated.",
                  "Its crawl history is deleted and it will not be crawled again. To stop crawling for a while "
                  "instead, pause it."],
        "action": f"/sources/{source.id}/remove", "button": "Yes, remove this source",
        "cancel": f"/sources/{source.id}", "fields": {}})


@router.post("/sources/{source_id}/remove")
def source_remove(request: Request, source_id: DbInt, session: DB, user: Admin) -> Response:
    source = get_or_404(session, Source, source_id)
    _refuse_config(source)
    name = source.name
    kept = remove_source(session, source)
    session.commit()
    flash(request, f"Source {name!r} removed. Its {kept} call{'s' if kept != 1 else ''} stay in the tracker.")
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{source_id}/enabled")
def source_enabled(request: Request, source_id: DbInt, session: DB, user: Admin,
                   enabled: Annotated[bool, Form()] = False) -> Response:
    source = get_or_404(session, Source, source_id)
    source.enabled = enabled
    session.add(source)
    session.commit()
    flash(request, f"{source.name}: crawling {'resumed' if enabled else 'paused'}.")
    return RedirectResponse(f"/sources/{source.id}", status_code=303)


def crawl_in_background(web: WebState, source_name: str) -> None:
    """The scheduler's own crawl job (run record, statuses, dedupe, re-scoring), in a thread."""
    def run() -> None:
        from jobs import tasks

        try:
            tasks.configure(web.settings, web.engine)
            tasks.crawl(source_name, trigger="run-now")
        except Exception:  # noqa: BLE001 - recorded in the job's run history
            log.exception("run-now crawl of %s failed", source_name)

    threading.Thread(target=run, name=f"crawl-{source_name}", daemon=True).start()


@router.post("/sources/{source_id}/run")
def source_run(request: Request, source_id: DbInt, session: DB, user: Admin) -> Response:
    source = get_or_404(session, Source, source_id)
    crawl_in_background(state(request), source.name)
    flash(request, f"Crawl of {source.name} started. Reload this page to see the run.")
    return RedirectResponse(f"/sources/{source.id}", status_code=303)
