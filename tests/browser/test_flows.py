"""Staff and admins at work in a real headless Chromium against `tracker serve`."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_sign_in_and_filter_opportunities(page, step):
    with step("sign in"):
        sign_in(page, "viewer")
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    with step("open the list"):
        page.get_by_role("link", name="Opportunities").first.click()
        expect(page.locator("#result-count")).to_contain_text("63")
        expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()  # shown as text
    with step("filter by theme and funder"):
        page.get_by_label("Theme").select_option("youth")
        page.get_by_label("Funder").select_option("Home Office")
        page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(r"theme=youth"))
        count = int(page.locator("#result-count strong").inner_text())
        assert 0 < count < 63
        titles = page.locator("#opportunities tbody tr td:first-child").all_inner_texts()
        assert "Youth Diversion Fund" in titles
    with step("sort and paginate"):
        page.goto("/opportunities?sort=amount&per_page=10")
        expect(page.get_by_text("Page 1 of 7")).to_be_visible()
        page.get_by_role("link", name="Next page").click()
        expect(page.get_by_text("Page 2 of 7")).to_be_visible()


def test_staff_marks_a_bid_applied(page, step):
    with step("sign in"):
        sign_in(page, "staff")
    with step("move the bid on the board"):
        page.goto("/bids")
        card = page.locator("#interested .card", has_text="Youth Diversion Fund")
        card.get_by_role("button", name=re.compile("applied$")).click()
        expect(page.locator("#applied .card", has_text="Youth Diversion Fund")).to_be_visible()
    with step("history records who and when"):
        page.locator("#applied .card", has_text="Youth Diversion Fund").get_by_role("link").click()
        expect(page.locator("#bid-status")).to_have_text("applied")
        expect(page.locator("#history")).to_contain_text("interested → applied")
        expect(page.locator("#history")).to_contain_text("sam")  # no name given: the email's local part


def test_admin_adds_a_source_through_the_test_preview(page, step, funder_site):
    with step("sign in"):
        sign_in(page, "admin")
    with step("fill the form"):
        page.goto("/sources/new")
        page.get_by_label("Name").fill("Riverside Community Trust")
        page.get_by_label("Kind").select_option("html")
        page.get_by_label("Start URL").fill(f"{funder_site}/funding/index.html")
        page.get_by_label("Funder (optional)").fill("Riverside Community Trust")
    with step("test it"):
        page.get_by_role("button", name="Test this source").click()
        expect(page.locator("#preview-summary")).to_contain_text("2", timeout=90000)
        expect(page.locator("#preview-calls")).to_contain_text("Safer Streets Small Grants 2030")
        expect(page.locator("#preview-calls")).to_contain_text("£1,000 to £10,000")
    with step("save it"):
        page.get_by_role("button", name="Save source").click()
        expect(page.get_by_role("heading", name="Riverside Community Trust")).to_be_visible()
        page.goto("/sources")
        expect(page.locator("#sources")).to_contain_text("Riverside Community Trust")


def test_viewer_cannot_reach_admin_pages(page, step):
    with step("sign in"):
        sign_in(page, "viewer")
    with step("sources refused"):
        response = page.goto("/sources")
        assert response.status == 403
        expect(page.get_by_role("heading", name="You cannot do that")).to_be_visible()


def test_assign_comment_bid_awarded_report(page, step):
    """The team's flow on one call: assign → answer → comment → bid → awarded → the report."""
    from datetime import date, timedelta

    year = (date.today() + timedelta(days=12)).year  # "Grant programme 07" closes in 12 days
    with step("admin asks sam to review"):
        sign_in(page, "admin")
        page.goto("/opportunities?q=Grant+programme+07")
        page.get_by_role("link", name="Grant programme 07").click()
        page.get_by_text("Ask a colleague to review this call").click()
        page.get_by_label("Colleague", exact=True).select_option(label="sam")
        page.get_by_label("Note (optional)").fill("Could this fund the summer sessions?")
        page.get_by_role("button", name="Ask them (by email)").click()
        expect(page.locator(".notification")).to_contain_text("Asked sam to review it")
        call = page.url.split("#")[0]
        page.get_by_role("button", name="Sign out").click()
    with step("sam says he will look, and comments"):
        sign_in(page, "staff")
        page.goto(call)
        page.locator("#assignments").get_by_role("button", name="I'll look").click()
        expect(page.locator("#assignments")).to_contain_text("looking at it")
        page.get_by_label(re.compile("^Comment")).fill("@ada the budget fits; I'll draft it this week")
        page.get_by_role("button", name="Add comment").click()
        expect(page.locator(".notification")).to_contain_text("Emailed ada@council.example")
        expect(page.locator(".comment").last).to_contain_text("@ada the budget fits")
    with step("bid, applied, awarded"):
        page.get_by_label("For need").first.select_option("N1")
        page.get_by_role("button", name="Mark interested").click()
        page.locator("#bids").locator("..").get_by_role("link", name="interested").first.click()
        page.get_by_label("New status").select_option("applied")
        page.get_by_role("button", name="Change status").click()
        expect(page.locator("#bid-status")).to_have_text("applied")
        page.get_by_label("New status").select_option("awarded")
        page.get_by_role("button", name="Change status").click()
        page.get_by_role("button", name="Yes, mark it awarded").click()
        expect(page.locator("#bid-status")).to_have_text("awarded")
        page.get_by_label("Amount requested (£)").fill("20000")
        page.get_by_label("Amount awarded (£)").fill("15000")
        page.get_by_label(re.compile("^Funder's feedback")).fill("Strong local evidence.")
        page.get_by_role("button", name="Save details").click()
        expect(page.locator("#bid-feedback")).to_have_text("Strong local evidence.")
    with step("the report counts it"):
        page.get_by_role("link", name="Reports").click()
        expect(page.locator("#year-table tr", has_text=str(year))).to_be_visible()
        expect(page.locator("#funder-table tr", has_text="Brightway")).to_contain_text("£15,000")
        expect(page.locator("#chart-funders desc")).to_contain_text("Brightway: £15,000")
        expect(page.locator("svg#chart-years title")).to_have_text("Funding secured per year")
