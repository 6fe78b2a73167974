"""`tracker calls rounds URL --format json`: the rounds grouped with a call and its forecast
(TRACKER_TODAY is 26 November 2026 in these runs)."""

import json
from datetime import date

from tracker.db import session_scope
from tracker.models import Bid, Opportunity


def _seed(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as s:
        for year in (2024, 2025, 2026):
            opp = Opportunity(url=f"https://f.example/night-watch-{year}", title=f"Night Watch Grants {year}",
                              funder="Trust", status="closed", opens=date(year, 1, 6), deadline=date(year, 3, 2))
            s.add(opp)
            s.flush()
            if year == 2025:
                s.add(Bid(opportunity_id=opp.id, status="awarded", amount_requested=9000, amount_awarded=7500))
        s.add(Opportunity(url="https://f.example/open", title="Open call", funder="Trust", status="open",
                          deadline=date(2027, 2, 1)))


def test_rounds_json_lists_the_fund_and_its_expected_opening(run_tracker, engine):
    _seed(engine)
    data = json.loads(run_tracker("calls", "rounds", "https://f.example/night-watch-2025", "--format", "json").stdout)
    assert data["expected_open"] == "2027-01"
    assert [r["url"] for r in data["rounds"]] == [f"https://f.example/night-watch-{y}" for y in (2024, 2025, 2026)]
    won = data["rounds"][1]
    assert (won["bid_status"], won["amount_awarded"], won["opened"]) == ("awarded", 7500, "2025-01-06")
    assert data["evidence"][0] == "opened January 2024: Night Watch Grants 2024"


def test_a_call_of_its_own_has_no_forecast_and_an_unknown_address_fails(run_tracker, engine):
    _seed(engine)
    data = json.loads(run_tracker("calls", "rounds", "https://f.example/open", "--format", "json").stdout)
    assert data["expected_open"] is None and len(data["rounds"]) == 1
    table = run_tracker("calls", "rounds", "https://f.example/night-watch-2024").stdout
    assert "likely to reopen around January 2027" in table
    missing = run_tracker("calls", "rounds", "https://f.example/nothing", check=False)
    assert missing.returncode == 2 and "no stored call" in missing.stderr + missing.stdout
