"""funder_stats and area_codes on hand-made grants, on SQLite and PostgreSQL."""

from __future__ import annotations

import statistics
from datetime import date

import pytest
from sqlmodel import Session

from tracker.grants.stats import FunderStats, UnknownPlace, area_codes, funder_stats
from tracker.models import GrantRecord

PETERBOROUGH = "E06000031"
CAMBRIDGE = "E07000008"
LEEDS = "E08000035"
CORBY_OLD = "E07000150"  # merged into North Northamptonshire (E06000061) in 2021


def grant(gid: str, amount: int | None, awarded: date | None, *, funder: str = "GB-CHC-1", district: str | None = None,
          beneficiaries: list[str] | None = None, rtype: str | None = None, currency: str = "GBP") -> GrantRecord:
    return GrantRecord(id=gid, title=f"Grant {gid}", amount=amount, currency=currency, award_date=awarded,
                       funder_org_id=funder,
                       funder_name="Funder", recipient_name=f"Recipient {gid}", recipient_type=rtype,
                       recipient_district_code=district, beneficiary_codes=beneficiaries or [], publisher="Funder")


@pytest.fixture
def session(engine):
    with Session(engine) as s:
        s.add_all([
            grant("g1", 1000, date(2021, 3, 1), district=PETERBOROUGH, rtype="Registered Charity"),
            grant("g2", 5000, date(2022, 6, 1), district=PETERBOROUGH, rtype="Registered Charity"),
            grant("g3", 8000, date(2023, 1, 9), district=LEEDS, beneficiaries=["E01011681", PETERBOROUGH],
                  rtype="Company"),
            grant("g4", 2001, date(2023, 5, 2), district=LEEDS),
            grant("g5", None, date(2024, 2, 2), district=CAMBRIDGE),
            grant("g6", 40_000_000_000, None, district=CORBY_OLD, rtype="Local authority"),
            grant("other", 99, date(2025, 1, 1), funder="GB-CHC-2", district=PETERBOROUGH),
            grant("dollars", 1_000_000, date(2020, 1, 1), funder="GB-CHC-2", district=PETERBOROUGH, currency="USD"),
        ])
        s.commit()
        yield s


def test_national_figures(session) -> None:
    stats = funder_stats(session, ["GB-CHC-1"])
    amounts = [1000, 5000, 8000, 2001, 40_000_000_000]
    assert stats.grants == 6  # a grant without an amount is counted, but not in the amounts
    assert stats.total == sum(amounts)
    assert stats.median == statistics.median(amounts) == 5000
    assert (stats.min, stats.max) == (1000, 40_000_000_000)
    assert stats.latest_award == {"date": date(2024, 2, 2), "amount": None, "recipient_name": "Recipient g5",
                                  "title": "Grant g5", "grant_id": "g5"}
    assert stats.recipient_types == {"Not stated": 2, "Registered Charity": 2, "Company": 1, "Local authority": 1}


def test_area_counts_recipient_district_or_beneficiary_code(session) -> None:
    stats = funder_stats(session, ["GB-CHC-1"], district_codes=[PETERBOROUGH])
    assert stats.grants == 3  # g1, g2 by recipient district; g3 by beneficiary location
    assert stats.total == 14000
    assert stats.median == 5000
    assert stats.latest_award["grant_id"] == "g3"


def test_even_count_median_rounds_half_up(session) -> None:
    stats = funder_stats(session, ["GB-CHC-1"], district_codes=[LEEDS])
    assert stats.grants == 2
    assert stats.median == 5001  # (2001 + 8000) / 2 = 5000.5


def test_since_leaves_out_older_and_undated_grants(session) -> None:
    stats = funder_stats(session, ["GB-CHC-1"], since=date(2022, 6, 1))
    assert stats.grants == 4
    assert stats.total == 15001
    stats = funder_stats(session, ["GB-CHC-1"], district_codes=[PETERBOROUGH], since=date(2022, 1, 1))
    assert (stats.grants, stats.total) == (2, 13000)


def test_a_merged_councils_old_code_counts_for_its_successor(session) -> None:
    codes = area_codes("North Northamptonshire")
    assert codes == {"E06000061"}
    stats = funder_stats(session, ["GB-CHC-1"], district_codes=codes)
    assert (stats.grants, stats.total) == (1, 40_000_000_000)


def test_no_grants_gives_empty_figures(session) -> None:
    assert funder_stats(session, ["GB-CHC-1"], district_codes=["W06000015"]) == FunderStats()
    assert funder_stats(session, ["GB-CHC-404"]) == FunderStats()
    assert funder_stats(session, []) == FunderStats()
    assert funder_stats(session, ["GB-CHC-1"], district_codes=[]) == FunderStats()


def test_several_org_ids_of_one_funder_add_up(session) -> None:
    stats = funder_stats(session, ["GB-CHC-1", "GB-CHC-2"], district_codes=[PETERBOROUGH])
    assert stats.grants == 5
    assert stats.latest_award["grant_id"] == "other"


def test_amounts_in_another_currency_are_not_added_to_pounds(session) -> None:
    stats = funder_stats(session, ["GB-CHC-2"])
    assert stats.grants == 2
    assert (stats.total, stats.median, stats.min, stats.max) == (99, 99, 99, 99)


def test_as_json_writes_the_date() -> None:
    stats = FunderStats(grants=1, total=5, median=5, min=5, max=5,
                        latest_award={"date": date(2024, 2, 2), "amount": 5, "recipient_name": "R",
                                      "title": "T", "grant_id": "g"})
    assert stats.as_json()["latest_award"]["date"] == "2024-02-02"


def test_area_codes_resolve_councils_counties_regions() -> None:
    assert area_codes("Peterborough") == {PETERBOROUGH}
    assert area_codes("Peterborough City Council") == {PETERBOROUGH}
    assert area_codes(PETERBOROUGH) == {PETERBOROUGH}
    cambs = area_codes("Cambridgeshire")  # the ceremonial county: its five districts and Peterborough
    assert PETERBOROUGH in cambs and CAMBRIDGE in cambs and len(cambs) == 6
    county_council = area_codes("Cambridgeshire County Council")
    assert CAMBRIDGE in county_council and PETERBOROUGH not in county_council
    assert area_codes("Cambridgeshire Constabulary") == cambs
    east = area_codes("East of England")
    assert cambs < east and LEEDS not in east
    wales = area_codes("Wales")
    assert len(wales) == 22 and all(c.startswith("W06") for c in wales)


def test_unknown_place_is_refused_with_suggestions() -> None:
    with pytest.raises(UnknownPlace) as err:
        area_codes("Peterborugh")
    assert "Peterborough" in err.value.suggestions
    assert "Peterborugh" in str(err.value)
