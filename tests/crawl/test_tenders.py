"""Live tender sources (contracts-finder, find-a-tender) crawled for real (a crawl child process,
the store pipeline, the database) against a fake of both APIs on loopback that pages, filters by
date window and rate-limits like the real ones (tests/tender_api.py)."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlmodel import Session, select

from jobs.crawl_runner import run_crawl
from spiders.sites.tenders import FindATenderSpider
from tests.tender_api import FakeTenderApi, fixture_releases, serve_api, spread
from tracker.models import Opportunity, Source
from tracker.sources import add_source, tender_filters

NOW = datetime.now(UTC).replace(microsecond=0)
FTS = spread(fixture_releases("find-a-tender"), NOW, 25)
CF = spread(fixture_releases("contracts-finder"), NOW, 25)
FTS_CALLS = {r["ocid"] for r in FTS if r["tag"][0] in ("tender", "planning")}  # not awards, not cancelled
CF_CALLS = {r["ocid"] for r in CF if r["tag"][0] in ("tender", "tenderAmendment", "planning")}


@pytest.fixture
def api():
    with serve_api(FakeTenderApi({"find-a-tender": FTS, "contracts-finder": CF})) as fake:
        yield fake


@pytest.fixture
def tender_settings(settings):
    settings.tenders.find_a_tender_delay = 0
    settings.tenders.contracts_finder_delay = 0
    settings.tenders.page_size = 2
    settings.tenders.lookback_days = 30
    settings.tenders.window_days = 7
    settings.crawl.http_cache = False
    return settings


def _add(engine, settings, name: str, kind: str, url: str, **filters) -> None:
    with Session(engine) as s:
        add_source(s, settings, name=name, kind=kind, url=url, filters=tender_filters(name, **filters))
        s.commit()


def _stored(engine, name: str) -> dict[str, Opportunity]:
    with Session(engine) as s:
        source = s.exec(select(Source).where(Source.name == name)).one()
        return {o.url: o for o in s.exec(select(Opportunity).where(Opportunity.source_id == source.id))}


def _source(engine, name: str) -> Source:
    with Session(engine) as s:
        return s.exec(select(Source).where(Source.name == name)).one()


def test_find_a_tender_windows_and_pages_give_each_opportunity_once(tender_settings, engine, api) -> None:
    api.honour_stages = False  # awards and cancellations reach the spider: it must skip them itself
    _add(engine, tender_settings, "fts", "find-a-tender", api.url)
    result = run_crawl(tender_settings, ["fts"]).results[0]
    assert result.status == "ok", result.error_text
    stored = _stored(engine, "fts")
    assert {url.rsplit("#", 1)[1] for url in stored} == FTS_CALLS
    assert result.calls_new == len(FTS_CALLS) and result.skipped == len(FTS) - len(FTS_CALLS)
    # five windows of at most 7 days cover the 30 days looked back, each paged through
    windows = api.windows("find-a-tender")
    assert len(windows) == 5 and all(a[1] == b[0] for a, b in zip(windows, windows[1:], strict=False))
    assert any("cursor" in s.params for s in api.api_requests())
    assert all(v == 1 for v in api.served.values())
    youth = stored["https://www.find-tender.service.gov.uk/Notice/104211-2026#ocds-h6vhtk-05a1c2"]
    assert youth.title == "Youth Diversion and Mentoring Service"
    assert youth.funder == "The Police and Crime Commissioner for Cambridgeshire"
    assert (youth.deadline.isoformat(), youth.deadline_time) == ("2027-01-29", "12:00")
    assert youth.amount_max == 240000 and youth.status == "open"
    assert youth.areas == ["Cambridgeshire County Council"]
    assert "Notice type: Tender (Find a Tender)" in youth.body
    planned = next(o for o in stored.values() if o.url.endswith("#ocds-h6vhtk-05a20b"))
    assert planned.status == "upcoming" and "Planned procurement (Find a Tender)" in planned.body
    source = _source(engine, "fts")
    assert source.healthy and source.window_end is not None
    assert source.window_end.strftime("%Y-%m-%dT%H:%M:%S") == windows[-1][1]



def test_a_window_with_more_pages_than_the_limit_is_read_in_narrower_windows(tender_settings, engine, api) -> None:
    tender_settings.tenders.window_days = 30  # one window of four pages, over a limit of two
    tender_settings.crawl.max_listing_pages = 2
    _add(engine, tender_settings, "fts", "find-a-tender", api.url)
    result = run_crawl(tender_settings, ["fts"]).results[0]
    assert result.status == "ok", result.error_text
    assert {url.rsplit("#", 1)[1] for url in _stored(engine, "fts")} == FTS_CALLS
    (wide, *narrow) = api.windows("find-a-tender")
    assert len(narrow) >= 2 and narrow[0][0] == wide[0] and narrow[-1][1] == wide[1]
    assert all(a[1] == b[0] for a, b in zip(narrow, narrow[1:], strict=False))  # nothing left out
    source = _source(engine, "fts")
    assert source.healthy and source.window_end.strftime("%Y-%m-%dT%H:%M:%S") == wide[1]


def test_a_window_is_not_narrowed_below_a_minute() -> None:
    spider = FindATenderSpider(source_name="fts", start_url="http://127.0.0.1:1")
    start = datetime(2026, 11, 30, 12, 0, 0)
    spider.spans = [(start, start + timedelta(seconds=90))]
    assert not spider.narrow(0) and len(spider.spans) == 1
    spider.spans = [(start, start + timedelta(days=1)), (start + timedelta(days=1), start + timedelta(days=2))]
    assert spider.narrow(0)
    assert spider.spans[0] == (start, start + timedelta(hours=12)) and len(spider.spans) == 4
    assert spider.spans[-1][1] == start + timedelta(days=2)


def _ocids(stored: dict[str, Opportunity]) -> list[str]:
    return sorted(url.rsplit("#", 1)[1] for url in stored)


def test_a_second_crawl_asks_only_for_the_new_window(tender_settings, engine, api) -> None:
    _add(engine, tender_settings, "fts", "find-a-tender", api.url)
    run_crawl(tender_settings, ["fts"])
    first = api.windows("find-a-tender")
    end = _source(engine, "fts").window_end
    new = {**FTS[0], "ocid": "ocds-h6vhtk-05b000", "id": "106001-2026", "date": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
    new["tender"] = {**new["tender"], "title": "Hate Crime Third Party Reporting Centres"}
    api.releases["find-a-tender"] = [*FTS, new]
    api.served.clear()
    result = run_crawl(tender_settings, ["fts"]).results[0]
    second = api.windows("find-a-tender")[len(first):]
    assert len(second) == 1 and second[0][0] == first[-1][1]  # from where the first crawl ended
    assert result.calls_new == 1 and result.calls == 1
    assert "ocds-h6vhtk-05b000" in _ocids(_stored(engine, "fts"))
    assert list(api.served.values()) == [1]  # only the new window's one page; nothing old again
    assert _source(engine, "fts").window_end > end


def test_filters_keep_only_matching_contracts_finder_notices(tender_settings, engine, api) -> None:
    _add(engine, tender_settings, "wm-da", "contracts-finder", api.url, keywords=["domestic abuse"], regions=["UKG"])
    _add(engine, tender_settings, "london", "contracts-finder", api.url, cpv=["85000000"], regions=["London"],
         vcse=True)
    results = {r.name: r for r in run_crawl(tender_settings, ["wm-da", "london"]).results}
    assert all(r.status == "ok" for r in results.values())
    titles = {name: sorted(o.title for o in _stored(engine, name).values()) for name in results}
    # real notices (Contracts Finder, saved by apa999/CFServer1): the West Midlands' two domestic abuse
    # tenders, not Lancashire's (North West), nor any award
    assert titles["wm-da"] == ["Domestic Abuse Support Services - Adults", "Domestic Abuse Support Services - Children"]
    # CPV division 85, for London (a notice for all of England is too), marked suitable for VCSEs
    assert titles["london"] == [
        "AT1299 - Provision for Children looked after", "Pan London Sexual Violence Support Service",
        "To Provide Non-acute intermediate care beds (step-up, step-down & rehabilitation) in Harrow for North "
        "West London Integrated Care Board - Request for Information"]
    da = next(iter(_stored(engine, "wm-da").values()))
    assert da.url.startswith("https://www.contractsfinder.service.gov.uk/Notice/") and da.areas == ["West Midlands"]


def _storm(refusals: list[tuple[str, int, str]]):
    """Refuse every other API request, 429 on Find a Tender and 403 on Contracts Finder, with a
    Retry-After in seconds or as an HTTP date (past: ask again at once)."""
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    afters = ["0", past, "1", "0"]

    def limit(number: int, url: str):
        if number % 2 and number < 60:
            status = 429 if url.startswith("/api/") else 403
            refusals.append((url, status, afters[(number // 2) % len(afters)]))
            return status, refusals[-1][2]
        return None

    return limit


def test_a_429_and_403_storm_loses_nothing_and_fetches_no_page_twice(tender_settings, engine, api) -> None:
    refusals: list[tuple[str, int, str]] = []
    api.limit = _storm(refusals)
    _add(engine, tender_settings, "fts", "find-a-tender", api.url)
    _add(engine, tender_settings, "cf", "contracts-finder", api.url)
    results = {r.name: r for r in run_crawl(tender_settings, ["fts", "cf"]).results}
    assert {r.status for r in results.values()} == {"ok"}, [r.error_text for r in results.values()]
    assert len(refusals) >= 20 and {s for _, s, _ in refusals} == {403, 429}
    assert _ocids(_stored(engine, "fts")) == sorted(FTS_CALLS) and _ocids(_stored(engine, "cf")) == sorted(CF_CALLS)
    assert results["fts"].calls_new == len(FTS_CALLS) and results["cf"].calls_new == len(CF_CALLS)
    assert set(api.served.values()) == {1}  # no successful page fetched twice
    assert {url for url, _, _ in refusals} <= set(api.served)  # every refused page was asked again
    # the page told to wait one second was asked again no sooner
    waited = next(url for url, _, after in refusals if after == "1")
    refused_at = next(s.at for s in api.requests if s.url == waited and s.status != 200)
    assert next(s.at for s in api.requests if s.url == waited and s.status == 200) - refused_at >= 1
    assert all(_source(engine, name).healthy for name in ("fts", "cf"))


def test_a_rate_limit_past_the_wait_budget_marks_the_source_and_keeps_the_window(tender_settings, engine,
                                                                                 api) -> None:
    refused: list[str] = []

    def limit(number: int, url: str):
        if number >= 3:
            refused.append(url)
            return 429, "3600"
        return None

    api.limit = limit
    _add(engine, tender_settings, "fts", "find-a-tender", api.url)
    result = run_crawl(tender_settings, ["fts"]).results[0]
    source = _source(engine, "fts")
    assert not source.healthy and "\n" not in source.health_note
    assert "rate limited by 127.0.0.1 (HTTP 429, Retry-After 3600 s)" in source.health_note
    assert len(refused) == 1  # gave up at once: the wait asked for is beyond the budget
    refused_from = next(s.params["updatedFrom"] for s in api.requests if s.status == 429)
    first_from = api.windows("find-a-tender")[0][0]
    kept = source.window_end.strftime("%Y-%m-%dT%H:%M:%S") if source.window_end else None
    assert kept == (None if refused_from == first_from else refused_from)
    assert result.calls == len(_stored(engine, "fts"))
    asked = len(api.windows("find-a-tender"))
    api.limit = lambda number, url: None
    run_crawl(tender_settings, ["fts"])
    assert kept is not None  # the fixture's dates put the refusal after the first window
    assert api.windows("find-a-tender")[asked][0] == refused_from  # the kept window, read again
    assert _ocids(_stored(engine, "fts")) == sorted(FTS_CALLS)
    assert _source(engine, "fts").healthy


def test_a_crawl_killed_mid_window_reads_the_window_again_and_loses_nothing(tender_settings, engine, api) -> None:
    _add(engine, tender_settings, "cf", "contracts-finder", api.url)
    pid: list[int] = []
    killed: list[str] = []

    def kill_on_third_window_second_page(seen) -> None:  # noqa: ANN001
        if not killed and "cursor" in seen.params and len(api.windows("contracts-finder")) == 3:
            killed.append(seen.params["publishedFrom"])
            os.kill(pid[0], signal.SIGKILL)

    api.before_answer = kill_on_third_window_second_page
    events = lambda e: pid.append(e["pid"]) if e["event"] == "started" else None  # noqa: E731
    result = run_crawl(tender_settings, ["cf"], on_event=events).results[0]
    assert killed and result.status == "killed"
    source = _source(engine, "cf")
    assert source.window_end.strftime("%Y-%m-%dT%H:%M:%S") == killed[0]  # two windows done, not the third
    api.before_answer = None
    asked = len(api.windows("contracts-finder"))
    result = run_crawl(tender_settings, ["cf"]).results[0]
    assert result.status == "ok"
    assert api.windows("contracts-finder")[asked][0] == killed[0]  # the third window again, from its start
    stored = _stored(engine, "cf")
    assert _ocids(stored) == sorted(CF_CALLS)  # each once: none lost, none twice


def test_a_procurements_later_notice_updates_its_call(tender_settings, engine, api) -> None:
    """The planning notice, then (a window later) the tender notice of the same procurement, then
    (next crawl) its amendment: one call, at the first notice's page, with the latest state."""
    planned = next(r for r in FTS if r["ocid"] == "ocds-h6vhtk-05a20b")
    tender = {**planned, "id": "105500-2026", "tag": ["tender"], "date": (NOW - timedelta(days=2)).isoformat()}
    tender["tender"] = {**planned["tender"], "status": "active", "tenderPeriod": {"endDate": "2027-03-01T12:00:00Z"}}
    api.releases["find-a-tender"] = [*FTS, tender]
    _add(engine, tender_settings, "fts", "find-a-tender", api.url)
    run_crawl(tender_settings, ["fts"])
    (call,) = [o for o in _stored(engine, "fts").values() if o.url.endswith("#ocds-h6vhtk-05a20b")]
    assert call.url == "https://www.find-tender.service.gov.uk/Notice/104602-2026#ocds-h6vhtk-05a20b"
    assert call.status == "open" and call.deadline.isoformat() == "2027-03-01"
    amended = {**tender, "id": "105600-2026", "tag": ["tenderAmendment"],
               "date": _source(engine, "fts").window_end.strftime("%Y-%m-%dT%H:%M:%SZ")}
    amended["tender"] = {**tender["tender"], "tenderPeriod": {"endDate": "2027-03-15T12:00:00Z"}}
    api.releases["find-a-tender"] = [*FTS, tender, amended]
    assert run_crawl(tender_settings, ["fts"]).results[0].calls_changed == 1
    (call,) = [o for o in _stored(engine, "fts").values() if o.url.endswith("#ocds-h6vhtk-05a20b")]
    assert call.deadline.isoformat() == "2027-03-15" and len(_stored(engine, "fts")) == len(FTS_CALLS)


def test_requests_are_paced_by_the_kinds_delay(tender_settings, engine, api) -> None:
    tender_settings.tenders.find_a_tender_delay = 0.5
    tender_settings.tenders.window_days = 30  # one window, paged: four pages one after another
    _add(engine, tender_settings, "fts", "find-a-tender", api.url)
    assert run_crawl(tender_settings, ["fts"]).results[0].status == "ok"
    times = [s.at for s in api.api_requests()]
    assert len(times) >= 4
    # a request leaves the crawler no sooner than the delay after the one before; its arrival here
    # may vary by the connection's set-up, a few milliseconds
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.45
