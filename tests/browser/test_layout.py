"""Every web page fits a 390 px phone and a 1280 px desktop: no sideways scrolling, nothing
sticking out of the screen, no form field squeezed to a sliver.

The pages come from the app's own routes (every GET route outside the JSON API; routes with
path parameters through one seeded example each), so a new page is checked without editing
this file, and is visited as each role that can see it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import USERS, Site, sign_in

WIDTHS = (390, 1280)
ROLES = ("signed out", *USERS)
SHOTS = Path(os.environ["LAYOUT_SCREENSHOTS"]) if os.environ.get("LAYOUT_SCREENSHOTS") else None
MIN_CONTROL_WIDTH = 120  # px: room for a date, a cron line or a few words

# What a user would notice: the page scrolls sideways, something is cut off at the right
# edge (inside a box that hides or scrolls its overflow), or a text field is too thin to use.
MEASURE = """(minWidth) => {
  const viewport = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '')
    + ' "' + (el.innerText || el.value || '').trim().slice(0, 40).replace(/\\s+/g, ' ') + '"';
  const visible = (el, r) => r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden';
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    const out = (box) => box.getBoundingClientRect().right > viewport + 1;
    // The innermost: what is too wide, not the containers it pushes out with it.
    if (visible(el, r) && out(el) && ![...el.children].some(out)) sticking.push([Math.round(r.right), describe(el)]);
  }
  sticking.sort((a, b) => b[0] - a[0]);
  const thin = [];
  // GOV.UK fixed-width fields (input-width-2 for a day, -4 for a year, -5 for "06:00") are sized
  // for what they hold on purpose; every other field must keep room for a few words.
  const fields = 'input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=submit])'
    + ':not([class*=input-width-]), select, textarea';
  for (const el of document.querySelectorAll(fields)) {
    const r = el.getBoundingClientRect();
    if (visible(el, r) && r.width < minWidth) thin.push(describe(el) + ' is ' + Math.round(r.width) + ' px wide');
  }
  return {scrollWidth: document.documentElement.scrollWidth, viewport, sticking: sticking.slice(0, 3), thin};
}"""


def layout_problems(page, name: str, width: int) -> list[str]:  # noqa: ANN001
    """What is wrong with the page on screen, one line each, naming the page and the width."""
    if SHOTS:  # to look at every page as a user would
        SHOTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:60] or "dashboard"
        page.screenshot(path=str(SHOTS / f"{safe}-{width}.png"), full_page=True)
    m = page.evaluate(MEASURE, MIN_CONTROL_WIDTH)
    problems = []
    if m["scrollWidth"] > width:
        problems.append(f"{name} at {width} px: the page is {m['scrollWidth']} px wide")
    if m["sticking"]:
        problems.append(f"{name} at {width} px: sticks out of the screen: "
                        + "; ".join(f"{what} to {right} px" for right, what in m["sticking"]))
    problems += [f"{name} at {width} px: {thin}" for thin in m["thin"]]
    return problems


def page_paths(site: Site) -> dict[str, str]:
    """{route: path to visit}; a route with path parameters needs a seeded example."""
    for route in site.page_routes:
        assert "{" not in route or route in site.examples, (
            f"no example for the page {route}: add one to seed_long_content in tests/browser/longdata.py")
    return {route: site.examples.get(route, route) for route in site.page_routes}


def test_every_page_route_is_checked(site: Site) -> None:
    """The list is the app's, not a copy: the main pages and the detail pages are all in it."""
    paths = list(page_paths(site).values())
    for expected in ("/", "/opportunities", "/needs", "/bids", "/reports", "/sources", "/schedules", "/digests",
                     "/users", "/account", "/login", "/docs"):
        assert expected in paths
    assert not any("{" in p for p in paths)
    assert len(paths) == len(site.page_routes)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen(page, site: Site, role: str, width: int) -> None:
    if role != "signed out":
        sign_in(page, role)
    page.set_viewport_size({"width": width, "height": 900})
    problems, seen = [], []
    for route, path in page_paths(site).items():
        probe = page.request.get(path, max_redirects=0)
        if probe.status in (302, 303, 403) or not probe.headers.get("content-type", "").startswith("text/html"):
            continue  # not for this role (sent to sign in, or refused), or a download or feed
        response = page.goto(path)
        assert response.status == 200, f"{path} as {role}: HTTP {response.status}"
        seen.append(route)
        problems += layout_problems(page, route, width)
    assert seen, f"{role} saw no page"
    assert not problems, f"as {role}:\n" + "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_source_preview_fits_the_screen(page, funder_site: str, width: int) -> None:
    """The preview is the answer to a POST, so no route list finds it."""
    sign_in(page, "admin")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/sources/new")
    page.get_by_label("Name").fill("Riverside Community Trust small grants for neighbourhood safety")
    page.get_by_label("Start URL").fill(f"{funder_site}/funding/index.html?utm_source=newsletter&utm_medium=email"
                                        "&utm_campaign=community-safety-small-grants-2030")
    page.get_by_role("button", name="Test this source").click()
    page.locator("#preview-summary").wait_for(timeout=90000)
    problems = layout_problems(page, "source preview", width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_saved_source_test_and_its_link_groups_fit_the_screen(page, funder_site: str, width: int) -> None:
    """A saved source's test page (the answer to a POST too) with its groups of links to pick from."""
    sign_in(page, "admin")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/sources/new")
    page.get_by_label("Name").fill(f"Riverside Community Trust neighbourhood safety grants {width}")
    page.get_by_label("Start URL").fill(f"{funder_site}/funding/index.html?utm_source=newsletter&utm_medium=email"
                                        "&utm_campaign=community-safety-small-grants-2030")
    page.get_by_role("button", name="Test this source").click()
    page.locator("#preview-summary").wait_for(timeout=90000)
    page.get_by_role("button", name="Save source").click()
    page.get_by_role("button", name="Test it (stores nothing)").click()
    page.locator("#preview-summary").wait_for(timeout=90000)
    problems = layout_problems(page, "saved source test", width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_schedule_error_fits_the_screen(page, width: int) -> None:
    """A refused cron line comes back on the same page, error summary above the table."""
    sign_in(page, "admin")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/schedules")
    page.locator("#jobs input[name=schedule]").first.fill("every other tuesday-ish, at about half past nine")
    page.locator("#jobs").get_by_role("button", name="Save").first.click()
    page.locator(".error-summary").wait_for()
    problems = layout_problems(page, "schedules with an error", width)
    assert not problems, "\n".join(problems)
