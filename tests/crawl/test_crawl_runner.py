"""Crawls in a child process against the demo site on loopback: counts per source, a
broken source that does not stop the others, revisions, and 304s on a re-crawl."""

import json
import shutil

import pytest
from sqlmodel import Session, select

from jobs.crawl_runner import run_crawl
from tracker.demo.server import SITE_DIR, serve_site
from tracker.models import CrawlRun, Opportunity, OpportunityRevision, Source

DEMO_SOURCES = json.loads((SITE_DIR.parent / "sources.json").read_text())


@pytest.fixture
def site(tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(SITE_DIR, copy)
    with serve_site(copy) as server:
        yield server, copy


def _add(engine, name: str, kind: str, url: str) -> None:
    with Session(engine) as s:
        s.add(Source(name=name, kind=kind, url=url))
        s.commit()


def test_broken_sources_do_not_stop_the_others(settings, engine, site) -> None:
    server, _ = site
    pcc = DEMO_SOURCES[0]
    _add(engine, "pcc", pcc["kind"], server.url + pcc["path"])
    _add(engine, "gone", "html", server.url + "/no-such-funder/grants.html")
    _add(engine, "internal", "html", "http://10.11.12.13/grants")  # refused by the guard, never fetched
    outcome = run_crawl(settings, ["pcc", "gone", "internal"])
    results = {r.name: r for r in outcome.results}
    assert results["pcc"].status == "ok" and results["pcc"].calls >= 5
    assert results["pcc"].calls_new == results["pcc"].calls
    assert results["gone"].status == "failed"
    assert results["internal"].status == "failed" and "blocked" in results["internal"].error_text
    with Session(engine) as s:
        runs = {s.get(Source, r.source_id).name: r for r in s.exec(select(CrawlRun))}
        assert runs["pcc"].status == "ok" and runs["pcc"].pages >= 5
        assert runs["gone"].status == "failed"
        health = {src.name: src.healthy for src in s.exec(select(Source))}
        assert health == {"pcc": True, "gone": False, "internal": False}


def test_recrawl_unchanged_costs_304s_and_a_change_makes_a_revision(settings, engine, site) -> None:
    server, copy = site
    pcc = DEMO_SOURCES[0]
    _add(engine, "pcc", pcc["kind"], server.url + pcc["path"])
    first = run_crawl(settings, ["pcc"]).results[0]
    second = run_crawl(settings, ["pcc"]).results[0]
    assert second.calls_unchanged == first.calls and second.calls_new == 0
    assert second.not_modified >= first.pages - 1  # robots.txt aside, every page answered 304
    page = copy / "fenvalley-pcc" / "funding" / "youth-diversion-fund.html"
    page.write_text(page.read_text().replace("14/05/2027", "21/05/2027"))
    third = run_crawl(settings, ["pcc"]).results[0]
    assert third.calls_changed == 1
    with Session(engine) as s:
        rev = s.exec(select(OpportunityRevision)).one()
        assert rev.changes["deadline"] == ["2027-05-14", "2027-05-21"]
        opp = s.get(Opportunity, rev.opportunity_id)
        assert opp.deadline.isoformat() == "2027-05-21"


def test_dry_run_preview_stores_nothing(settings, engine, site) -> None:
    server, _ = site
    feed = next(s for s in DEMO_SOURCES if s["kind"] == "rss")
    outcome = run_crawl(settings, [], adhoc=[{"name": "try", "kind": "rss", "url": server.url + feed["path"]}])
    assert outcome.results[0].status == "ok"
    assert len(outcome.calls) >= 3 and all(c["title"] for c in outcome.calls)
    with Session(engine) as s:
        assert s.exec(select(Opportunity)).all() == []
        assert s.exec(select(CrawlRun)).all() == []
