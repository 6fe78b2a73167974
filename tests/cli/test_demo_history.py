"""`tracker demo` loads two years of history: earlier rounds with the team's bids and
outcomes, so past rounds, forecasts, the report and the digest's expected section show
real content (TRACKER_TODAY is 26 November 2026)."""

import json

from tracker.demo.history import load_history_file


def _url(rows: list[dict], path: str) -> str:
    return next(o["url"] for o in rows if o["url"].endswith(path))


def test_demo_history_feeds_rounds_forecasts_and_the_report(run_tracker):
    done = run_tracker("demo")
    assert f"history: {len(load_history_file())} earlier rounds" in done.stdout
    report = json.loads(run_tracker("report", "--format", "json").stdout)
    years = {y["year"]: y for y in report["years"]}
    assert set(years) == {2024, 2025, 2026} and all(years[y]["bids"] for y in years)
    assert years[2024]["secured"] == 18000 + 6500 + 30000 and years[2024]["win_rate"] == 0.75
    rows = json.loads(run_tracker("opportunities", "export", "--format", "json").stdout)
    youth = json.loads(run_tracker("calls", "rounds", _url(rows, "/fenvalley-pcc/funding/youth-diversion-fund.html"),
                                   "--format", "json").stdout)
    assert [r["title"][-7:] for r in youth["rounds"]] == ["2024/25", "2025/26", "2026/27", "2027/28"]
    assert youth["expected_open"] is None  # a round is open now
    assert [r["bid_status"] for r in youth["rounds"][:3]] == ["awarded", "unsuccessful", "awarded"]
    small = json.loads(run_tracker("calls", "rounds", _url(rows, "community-safety-small-grants-2026.html"),
                                   "--format", "json").stdout)
    assert small["expected_open"] == "2027-01"
    summer = json.loads(run_tracker("calls", "rounds", _url(rows, "summer-streets-holiday-activities-2025.html"),
                                    "--format", "json").stdout)
    assert summer["expected_open"] == "2027-02" and len(summer["rounds"]) == 3  # the crawled 2025 round among them
    [eml] = (run_tracker.home / "outbox").glob("*.eml")
    text = eml.read_text(encoding="utf-8", errors="replace")
    assert "EXPECTED TO OPEN SOON" in text and "Community Safety Small Grants 2026" in text
