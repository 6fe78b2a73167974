"""Live tender sources (contracts-finder, find-a-tender) crawled for real (a crawl child process,
the store pipeline, the database) against a fake of both APIs on loopback that pages, filters by
date window and rate-limits like the real ones (tests/tender_api.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from jobs.crawl_runner import run_crawl
from tests.tender_api import FakeTenderApi, fixture_releases, serve_api, spread
from tracker.models import Opportunity, Source
from tracker.sources import add_source, tender_filters

NOW = datetime.now(UTC).replace(microsecond=0)
FTS = spread(fixture_releases("find-a-tender"), NOW, 25)
CF = spread(fixture_releases("contracts-finder"), NOW, 25)
FTS_CALLS = {r["ocid"] for r in FTS if r["tag"][0] in ("tender", "planning")}  # not awards, not cancelled


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
    assert source.window_end.strftime("%Y-%m-%dT%H:%M:%S") == _utc(windows[-1][1])


def _utc(london: str) -> str:
    from zoneinfo import ZoneInfo

    moment = datetime.fromisoformat(london).replace(tzinfo=ZoneInfo("Europe/London"))
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
