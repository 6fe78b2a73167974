"""Outcomes and the /reports page: a bid goes applied → awarded with amounts and the
funder's feedback, and the report shows it in figures, SVG charts (with text alternatives)
and CSV downloads."""

import csv
import io
import re
from datetime import timedelta

from sqlmodel import select

from tests.web.conftest import TODAY
from tracker.db import session_scope
from tracker.format import long_date
from tracker.models import Bid, BidEvent, Opportunity
from tracker.workdays import subtract_working_days


def test_an_awarded_bid_with_amounts_and_feedback_reaches_the_report(as_role, seeded, engine):
    staff = as_role("staff")
    bid = seeded["bid"]
    assert staff.post_form(f"/bids/{bid}/status", {"status": "applied"}).status_code == 303
    r = staff.post_form(f"/bids/{bid}/status", {"status": "awarded", "confirmed": "yes"})
    assert r.status_code == 303
    r = staff.post_form(f"/bids/{bid}", {"amount_requested": "20,000", "amount_awarded": "£15000",
                                         "notes": "", "feedback": "Strong partnership <b>evidence</b>"})
    assert r.status_code == 303
    page = staff.get(f"/bids/{bid}").text
    assert "Strong partnership &lt;b&gt;evidence&lt;/b&gt;" in page and "funder feedback edited" in page
    report = as_role("viewer").get("/reports").text
    year = str(_deadline(engine, seeded["opps"]["hostile"]).year)
    row = re.search(rf"<th scope=\"row\" data-label=\"Year\">{year}</th>(.*?)</tr>", report, re.S).group(1)
    assert "£15,000" in row and "£20,000" in row and "100%" in row
    # the funder's name is scraped text: escaped in the table and inside the SVG
    assert "<b>Evil</b>" not in report and "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in report
    svg = re.search(r'<svg class="chart" id="chart-years".*?</svg>', report, re.S).group(0)
    assert 'role="img"' in svg and "<title id=\"chart-years-title\">Funding secured per year</title>" in svg
    assert f"{year}: £15,000" in svg and "<script" not in report


def test_a_declined_bid_keeps_the_funders_feedback_and_counts_against_the_win_rate(as_role, seeded):
    staff = as_role("staff")
    bid = seeded["bid"]
    staff.post_form(f"/bids/{bid}/status", {"status": "applied"})
    staff.post_form(f"/bids/{bid}/status", {"status": "unsuccessful", "confirmed": "yes"})
    staff.post_form(f"/bids/{bid}", {"amount_requested": "8000", "feedback": "Over-subscribed"})
    page = staff.get(f"/bids/{bid}").text
    assert re.search(r'id="bid-feedback">Over-subscribed<', page)
    report = staff.get("/reports").text
    assert re.search(r"Win rate</dt><dd>0% \(0 won, 1 unsuccessful\)", report)
    rows = list(csv.DictReader(io.StringIO(staff.get("/bids.csv").text)))
    assert rows[0]["feedback"] == "Over-subscribed"


def test_report_csv_downloads(as_role, seeded):
    staff = as_role("staff")
    staff.post_form(f"/bids/{seeded['bid']}", {"amount_requested": "1000"})
    viewer = as_role("viewer")
    pipeline = list(csv.DictReader(io.StringIO(viewer.get("/reports/pipeline.csv").text)))
    assert {r["key"]: (r["bids"], r["value"]) for r in pipeline} == {
        "interested": ("1", "1000"), "preparing": ("0", "0"), "applied": ("0", "0")}
    funders = viewer.get("/reports/funder.csv")
    assert funders.headers["content-disposition"] == 'attachment; filename="report-funder.csv"'
    for section in ("year", "need"):
        assert viewer.get(f"/reports/{section}.csv").status_code == 200
    assert viewer.get("/reports/secret.csv").status_code == 404
    assert as_role(None).get("/reports", follow_redirects=False).status_code == 303


def test_an_empty_report_says_so_and_lists_upcoming_start_dates(as_role, seeded, engine):
    with session_scope(engine) as s:
        for event in s.exec(select(BidEvent)):
            s.delete(event)
        s.flush()
        s.delete(s.get(Bid, seeded["bid"]))
        s.get(Opportunity, seeded["opps"]["youth"]).deadline = TODAY + timedelta(days=120)
    page = as_role("viewer").get("/reports").text
    assert "Funding secured per year: nothing to show yet." in page and "No bids yet." in page
    upcoming = page[page.index('id="upcoming-table"'):]
    start = subtract_working_days(TODAY + timedelta(days=120), 21 + 15)  # N1's preparation and sign-off
    assert re.search(rf"{long_date(start)}</td>\s*<td data-label=\"Call\"><a href=\"/opportunities/"
                     rf"{seeded['opps']['youth']}\">Youth Diversion Fund</a>", upcoming)
    assert "Home Office · match" in upcoming


def _deadline(engine, opp_id):  # noqa: ANN001, ANN202
    with session_scope(engine) as s:
        return s.get(Opportunity, opp_id).deadline
