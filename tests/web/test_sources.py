"""Sources (admin): test preview before saving, the address guard, enable, run now."""

import pytest
from sqlmodel import select

from tests.web.conftest import FakeCrawler, finished_run
from tracker.db import session_scope
from tracker.models import Opportunity, Source


def test_preview_shows_what_would_be_extracted_and_saves_nothing(as_role, crawler: FakeCrawler, engine):
    client = as_role("admin")
    form = {"name": "pcc", "kind": "html", "url": "https://funder.example/calls", "funder": "PCC"}
    r = client.post_form("/sources/preview", form)
    assert r.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text and "<script>alert(1)" not in r.text
    assert "£1,000 to £5,000" in r.text and "31 January 2030" in r.text and 'id="save-source"' in r.text
    names, kw = crawler.calls[0]
    assert names == [] and kw["adhoc"][0]["url"] == "https://funder.example/calls" and kw["timeout"] <= 120
    with session_scope(engine) as s:
        assert s.exec(select(Source).where(Source.name == "pcc")).first() is None
    r = client.post_form("/sources", form)
    assert r.status_code == 303
    with session_scope(engine) as s:
        source = s.exec(select(Source).where(Source.name == "pcc")).one()
        assert source.origin == "web" and source.kind == "html"


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
                                 "http://10.0.0.5/", "http://[::ffff:10.0.0.1]/", "http://100.64.0.1/",
                                 "http://example.com\\@10.0.0.1/", "javascript:alert(1)"])
def test_unsafe_urls_are_refused_before_any_fetch(as_role, crawler: FakeCrawler, url):
    client = as_role("admin")
    for path in ("/sources/preview", "/sources"):
        r = client.post_form(path, {"name": "bad", "kind": "html", "url": url})
        assert r.status_code == 422 and "There is a problem" in r.text
    assert crawler.calls == []


def test_duplicate_name_and_bad_kind_and_cron(as_role):
    client = as_role("admin")
    r = client.post_form("/sources", {"name": "trust-site", "kind": "html", "url": "https://f.example/"})
    assert r.status_code == 422 and "already exists" in r.text
    r = client.post_form("/sources", {"name": "n", "kind": "pdf", "url": "https://f.example/"})
    assert r.status_code == 422 and "kind must be one of" in r.text
    r = client.post_form("/sources", {"name": "n", "kind": "html", "url": "https://f.example/", "schedule": "99 * *"})
    assert r.status_code == 422 and "cron" in r.text


def test_enable_disable_run_now_and_detail(as_role, seeded, crawler: FakeCrawler, engine):
    client = as_role("admin")
    sid = seeded["source"]
    client.post_form(f"/sources/{sid}/enabled")
    with session_scope(engine) as s:
        assert not s.get(Source, sid).enabled
    client.post_form(f"/sources/{sid}/enabled", {"enabled": "true"})
    with session_scope(engine) as s:
        assert s.get(Source, sid).enabled
    page = client.get(f"/sources/{sid}").text
    assert "Last crawl runs" in page and "Never crawled" in page
    r = client.post_form(f"/sources/{sid}/run")
    assert r.status_code == 303
    # Run now runs the scheduler's own crawl job on the source (the demo funder on loopback).
    run = finished_run(engine, "crawl:trust-site")
    assert (run.outcome, run.trigger) == ("ok", "run-now"), run.detail
    assert "5 calls (5 new, 0 changed)" in run.detail
    with session_scope(engine) as s:
        stored = {o.title for o in s.exec(select(Opportunity).where(Opportunity.source_id == sid))
                  if "/fenvalley-pcc/" in o.url}
    assert {"Youth Diversion Fund 2027/28", "Violence-Free Futures Grants"} <= stored and len(stored) == 5
    page = client.get(f"/sources/{sid}").text
    assert "Never crawled" not in page
    assert "trust-site" in client.get("/sources").text


def test_overrides_for_hard_sites_reach_the_preview_and_are_saved(as_role, crawler: FakeCrawler, engine):
    client = as_role("admin")
    form = {"name": "hard", "kind": "html", "url": "https://hard.example/funding", "link_pattern": r"/fund/\d+",
            "selectors": "deadline=dd.closing\n\ntitle=//h2[@class='fund-name']"}
    r = client.post_form("/sources/preview", form)
    assert r.status_code == 200
    overrides = crawler.calls[0][1]["adhoc"][0]["overrides"]
    assert overrides == {"link_pattern": r"/fund/\d+",
                         "selectors": {"deadline": "dd.closing", "title": "//h2[@class='fund-name']"}}
    assert client.post_form("/sources", form).status_code == 303
    with session_scope(engine) as s:
        source = s.exec(select(Source).where(Source.name == "hard")).one()
        assert source.link_pattern == r"/fund/\d+" and source.selectors["deadline"] == "dd.closing"


def test_bad_overrides_are_refused_with_the_line(as_role, crawler: FakeCrawler):
    client = as_role("admin")
    base = {"name": "hard", "kind": "html", "url": "https://hard.example/funding"}
    r = client.post_form("/sources/preview", {**base, "link_pattern": "(unclosed"})
    assert r.status_code == 422 and "link pattern is not a valid regex" in r.text
    r = client.post_form("/sources", {**base, "selectors": "deadline=dd.x\njust-a-selector"})
    assert r.status_code == 422 and "selectors line 2" in r.text
    assert crawler.calls == []


def test_tender_kinds_are_offered_and_read_the_public_api_by_default(as_role, engine):
    client = as_role("admin")
    page = client.get("/sources/new").text
    assert '<option value="find-a-tender"' in page and '<option value="contracts-finder"' in page
    r = client.post_form("/sources", {"name": "fts", "kind": "find-a-tender", "url": ""})
    assert r.status_code == 303
    with session_scope(engine) as s:
        source = s.exec(select(Source).where(Source.name == "fts")).one()
        assert source.url == "https://www.find-tender.service.gov.uk" and source.origin == "web"
        call = Opportunity(url="https://www.find-tender.service.gov.uk/Notice/104211-2026#ocds-h6vhtk-05a1c2",
                           title="Youth Diversion and Mentoring Service", source_id=source.id)
        s.add(call)
        s.flush()
        call_id = call.id
    assert 'id="tender-tag">tender notice, Find a Tender<' in client.get(f"/opportunities/{call_id}").text
    detail = client.get(f"/sources/{source.id}").text
    assert "none: every opportunity" in detail and "the first crawl looks back 30 days" in detail
    r = client.post_form("/sources", {"name": "blank", "kind": "html", "url": ""})
    assert r.status_code == 422 and "There is a problem" in r.text
