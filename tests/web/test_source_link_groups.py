"""The source test page lists the start page's groups of similar links; an admin picks one and
it becomes the source's link pattern (real crawls of a loopback site, real app)."""

import pytest
from sqlmodel import select

from jobs.crawl_runner import CrawlOutcome, SourceResult
from tests.cli.test_sources_link_groups import write_site
from tracker.db import session_scope
from tracker.demo.server import serve_site
from tracker.models import Source

GROUP = '1 link like /parish/grants/&lt;name&gt;.html in the text under &#34;Grants&#34;'


@pytest.fixture
def parish(tmp_path, engine) -> int:
    write_site(tmp_path / "site")
    with serve_site(tmp_path / "site") as server:
        with session_scope(engine) as s:
            source = Source(name="parish", kind="html", url=server.url + "/parish/grants.html", origin="web")
            s.add(source)
            s.flush()
            source_id = source.id
        yield source_id


@pytest.fixture
def real_crawl(app) -> None:
    app.state.web.run_crawl = None  # the app's own: jobs.crawl_runner.run_crawl


def test_admin_picks_a_link_group_and_the_source_follows_it(as_role, parish, real_crawl, engine):
    client = as_role("admin")
    assert 'id="test-source"' in client.get(f"/sources/{parish}").text
    page = client.post_form(f"/sources/{parish}/test")
    assert page.status_code == 200 and "Links on the start page, in groups" in page.text
    assert GROUP in page.text and 'id="pick-group-1"' in page.text
    assert "Contact" not in page.text.split('id="link-groups"')[1]  # navigation links are not offered
    pattern = page.text.split('name="link_pattern" value="')[1].split('"')[0]
    r = client.post_form(f"/sources/{parish}/link-pattern", {"link_pattern": pattern.replace("&#34;", '"')})
    assert r.status_code == 303 and r.headers["location"] == f"/sources/{parish}"
    with session_scope(engine) as s:
        assert s.get(Source, parish).link_pattern == r"^https?://[^/]+/parish/grants/[^/?#]+\.html$"
    detail = client.get(f"/sources/{parish}").text
    assert "the next crawl follows only the links matching" in detail and "Links followed" in detail
    again = client.post_form(f"/sources/{parish}/test")
    assert "Village Halls Fund" in again.text and "<strong>1</strong> call(s) found" in again.text


def test_a_new_source_is_tested_again_with_the_picked_group(as_role, crawler):
    client = as_role("admin")
    form = {"name": "new", "kind": "html", "url": "https://funder.example/grants", "link_pattern": ""}
    page = client.post_form("/sources/preview", {**form, "use_pattern": r"^https?://[^/]+/grants/[^/?#]+$"})
    assert page.status_code == 200
    assert crawler.calls[-1][1]["adhoc"][0]["overrides"]["link_pattern"] == r"^https?://[^/]+/grants/[^/?#]+$"
    assert 'name="link_pattern" value="^https?://[^/]+/grants/[^/?#]+$"' in page.text  # saved with the form


def test_no_calls_says_what_to_try(as_role, app):
    groups = [{"description": "14 links like /funding/<name>/ in a list", "pattern": "^https?://[^/]+/funding/[^/?#]+/$",
               "examples": [{"url": "https://f.example/funding/a/", "text": "A fund"}]}]
    app.state.web.run_crawl = lambda settings, names, **kw: CrawlOutcome(results=[SourceResult(
        name="x", status="ok", pages=1, calls=0, reason="no call signals: https://f.example/funding/",
        link_groups=groups)])
    page = as_role("admin").post_form("/sources/preview", {"name": "x", "kind": "html",
                                                           "url": "https://f.example/funding/"}).text
    assert "No calls found: no call signals" in page
    assert "<strong>Try this:</strong> if the funds are linked from the start page, pick the group" in page
    assert "14 links like /funding/&lt;name&gt;/ in a list" in page and "A fund" in page
    assert 'formaction="/sources/preview"' in page and 'id="pick-group-1"' in page


def test_a_config_source_cannot_be_changed_here(as_role, engine, crawler):
    with session_scope(engine) as s:
        source = s.exec(select(Source)).first()
        source.origin = "config"
        s.add(source)
        source_id = source.id
    client = as_role("admin")
    page = client.post_form(f"/sources/{source_id}/test").text
    assert "Declared in the config file: set its link_pattern there." in page and "pick-group" not in page
    r = client.post_form(f"/sources/{source_id}/link-pattern", {"link_pattern": "/x/"})
    assert r.status_code == 409


def test_a_bad_pattern_is_refused(as_role, seeded):
    r = as_role("admin").post_form(f"/sources/{seeded['source']}/link-pattern", {"link_pattern": "(unclosed"})
    assert r.status_code == 422 and "not a valid regex" in r.text


def test_a_listing_cut_by_the_page_limit_is_said_in_the_preview(as_role, app):
    stopped = "stopped after 500 listing pages; the next one, https://f.example/grants?page=501, was not read"
    app.state.web.run_crawl = lambda settings, names, **kw: CrawlOutcome(results=[SourceResult(
        name="x", status="ok", pages=40, calls=0, stopped=stopped)])
    page = as_role("admin").post_form("/sources/preview", {"name": "x", "kind": "html",
                                                           "url": "https://f.example/grants"}).text
    assert f'id="preview-stopped">Listing not read to the end: {stopped}' in page
