"""`tracker report --format json|csv`: the contract figures per year and the pipeline."""

import csv
import io
import json
from datetime import date

from tracker.db import session_scope
from tracker.models import Bid, Opportunity


def _seed(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as s:
        won = Opportunity(url="https://f.example/won", title="Won", funder="Home Office", deadline=date(2025, 6, 1))
        lost = Opportunity(url="https://f.example/lost", title="Lost", funder="@SUM(1)", deadline=date(2025, 9, 1))
        live = Opportunity(url="https://f.example/live", title="Live", funder="Trust", deadline=date(2027, 2, 1))
        s.add_all([won, lost, live])
        s.flush()
        s.add_all([Bid(opportunity_id=won.id, status="awarded", amount_requested=30000, amount_awarded=25000),
                   Bid(opportunity_id=lost.id, status="unsuccessful", amount_requested=10000),
                   Bid(opportunity_id=live.id, status="applied", amount_requested=12000)])


def test_report_json_has_the_contract_fields(run_tracker, engine):
    _seed(engine)
    data = json.loads(run_tracker("report", "--format", "json").stdout)
    years = {y["year"]: y for y in data["years"]}
    assert {k: years[2025][k] for k in ("secured", "requested", "bids", "won", "win_rate")} == {
        "secured": 25000, "requested": 40000, "bids": 2, "won": 1, "win_rate": 0.5}
    assert years[2027]["win_rate"] is None
    assert data["pipeline"] == {"interested": {"bids": 0, "value": 0}, "preparing": {"bids": 0, "value": 0},
                                "applied": {"bids": 1, "value": 12000}}


def test_report_csv_per_year_and_pipeline(run_tracker, engine):
    _seed(engine)
    rows = list(csv.DictReader(io.StringIO(run_tracker("report", "--format", "csv").stdout)))
    by = {(r["section"], r["key"]): r for r in rows}
    assert by[("year", "2025")]["secured"] == "25000" and by[("year", "2025")]["win_rate"] == "0.5"
    assert by[("pipeline", "applied")]["value"] == "12000"
    assert ("funder", "'@SUM(1)") in by  # formula-like names are made inert
    assert run_tracker("report", "--format", "xml", check=False).returncode == 2
