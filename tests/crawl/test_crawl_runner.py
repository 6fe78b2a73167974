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


def test_progress_events_end_at_the_crawl_counts(settings, engine, site) -> None:
    server, _ = site
    pcc = DEMO_SOURCES[0]
    _add(engine, "pcc", pcc["kind"], server.url + pcc["path"])
    events = []
    result = run_crawl(settings, ["pcc"], on_event=events.append).results[0]
    progress = [e for e in events if e["event"] == "progress"]
    assert progress and events[-1]["event"] == "done"
    assert (progress[-1]["pages"], progress[-1]["calls"]) == (result.pages, result.calls)


def test_pages_read_in_a_worker_or_in_the_crawl_process_give_the_same_calls(settings, engine, site) -> None:
    server, _ = site
    pcc = DEMO_SOURCES[0]
    adhoc = [{"name": "try", "kind": pcc["kind"], "url": server.url + pcc["path"]}]
    shown = {}
    for workers in (0, 1):
        settings.crawl.workers = workers
        calls = run_crawl(settings, [], adhoc=adhoc).calls
        shown[workers] = sorted((c["url"], c["title"], c["deadline"], c["amount_max"], tuple(c["themes"]))
                                for c in calls)
    assert len(shown[0]) >= 5 and shown[0] == shown[1]


def test_dry_run_preview_stores_nothing(settings, engine, site) -> None:
    server, _ = site
    feed = next(s for s in DEMO_SOURCES if s["kind"] == "rss")
    outcome = run_crawl(settings, [], adhoc=[{"name": "try", "kind": "rss", "url": server.url + feed["path"]}])
    assert outcome.results[0].status == "ok"
    assert len(outcome.calls) >= 3 and all(c["title"] for c in outcome.calls)
    with Session(engine) as s:
        assert s.exec(select(Opportunity)).all() == []
        assert s.exec(select(CrawlRun)).all() == []


def test_a_slow_crawl_does_not_lock_out_other_writers(tmp_path, sqlite_engine) -> None:
    """While a crawl waits on a slow site, the web app and scheduler must still be able
    to write (SQLite has one writer: the crawl may not sit on an open transaction)."""
    import sqlite3
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tracker.config import Settings
    from tracker.models import Need

    detail_asked, release = threading.Event(), threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/grants":
                body = b"<html><body><main><h1>Grants</h1><ul>" + b"".join(
                    b'<li class="card"><a href="/grants/fund-%d">Safer Streets Fund %d</a> Grants up to '
                    b"\xc2\xa35,000. Closing date 1 June 2027.</li>" % (i, i) for i in range(3))
                body += b"</ul></main></body></html>"
            else:
                detail_asked.set()
                release.wait(30)
                body = (b"<html><body><main><h1>Safer Streets Fund</h1><p>Grants of up to \xc2\xa35,000 for "
                        b"community safety projects. The closing date is 1 June 2027.</p></main></body></html>")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = tmp_path / "only.db"
    settings = Settings(data_dir=tmp_path / "home", database_url=f"sqlite:///{db}")
    settings.crawl.allow_hosts, settings.crawl.download_delay, settings.crawl.obey_robots = ["127.0.0.1"], 0, False
    with Session(sqlite_engine) as s:
        s.add(Source(name="slow", kind="html", url=f"http://127.0.0.1:{server.server_address[1]}/grants"))
        s.commit()
    crawl = threading.Thread(target=run_crawl, args=(settings, ["slow"]))
    crawl.start()
    try:
        assert detail_asked.wait(60), "the crawl never asked for a detail page"
        # The crawl has stored the listing and now waits on the detail pages.
        conn = sqlite3.connect(db, timeout=3)
        conn.execute("INSERT INTO need (id, title, description, keywords, themes, area, applicant, partners, "
                     "prep_days, active, updated_at) VALUES ('n1', 't', '', '[]', '[]', 'Peterborough', "
                     "'local_authority', '[]', 21, 1, '2026-11-26 00:00:00')")
        conn.commit()
        conn.close()
    finally:
        release.set()
        crawl.join(60)
        server.shutdown()
    with Session(sqlite_engine) as s:
        assert s.get(Need, "n1") is not None


def test_calls_missing_from_the_database_are_stored_again_on_an_unchanged_recrawl(settings, engine, site) -> None:
    """The database restored from an older backup, the HTTP cache not: every page answers
    304, and the calls the database lacks must still be stored."""
    from sqlalchemy import delete

    server, _ = site
    pcc = DEMO_SOURCES[0]
    _add(engine, "pcc", pcc["kind"], server.url + pcc["path"])
    first = run_crawl(settings, ["pcc"]).results[0]
    with Session(engine) as s:
        urls = sorted(s.exec(select(Opportunity.url)))
        s.exec(delete(Opportunity).where(Opportunity.url.in_(urls[:2])))
        s.commit()
    second = run_crawl(settings, ["pcc"]).results[0]
    assert second.unchanged_pages >= first.calls - 2  # the pages came from the cache's 304 path
    with Session(engine) as s:
        assert sorted(s.exec(select(Opportunity.url))) == urls


def test_selectors_edited_by_an_admin_apply_to_pages_that_answer_304(settings, engine, site) -> None:
    """Unchanged pages reuse last crawl's analysis, but not once the source's selectors change:
    the admin's fix must show on the next crawl, not when the funder next edits the page."""
    server, _ = site
    pcc = DEMO_SOURCES[0]
    _add(engine, "pcc", pcc["kind"], server.url + pcc["path"])
    run_crawl(settings, ["pcc"])
    with Session(engine) as s:
        source = s.exec(select(Source).where(Source.name == "pcc")).one()
        source.selectors = {"title": "nav.breadcrumbs"}
        s.add(source)
        s.commit()
    second = run_crawl(settings, ["pcc"]).results[0]
    assert second.not_modified > 0  # the pages did come back 304
    with Session(engine) as s:
        call = s.exec(select(Opportunity).where(Opportunity.url.contains("youth-diversion-fund"))).one()
        assert call.title == "Home › Grants and funding › Youth Diversion Fund 2027/28"
    assert second.calls_changed >= 1
