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
