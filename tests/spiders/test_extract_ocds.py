import json

from spiders.extract.ocds import london_iso, release_call, releases, skip_reason
from tests.spiders.helpers import DEVSET

URL = "http://funders.test/cambs-opcc-procurement/ocds/release-package.json"


def package() -> dict:
    return json.loads((DEVSET / "cambs-opcc-procurement/ocds/release-package.json").read_text())


def calls() -> dict:
    return {r["ocid"][-2:]: release_call(r, URL) for r in releases(package())}


def test_release_package_calls_with_typed_values():
    by = calls()
    assert len(by) == 5
    tender = by["01"]
    assert tender.url == URL + "#ocds-b5fd17-6c1d2e9a-4b1f-4d0e-9a57-2f3c8e1b7a01"
    assert tender.title == "Youth Mentoring and Diversion Programme"
    assert tender.structured == {"deadline": "2027-06-18T12:00:00+01:00", "opens": "2026-11-16T10:00:00+00:00",
                                 "amount_min": 180000, "amount_max": 240000}
    assert "Peterborough" in tender.fields["Delivery locations"]


def test_grant_competition_value_is_the_pot_and_range_stays_in_text():
    grant = calls()["03"]
    assert grant.structured["total_pot"] == 150000
    assert "amount_max" not in grant.structured
    assert "between £5,000 and £25,000" in grant.text


def test_planning_is_upcoming_and_complete_is_closed():
    by = calls()
    assert by["04"].structured["status"] == "upcoming" and by["04"].structured["amount_max"] == 300000
    assert by["05"].structured["status"] == "closed"
    assert by["05"].structured["deadline"] == "2026-02-20T12:00:00+00:00"
    assert "status" not in by["01"].structured


def test_record_package_and_award_only_releases():
    rel = package()["releases"][0]
    award = {"ocid": "ocds-x-2", "date": "2026-01-01", "tag": ["award"], "tender": {"title": "Old"}}
    records = {"records": [{"ocid": rel["ocid"], "compiledRelease": rel},
                           {"ocid": "ocds-x-2", "compiledRelease": award}]}
    found = releases(records)
    assert [r["ocid"] for r in found] == [rel["ocid"], "ocds-x-2"]
    assert skip_reason(found[0]) is None
    assert "award" in skip_reason(found[1])
    assert skip_reason({"ocid": "y", "tag": ["planning"]}) == "no tender in release"


def test_latest_release_per_ocid_wins():
    a = {"ocid": "o", "date": "2026-01-01T00:00:00Z", "tender": {"title": "First"}}
    b = {"ocid": "o", "date": "2026-02-01T00:00:00Z", "tender": {"title": "Amended"}}
    assert [r["tender"]["title"] for r in releases({"releases": [b, a]})] == ["Amended"]


def test_london_iso():
    assert london_iso("2027-07-30T22:59:00.000Z") == "2027-07-30T23:59:00+01:00"
    assert london_iso("2027-01-31") == "2027-01-31"
    assert london_iso("soon") is None


def test_compiled_release_takes_the_stage_of_the_records_latest_release():
    tender = {"title": "IDVA service", "status": "complete", "value": {"amount": 600000}}
    record = {"ocid": "ocds-x-1",
              "releases": [{"ocid": "ocds-x-1", "date": "2026-05-01", "tag": ["tender"], "tender": tender},
                           {"url": "https://example.org/r2.json", "date": "2026-09-01", "tag": ["award"]}],
              "compiledRelease": {"ocid": "ocds-x-1", "tag": ["compiled"], "tender": tender, "awards": [{"id": "a"}]}}
    (rel,) = releases({"records": [record]})
    assert skip_reason(rel) == "award/contract notice, not a call"
    record["releases"] = record["releases"][:1]
    (rel,) = releases({"records": [record]})
    assert skip_reason(rel) is None and rel["tag"] == ["tender"]
