"""End-to-end fixtures: `tracker serve` as a real subprocess on a loopback port it binds itself, a
tiny funder site from http.server, and Debian's Chromium driven by Playwright.

Not collected by a plain `pytest`: run them on their own (see README.md here)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.loopback import served_url, start, stop

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", HERE / "artifacts"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-default-apps", "--metrics-recording-only"]
PASSWORD = "correct horse battery"
USERS = {"admin": "ada@council.example", "staff": "sam@council.example", "viewer": "val@council.example"}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Only when asked for: `pytest tests/browser` (or TRACKER_BROWSER_TESTS=1)."""
    if os.environ.get("TRACKER_BROWSER_TESTS") == "1":
        return None
    wanted = [Path(a.split("::")[0]).resolve() for a in config.args]
    if any(w == HERE or HERE in w.parents for w in wanted):
        return None
    return True


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def funder_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(HERE / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _seed(home: Path, config: Path) -> dict[str, str]:
    """The demo-like data every browser test sees; returns one example path per detail page."""
    from tests.browser.longdata import seed_long_content
    from tracker.config import load_settings
    from tracker.db import make_engine, session_scope, upgrade
    from tracker.models import Bid, BidEvent, Match, Need, Opportunity
    from tracker.users import add_user

    settings = load_settings(config)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    today = date.today()
    with session_scope(engine) as s:
        users = {role: add_user(s, email, role, PASSWORD) for role, email in USERS.items()}
        s.add(Need(id="N1", title="Youth diversion", themes=["youth"]))
        s.flush()
        themes = ["youth", "vawg", "domestic_abuse", "road_safety"]
        opps = []
        for n in range(60):
            opps.append(Opportunity(url=f"https://funder.example/call/{n}", title=f"Grant programme {n:02d}",
                                    funder=["Home Office", "Brightway", "PCC"][n % 3], themes=[themes[n % 4]],
                                    areas=["England"], deadline=today + timedelta(days=5 + n),
                                    amount_min=1000 * n, amount_max=5000 + 1000 * n))
        youth = Opportunity(url="https://funder.example/youth", title="Youth Diversion Fund", funder="Home Office",
                            themes=["youth"], areas=["England"], deadline=today + timedelta(days=9),
                            amount_max=50000)
        hostile = Opportunity(url="https://funder.example/x", title="<script>alert(1)</script>", funder="Evil",
                              themes=["vawg"], deadline=today + timedelta(days=20))
        s.add_all([*opps, youth, hostile])
        s.flush()
        s.add(Match(need_id="N1", opportunity_id=youth.id, score=0.9, rank=1, eligible=True,
                    reasons=["Theme: youth"]))
        bid = Bid(opportunity_id=youth.id, need_id="N1", status="interested", owner_id=users["staff"].id)
        s.add(bid)
        s.flush()
        s.add(BidEvent(bid_id=bid.id, user_id=users["staff"].id, to_status="interested", note="bid created"))
        examples = seed_long_content(s, settings, users, today)
    engine.dispose()
    return examples


@dataclass(frozen=True)
class Site:
    """`tracker serve` with the seeded data: its URL, the app's GET routes for web pages (path
    templates, not in the API schema) and an example path for each route with path parameters."""

    url: str
    page_routes: tuple[str, ...]
    examples: dict[str, str]


@contextmanager
def _tracker_env(home: Path, config: Path) -> Iterator[None]:
    """This process sees the served app's home and config while it seeds and reads them."""
    names = ("TRACKER_HOME", "TRACKER_CONFIG", "TRACKER_DATABASE_URL", "TRACKER_SECRET_KEY")
    old = {k: os.environ.get(k) for k in names}
    for k in names:
        os.environ.pop(k, None)
    os.environ.update(TRACKER_HOME=str(home), TRACKER_CONFIG=str(config))
    try:
        yield
    finally:
        for k, v in old.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def _page_routes(config: Path) -> tuple[str, ...]:
    from fastapi import routing

    from tracker.config import load_settings
    from tracker.web.app import create_app

    app = create_app(load_settings(config))
    # FastAPI 0.137+ keeps included routers as nodes of a tree; iter_route_contexts flattens it.
    flatten = getattr(routing, "iter_route_contexts", lambda routes: routes)
    return tuple(r.path for r in flatten(app.routes)
                 if "GET" in (getattr(r, "methods", None) or ()) and getattr(r, "include_in_schema", True) is False)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("home")
    config = home / "config.toml"
    config.write_text('[crawl]\nallow_hosts = ["127.0.0.1"]\ndownload_delay = 0\nobey_robots = false\n',
                      encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_HOME=str(home), TRACKER_CONFIG=str(config))
    with _tracker_env(home, config):
        examples = _seed(home, config)
        routes = _page_routes(config)
    # Port 0: uvicorn binds a free port itself and reports it (no port picked, released, raced for).
    proc, out = start([sys.executable, "-m", "tracker.web", "--host", "127.0.0.1", "--port", "0",
                       "--config", str(config), "--log-level", "info"], env, cwd=ROOT)
    try:
        url = served_url(out, 30)
        # The socket listens from here on; the first answer waits for a worker to start.
        assert httpx.get(url + "/login", timeout=30).status_code == 200, f"tracker serve is not answering:\n{out}"
        yield Site(url, routes, examples)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def app_url(site: Site) -> str:
    return site.url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        message = f"no Chromium at {CHROMIUM}: install Debian's chromium package (.ci/run does)"
        if os.environ.get("TRACKER_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(browser, app_url: str, request: pytest.FixtureRequest) -> Iterator[object]:  # noqa: ANN001
    context = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


@pytest.fixture
def step(page, request: pytest.FixtureRequest):  # noqa: ANN001, ANN201
    """`with step("filter"):` keeps a screenshot named after the test and step if it fails."""

    @contextmanager
    def run(name: str) -> Iterator[None]:
        try:
            yield
        except BaseException:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{safe}.png"), full_page=True)
            raise

    return run


def sign_in(page, role: str) -> None:  # noqa: ANN001
    page.goto("/login")
    page.get_by_label("Email address").fill(USERS[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
