"""Which tender notices become calls, the filters, ITL codes, notice pages and Retry-After."""

from datetime import UTC, datetime

import pytest

from spiders.extract.tenders import filtered_out, itl_area, not_an_opportunity, notice_page
from spiders.sites.tenders import api_time, retry_after, windows
from tests.tender_api import fixture_releases

CF = {r["tender"]["title"]: r for r in fixture_releases("contracts-finder")}
FTS = {r["tender"]["title"]: r for r in fixture_releases("find-a-tender")}
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("header", "seconds"), [
    ("120", 120), (b"0", 0), ("Wed, 02 Dec 2026 12:05:00 GMT", 300), ("Wed, 02 Dec 2026 11:00:00 GMT", 0),
    (None, 42), ("soon", 42), ("", 42),
])
def test_retry_after_reads_seconds_or_an_http_date(header, seconds) -> None:
    assert retry_after(header, 42, now=NOW) == seconds


def test_windows_cover_the_span_without_gaps_across_the_clock_change() -> None:
    start, end = datetime(2026, 10, 20, 6), datetime(2026, 11, 5, 6)  # British Summer Time ends 25 October
    spans = windows(start, end, 7)
    assert [(api_time(a), api_time(b)) for a, b in spans] == [
        ("2026-10-20T06:00:00", "2026-10-27T06:00:00"), ("2026-10-27T06:00:00", "2026-11-03T06:00:00"),
        ("2026-11-03T06:00:00", "2026-11-05T06:00:00")]


def test_itl_and_nuts_codes_become_the_trackers_areas() -> None:
    assert itl_area("UKH12") == itl_area("TLH12") == "Cambridgeshire County Council"
    assert itl_area("UKH11") == "Peterborough"
    assert itl_area("UKG31") == itl_area("TLG") == "West Midlands"  # finer codes fall back to the region
    assert itl_area("East of England") is None


def test_only_open_and_planned_procurements_are_opportunities() -> None:
    assert not_an_opportunity(FTS["Youth Diversion and Mentoring Service"]) is None
    assert not_an_opportunity(FTS["Domestic Abuse Support Services (planned procurement)"]) is None
    assert not_an_opportunity(FTS["Victim Services Hub - contract award"]) == "award/contract notice, not a call"
    assert not_an_opportunity(FTS["Street Lighting Maintenance"]) == "cancelled procurement, not a call"
    assert not_an_opportunity(CF["Pan London Sexual Violence Support Service"]) is None  # an amended tender


def test_region_filters_nest_codes_and_areas() -> None:
    restorative = FTS["Restorative Justice Service"]  # delivered in UKH1 (East Anglia)
    youth = FTS["Youth Diversion and Mentoring Service"]  # UKH12
    assert filtered_out(youth, {"regions": ["UKH"]}) is None
    assert filtered_out(youth, {"regions": ["Peterborough"]}) is not None  # the county council area, not the city
    assert filtered_out(restorative, {"regions": ["UKH12"]}) is not None  # a wider code is not inside a finer one
    assert filtered_out(restorative, {"regions": ["East of England"]}) is None
    assert filtered_out(youth, {"regions": ["UKG"]}) == "outside the regions (UKH12)"
    england = CF["AT1299 - Provision for Children looked after"]  # for all of England
    assert filtered_out(england, {"regions": ["Peterborough"]}) is None


def test_keyword_cpv_and_suitability_filters() -> None:
    youth = FTS["Youth Diversion and Mentoring Service"]
    assert filtered_out(youth, {"keywords": ["mentoring", "cctv"]}) is None
    assert filtered_out(youth, {"keywords": ["cctv"]}) == "matches none of the keywords"
    assert filtered_out(youth, {"cpv": ["8531"]}) is None
    assert filtered_out(youth, {"cpv": ["45"]}) == "no CPV code in the filter"
    cctv = FTS["CCTV Monitoring Upgrade"]
    assert filtered_out(cctv, {"sme": True}) is None
    assert filtered_out(cctv, {"vcse": True}) == "not marked suitable for VCSEs"


def test_notice_pages_are_on_the_real_sites() -> None:
    assert notice_page("find-a-tender", FTS["CCTV Monitoring Upgrade"]) == \
        "https://www.find-tender.service.gov.uk/Notice/104955-2026"
    assert notice_page("contracts-finder", CF["Domestic Abuse Support Services - Adults"]) == \
        "https://www.contractsfinder.service.gov.uk/Notice/45ad1b11-f706-4d1e-b4c6-342a253acc6e"
    # a planning notice without a notice document: its page from the release id
    assert notice_page("contracts-finder", CF["Lancashire Victim Services - Domestic Abuse"]) == \
        "https://www.contractsfinder.service.gov.uk/Notice/59b57e42-dcd2-49f9-9485-57da53b562eb"
    hostile = {**CF["Domestic Abuse Support Services - Adults"], "id": "x"}
    hostile["tender"] = {**hostile["tender"], "documents": [{"url": "javascript:alert(1)//Notice/"},
                                                           {"url": "https://evil.example/Notice/1"}]}
    assert notice_page("contracts-finder", hostile) == \
        "https://www.contractsfinder.service.gov.uk/Notice/" + hostile["ocid"].removeprefix("ocds-b5fd17-")
