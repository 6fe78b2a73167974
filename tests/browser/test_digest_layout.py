"""The demo week's digest in a real Chromium at a phone's width (390 px, an iPhone's) and at
a desktop's: nothing wider than the screen, and the content column never wider than 640 px.
The HTML is shown as a mail client shows it: the email's own markup, no network."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.digest.demo_week import demo_digest


@pytest.fixture(scope="module")
def digest_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    _raw, msg = demo_digest(tmp_path_factory.mktemp("demo"))
    return msg.get_body(("html",)).get_content()


@pytest.fixture
def open_at(browser) -> Iterator[object]:  # noqa: ANN001
    contexts = []

    def show(html: str, width: int):  # noqa: ANN202
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=True)
        contexts.append(context)
        page = context.new_page()
        page.route("**/*", lambda route: route.abort())  # a mail client loads nothing remote
        page.set_content(html)
        return page

    yield show
    for context in contexts:
        context.close()


def test_digest_fits_a_390px_phone_screen(digest_html, open_at):
    page = open_at(digest_html, 390)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 390:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "digest-390.png"), full_page=True)
    assert width <= 390, f"the digest is {width} px wide on a 390 px screen"
    assert page.get_by_text("new for you").first.is_visible()


def test_digest_column_stays_at_most_640px_on_a_desktop(digest_html, open_at):
    page = open_at(digest_html, 1280)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    widths = page.evaluate("[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().width)")
    assert max(widths) == 1280 and sorted(widths)[0] <= 640
