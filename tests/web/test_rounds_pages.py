"""Past rounds and forecasts on the call page, and the "expected to reopen" filter."""

from datetime import date, timedelta

from tests.web.conftest import HOSTILE, TODAY
from tracker.db import session_scope
from tracker.models import Bid, Opportunity


def _history(engine) -> dict[str, int]:  # noqa: ANN001
    """Three yearly rounds of a closed fund (opening each March), two with our bids."""
    year = TODAY.year
    ids = {}
    with session_scope(engine) as s:
        for back in (3, 2, 1):
            opp = Opportunity(url=f"https://funder.example/summer-streets-{year - back}",
                              title=f"Summer Streets Grants {year - back}", funder="Nene Trust", status="closed",
                              opens=date(year - back, 3, 2), deadline=date(year - back, 5, 29), amount_max=10000)
            s.add(opp)
            s.flush()
            ids[str(year - back)] = opp.id
        s.add(Bid(opportunity_id=ids[str(year - 3)], status="awarded", amount_requested=9000, amount_awarded=8000))
        s.add(Bid(opportunity_id=ids[str(year - 2)], status="unsuccessful", amount_requested=10000))
    return ids


def test_call_page_lists_past_rounds_with_our_bids_and_outcomes(as_role, seeded, engine):
    ids = _history(engine)
    year = TODAY.year
    latest = ids[str(year - 1)]
    page = as_role("viewer").get(f"/opportunities/{latest}").text
    rounds = page[page.index('id="past-rounds"'):]
    assert f"Summer Streets Grants {year - 3}" in rounds and f"Summer Streets Grants {year - 2}" in rounds
    assert "won</span> £8,000" in rounds and "not funded" in rounds and "asked £10,000" in rounds
    assert f"opened 2 March {year - 3}, closed 29 May {year - 3}" in rounds


def test_the_forecast_depends_on_today(as_role, seeded, engine, monkeypatch):
    ids = _history(engine)
    year = TODAY.year
    client = as_role("viewer")
    monkeypatch.setenv("TRACKER_TODAY", f"{year}-01-15")  # before this year's March round
    page = client.get(f"/opportunities/{ids[str(year - 1)]}").text
    assert f"likely to reopen around March {year}" in page
    assert f"opened March {year - 1}: Summer Streets Grants {year - 1}" in page
    monkeypatch.setenv("TRACKER_TODAY", f"{year}-06-15")  # March came and went without a round
    page = client.get(f"/opportunities/{ids[str(year - 1)]}").text
    assert "likely to reopen" not in page
    assert f"No forecast: expected around March {year}, but it has not reopened." in page


def test_forecast_and_expected_filter(as_role, seeded, engine):
    with session_scope(engine) as s:  # two yearly rounds, opening next month each year
        month = (TODAY.replace(day=1) + timedelta(days=32)).replace(day=1)
        for back in (2, 1):
            s.add(Opportunity(url=f"https://funder.example/watch-{back}", title=f"{HOSTILE} Watch {month.year - back}",
                              funder="Trust", status="closed", opens=month.replace(year=month.year - back),
                              deadline=month.replace(year=month.year - back) + timedelta(days=60)))
    client = as_role("viewer")
    listed = client.get("/opportunities?status=expected").text
    assert "Expected to reopen" in listed and f"expected {month:%B %Y}" in listed
    assert listed.count('href="/opportunities/') >= 1 and "Youth Diversion Fund" not in listed
    assert "<script>alert(1)</script>" not in listed
    with session_scope(engine) as s:
        latest = s.exec(Opportunity.__table__.select().where(Opportunity.url == "https://funder.example/watch-1")).one()
    page = client.get(f"/opportunities/{latest.id}").text
    assert f"likely to reopen around {month:%B %Y}" in page and 'id="forecast-evidence"' in page
    csv_text = client.get("/opportunities.csv?status=expected").text
    assert "https://funder.example/watch-1" in csv_text and "https://funder.example/watch-2" not in csv_text


def test_a_call_with_no_other_rounds_says_so(as_role, seeded):
    page = as_role("viewer").get(f"/opportunities/{seeded['opps']['hostile']}").text
    assert "No earlier or later rounds of this fund are stored." in page and 'id="forecast"' not in page
