"""Schedules (admin): pause/resume each scheduled job, override its cron (validated),
run it now; and the digest ledger (sent, pending, failed with the server's reply)."""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from tracker.cron import cron_trigger
from tracker.models import Digest, JobControl, JobRun, utcnow
from tracker.schedule_words import DAY_OPTIONS, FREQUENCIES, cron_from_form, describe, simple_form
from tracker.web.deps import DB, Admin, WebState, flash, render, state

router = APIRouter(include_in_schema=False)
log = logging.getLogger("tracker.web")
Short = Annotated[str, Form(max_length=40)]


def job_table(session: Session, web: WebState) -> list[dict]:
    """Every job the scheduler would run, with its control row and last run."""
    try:
        from jobs.scheduler import desired_jobs

        jobs = [{"id": j.id, "func": j.func, "kwargs": j.kwargs, "cron": j.cron, "description": j.description}
                for j in desired_jobs(session, web.settings)]
    except ImportError:
        jobs = []
    controls = {c.job_id: c for c in session.exec(select(JobControl))}
    for job_id in controls.keys() - {j["id"] for j in jobs}:
        jobs.append({"id": job_id, "func": "", "kwargs": {}, "cron": controls[job_id].schedule or "",
                     "description": "(no longer scheduled)"})
    for job in jobs:
        job["control"] = controls.get(job["id"])
        own = job["control"].schedule if job["control"] else None
        # the form opens on what runs now; "the default" stays chosen until someone changes it
        job["form"] = simple_form(own) if own else replace(simple_form(job["cron"]), frequency="default", cron="")
        job["last"] = session.exec(select(JobRun).where(JobRun.job_id == job["id"])
                                   .order_by(col(JobRun.id).desc())).first()
    return jobs


@router.get("/schedules")
def schedules(request: Request, session: DB, admin: Admin) -> Response:
    return render(request, "schedules.html", {"jobs": job_table(session, state(request)), "errors": [],
                                              "frequencies": FREQUENCIES, "days": DAY_OPTIONS})


@router.post("/schedules/{job_id}")
def schedule_update(request: Request, job_id: str, session: DB, admin: Admin,
                    paused: Annotated[bool, Form()] = False, frequency: Short = "cron", day: Short = "monday",
                    time: Short = "", schedule: Annotated[str, Form(max_length=200)] = "") -> Response:
    """The simple form (how often, day, time) writes the cron line; `frequency=cron` takes
    the line as typed (empty: the job's default)."""
    web = state(request)
    known = {j["id"] for j in job_table(session, web)}
    if job_id not in known:
        raise HTTPException(404)
    try:
        schedule = cron_from_form(frequency, day, time, schedule) or ""
        if schedule:
            cron_trigger(schedule, web.settings.digest.timezone)
    except ValueError as exc:
        return render(request, "schedules.html", {"jobs": job_table(session, web), "frequencies": FREQUENCIES,
                                                  "days": DAY_OPTIONS, "errors": [f"{job_id}: {exc}"]}, status_code=422)
    control = session.get(JobControl, job_id) or JobControl(job_id=job_id)
    control.paused, control.schedule, control.updated_at = paused, schedule or None, utcnow()
    session.add(control)
    session.commit()
    flash(request, f"{job_id}: {'paused' if paused else 'active'}, "
                   f"{describe(schedule) if schedule else 'default schedule'}. "
                   "The scheduler picks this up within a minute.")
    return RedirectResponse("/schedules", status_code=303)


@router.post("/schedules/{job_id}/run")
def schedule_run(request: Request, job_id: str, session: DB, admin: Admin) -> Response:
    web = state(request)
    job = next((j for j in job_table(session, web) if j["id"] == job_id and j["func"]), None)
    if job is None:
        raise HTTPException(404)
    module_name, _, func_name = job["func"].partition(":")

    def run() -> None:
        try:
            from jobs import tasks

            tasks.configure(web.settings, web.engine)
            getattr(importlib.import_module(module_name), func_name)(**job["kwargs"], trigger="run-now")
        except Exception:  # noqa: BLE001 - the job records its own failure
            log.exception("run-now of %s failed", job_id)

    threading.Thread(target=run, name=f"job-{job_id}", daemon=True).start()
    flash(request, f"{job_id} started. Reload to see its run.")
    return RedirectResponse("/schedules", status_code=303)


@router.get("/digests")
def digests(request: Request, session: DB, admin: Admin) -> Response:
    rows = session.exec(select(Digest).order_by(col(Digest.id).desc()).limit(200)).all()
    return render(request, "digests.html", {"digests": rows})
