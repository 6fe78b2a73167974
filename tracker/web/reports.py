"""The bids report page (/reports): figures, SVG charts and CSV downloads."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from tracker import clock
from tracker.charts import bar_chart
from tracker.format import money
from tracker.report import build_report
from tracker.web.deps import DB, Viewer, render, state
from tracker.web.opportunities import csv_response

router = APIRouter(include_in_schema=False)
SECTIONS = ("year", "need", "funder", "pipeline")


def _report(request: Request, session: DB):  # noqa: ANN202
    return build_report(session, clock.today(), state(request).settings.planning.signoff_working_days)


@router.get("/reports")
def reports(request: Request, session: DB, user: Viewer) -> Response:
    report = _report(request, session)
    charts = {
        "years": bar_chart("chart-years", "Funding secured per year", [(t.key, t.secured) for t in report.years],
                           money),
        "funders": bar_chart("chart-funders", "Funding secured per funder",
                             [(t.key, t.secured) for t in report.funders if t.secured][:10], money),
        "pipeline": bar_chart("chart-pipeline", "Pipeline value by stage",
                              [(s.stage, s.value) for s in report.pipeline], money),
    }
    return render(request, "reports.html", {"report": report, "charts": charts, "today": clock.today()})


@router.get("/reports/{section}.csv")
def report_csv(request: Request, section: str, session: DB, user: Viewer) -> Response:
    if section not in SECTIONS:
        raise HTTPException(404)
    return csv_response(_report(request, session).csv(section), f"report-{section}.csv")
