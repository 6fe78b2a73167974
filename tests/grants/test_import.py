"""Importing the real 360Giving files, on SQLite and PostgreSQL: every grant lands once,
re-importing changes nothing, a corrected grant is updated, and CSV / XLSX made from the same
grants give the same rows."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tests.grants.conftest import FILES, grants_of
from tracker.grants.importer import import_file
from tracker.grants.rows import COLUMNS
from tracker.grants.sources import NotGrantsFile
from tracker.models import FundingOrg, GrantRecord


def pounds(value) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def stored(engine) -> dict[str, dict]:
    with Session(engine) as s:
        return {g.id: {c: getattr(g, c) for c in COLUMNS} for g in s.exec(select(GrantRecord)).scalars()}


def test_the_three_real_files(engine) -> None:
    results = {name: import_file(engine, path) for name, path in FILES.items()}
    for name, r in results.items():
        grants = grants_of(name)
        assert (r.imported, r.grants, r.new, r.updated, r.bad_total) == (True, len(grants), len(grants), 0, 0), name
    assert sum(r.grants for r in results.values()) == 5140
    # where a district came from: the published/GrantNav code or GrantNav's postcode lookup
    assert results["power-to-change"].with_district == 834
    assert results["community-foundations"].with_district == 152
    assert results["lloyds-bank-foundation"].with_district == 0  # postcodes only; no postcode data here
    rows = stored(engine)
    assert len(rows) == 5140
    with Session(engine) as s:
        orgs = {o.id: o for o in s.exec(select(FundingOrg)).scalars()}
    expected = Counter(g["fundingOrganization"][0]["id"] for name in FILES for g in grants_of(name))
    assert {k: o.grants for k, o in orgs.items()} == dict(expected)
    lloyds = orgs["GB-CHC-327114"]
    assert (lloyds.name, lloyds.name_key, lloyds.charity_number) == (
        "Lloyds Bank Foundation for England and Wales", "lloyds bank foundation for england and wales", "327114")
    assert orgs["GB-COH-04530979"].company_number == "04530979"

    hyde = rows["360G-ptc-gr-01653"]  # Power to Change: 3239.34 awarded, Leeds, one LSOA beneficiary
    assert hyde["amount"] == 3239
    assert hyde["award_date"] == date(2015, 6, 1)
    assert (hyde["recipient_district_code"], hyde["recipient_district_name"]) == ("E08000035", "Leeds")
    assert hyde["recipient_ward_code"] == "E05001429"
    assert hyde["beneficiary_codes"] == ["E01011681"]
    assert hyde["recipient_postcode"] == "LS3 1HH"
    assert hyde["recipient_company_number"] == "IP28755R"
    assert hyde["recipient_type"] == "Industrial and provident society"
    assert hyde["publisher"] == "Power to Change Trust"
    assert hyde["data_source"].startswith("https://www.powertochange.org.uk/")
    # GrantNav's locationLookup: the recipient's postcode gives Derry City and Strabane, and
    # the beneficiary location's council joins the beneficiary codes
    access = rows["360G-ABCT-0065I000002yzGKQAY"]
    assert access["recipient_district_code"] == "N09000005"
    assert "N09000005" in access["beneficiary_codes"]
    assert access["recipient_type"] == "Registered Charity"  # GrantNav's organisationTypePrimary
    individual = rows["360G-DevonCF-A482904"]
    assert (individual["recipient_name"], individual["recipient_type"]) == ("Individual Recipient", "Individual")
    # a grant published with a merged council's code counts for the council there now
    old = [g for g in grants_of("power-to-change") if g.get("recipientDistrictGeoCode") == "E07000165"]
    assert old and rows[old[0]["id"]]["recipient_district_code"] == "E06000065"  # Harrogate -> North Yorkshire
    women = rows["360G-LBFEW-114001"]
    assert (women["amount"], women["recipient_postcode"], women["recipient_district_code"]) == (15000, "LE1 1AA", None)
    for name in FILES:
        for g in grants_of(name):
            assert rows[g["id"]]["amount"] == pounds(g["amountAwarded"])

    again = {name: import_file(engine, path) for name, path in FILES.items()}
    for name, r in again.items():
        assert (r.new, r.updated, r.unchanged) == (0, 0, len(grants_of(name))), name
    assert stored(engine) == rows
    with Session(engine) as s:
        assert {o.id: o.grants for o in s.exec(select(FundingOrg)).scalars()} == dict(expected)


def test_a_corrected_grant_is_updated_and_others_left_alone(engine, tmp_path: Path) -> None:
    grants = grants_of("lloyds-bank-foundation")[:40]
    path = tmp_path / "lloyds.json"
    path.write_text(json.dumps({"grants": grants}))
    import_file(engine, path)
    with Session(engine) as s:
        before = {g.id: g.imported_at for g in s.exec(select(GrantRecord)).scalars()}
    grants[3]["amountAwarded"] = 12345.5
    grants[5]["fundingOrganization"] = [{"id": "GB-CHC-999", "name": "Another Trust Ltd"}]
    path.write_text(json.dumps({"grants": grants}))
    r = import_file(engine, path)
    assert (r.new, r.updated, r.unchanged) == (0, 2, 38)
    with Session(engine) as s:
        assert s.get(GrantRecord, grants[3]["id"]).amount == 12346
        after = {g.id: g.imported_at for g in s.exec(select(GrantRecord)).scalars()}
        assert s.get(FundingOrg, "GB-CHC-327114").grants == 39  # the moved grant is recounted
        other = s.get(FundingOrg, "GB-CHC-999")
        assert (other.grants, other.name_key) == (1, "another trust")
    assert [k for k in before if before[k] != after[k]] == [grants[3]["id"], grants[5]["id"]]


GRANTNAV_HEADER = ["Identifier", "Title", "Description", "Currency", "Amount Applied For", "Amount Awarded",
                   "Award Date", "Recipient Org:Identifier", "Recipient Org:Name", "Recipient Org:Charity Number",
                   "Recipient Org:Company Number", "Recipient Org:Postal Code", "Funding Org:Identifier",
                   "Funding Org:Name", "Grant Programme:Title", "Beneficiary Location:0:Geographic Code",
                   "Beneficiary Location:0:Geographic Code Type", "From An Open Call?",
                   "The following fields are not in the 360 Giving Standard and are added by GrantNav.",
                   "Data Source", "Best Available Recipient District",
                   "Best Available Recipient District Geographic Code", "Best Available Recipient Ward Geographic Code",
                   "Recipient Org: Org Type"]


def grantnav_row(g: dict) -> list:
    r = g["recipientOrganization"][0]
    return [g["id"], g["title"], g["description"], g["currency"], g.get("amountAppliedFor", ""), g["amountAwarded"],
            g["awardDate"][:10], r["id"], r["name"], r.get("charityNumber", ""), r.get("companyNumber", ""),
            r.get("postalCode", ""), g["fundingOrganization"][0]["id"], g["fundingOrganization"][0]["name"],
            g["grantProgramme"][0]["title"], g["beneficiaryLocation"][0].get("geoCode", ""),
            g["beneficiaryLocation"][0].get("geoCodeType", ""), g.get("fromOpenCall", ""), "",
            g.get("dataSource", ""), g.get("recipientDistrictName", ""), g.get("recipientDistrictGeoCode", ""),
            g.get("recipientWardNameGeoCode", ""), r.get("organisationType", "")]


def test_csv_and_xlsx_give_the_same_rows_as_json(engine, tmp_path: Path) -> None:
    grants = grants_of("power-to-change")
    import_file(engine, FILES["power-to-change"])
    from_json = stored(engine)

    csv_path = tmp_path / "grantnav-export.download"  # the name says nothing: content decides
    with csv_path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(GRANTNAV_HEADER)
        w.writerows(grantnav_row(g) for g in grants)
    r = import_file(engine, csv_path)
    assert (r.format, r.grants, r.new, r.updated, r.unchanged, r.bad_total) == ("csv", 870, 0, 0, 870, 0)

    # the 360Giving template's flattened names ("Recipient Org:0:Identifier"), numbers and dates as cells
    template = [h.replace("Recipient Org:", "Recipient Org:0:", 1).replace("Funding Org:", "Funding Org:0:", 1)
                if h.startswith(("Recipient Org:", "Funding Org:")) and ": " not in h else h for h in GRANTNAV_HEADER]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "grants"
    sheet.append(template)
    for g in grants:
        row = grantnav_row(g)
        row[6] = date.fromisoformat(row[6])
        sheet.append(row)
    xlsx_path = tmp_path / "grants.csv"  # misnamed on purpose
    book.save(xlsx_path)
    r = import_file(engine, xlsx_path)
    assert (r.format, r.grants, r.new, r.updated, r.unchanged, r.bad_total) == ("xlsx", 870, 0, 0, 870, 0)
    assert stored(engine) == from_json

    # and into an empty database, the CSV alone makes the same rows
    with engine.begin() as conn:
        conn.execute(GrantRecord.__table__.delete())
    assert import_file(engine, csv_path).new == 870
    assert stored(engine) == from_json


def test_json_with_a_byte_order_mark(engine, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + FILES["community-foundations"].read_bytes())
    assert import_file(engine, path).new == 154


def test_semicolon_csv_as_excel_saves_it_in_europe(engine, tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Identifier", "Title", "Currency", "Amount Awarded", "Award Date", "Funding Org:Identifier",
                    "Funding Org:Name", "Recipient Ind:Identifier"])
        w.writerow(["x1", "Tools, paint; brushes", "GBP", "1,500.50", "01/02/2020", "GB-CHC-1", "Test Trust", "360G-i"])
    r = import_file(engine, path)
    assert (r.format, r.new, r.bad_total) == ("csv", 1, 0)
    row = stored(engine)["x1"]
    assert (row["title"], row["amount"], row["award_date"]) == ("Tools, paint; brushes", 1501, date(2020, 2, 1))
    assert (row["recipient_org_id"], row["recipient_name"], row["recipient_type"]) == ("360G-i", "Individual",
                                                                                        "Individual")


def write_with_bad_rows(tmp_path: Path) -> tuple[Path, list[dict]]:
    grants = grants_of("lloyds-bank-foundation")[:30]
    grants[2]["amountAwarded"] = "abc"
    grants[7]["awardDate"] = "soon"
    del grants[11]["fundingOrganization"]
    grants[15]["currency"] = 826
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"grants": grants}))
    return path, grants


def test_bad_rows_without_skip_bad_import_nothing(engine, tmp_path: Path) -> None:
    import_file(engine, FILES["community-foundations"])
    path, grants = write_with_bad_rows(tmp_path)
    r = import_file(engine, path)
    assert not r.imported
    assert r.bad_total == 4
    assert r.bad == [
        f"{path}: row 3 ({grants[2]['id']}): field amountAwarded: 'abc' is not a number",
        f"{path}: row 8 ({grants[7]['id']}): field awardDate: 'soon' is not a date (YYYY-MM-DD)",
        f"{path}: row 12 ({grants[11]['id']}): field fundingOrganization.id: missing",
        f"{path}: row 16 ({grants[15]['id']}): field currency: '826' is not a currency code (GBP)",
    ]
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(GrantRecord)).one()[0] == 154
        assert s.get(FundingOrg, "GB-CHC-327114") is None

    r = import_file(engine, path, skip_bad=True)
    assert (r.imported, r.new, r.bad_total) == (True, 26, 4)
    with Session(engine) as s:
        assert s.get(FundingOrg, "GB-CHC-327114").grants == 26
        assert s.get(GrantRecord, grants[2]["id"]) is None


def test_a_bad_csv_row_names_its_column(engine, tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    rows = [grantnav_row(g) for g in grants_of("power-to-change")[:5]]
    rows[1][5] = "lots"
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows([GRANTNAV_HEADER, *rows])
    r = import_file(engine, path)
    assert r.bad == [f"{path}: row 3 ({rows[1][0]}): field Amount Awarded: 'lots' is not a number"]


@pytest.mark.parametrize("content, problem", [
    (b"", "the file is empty"),
    (b'{"name": "not grants", "items": [1, 2]}', 'JSON without a "grants" list'),
    (b'[{"id": "360G-x"}]', "JSON that is a list"),
    (b"<!doctype html><html><body>GrantNav</body></html>", "an HTML or XML page"),
    (b"name,email\nAnn,ann@example.org\n", "no Identifier, Amount Awarded, Funding Org:Identifier column"),
    (b'{"grants": [{"id": "a", "amountAwarded": 5, "fundingOrganization": [{"id": "X"}]}, ',
     "not valid JSON"),
    (b"PK\x03\x04not really a zip", "a zip file that is not an Excel workbook"),
])
def test_not_360giving_files_are_refused_and_change_nothing(engine, tmp_path: Path, content: bytes,
                                                           problem: str) -> None:
    import_file(engine, FILES["community-foundations"])
    before = stored(engine)
    path = tmp_path / "grants.json"
    path.write_bytes(content)
    with pytest.raises(NotGrantsFile, match=problem.replace("(", r"\(")):
        import_file(engine, path)
    assert stored(engine) == before


def test_a_file_broken_after_good_grants_changes_nothing(engine, tmp_path: Path) -> None:
    text = FILES["lloyds-bank-foundation"].read_text()
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) * 9 // 10])  # 3,700 good grants, then the file stops
    with pytest.raises(NotGrantsFile, match="not valid JSON"):
        import_file(engine, path)
    assert stored(engine) == {}


def test_batch_commits_check_the_whole_file_first(engine, tmp_path: Path) -> None:
    """The mode used for large files on SQLite: still nothing imported for a bad row or a file
    cut short, and the same rows as one transaction otherwise."""
    import_file(engine, FILES["community-foundations"], batch_commits=True)
    before = stored(engine)
    path, _grants = write_with_bad_rows(tmp_path)
    r = import_file(engine, path, batch_commits=True)
    assert (r.imported, r.bad_total, len(r.bad)) == (False, 4, 4)
    text = FILES["lloyds-bank-foundation"].read_text()
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) * 9 // 10])
    with pytest.raises(NotGrantsFile):
        import_file(engine, cut, batch_commits=True)
    assert stored(engine) == before
    r = import_file(engine, path, batch_commits=True, skip_bad=True)
    assert (r.imported, r.new, r.bad_total) == (True, 26, 4)
    r = import_file(engine, FILES["lloyds-bank-foundation"], batch_commits=True)
    assert (r.new, r.updated, r.unchanged) == (4116 - 26, 0, 26)
    with Session(engine) as s:
        assert s.get(FundingOrg, "GB-CHC-327114").grants == 4116


def test_batch_commits_leave_sqlite_open_to_other_writers(sqlite_engine, tmp_path: Path) -> None:
    """While a large file is read, another process (the crawler) can still write: a write with
    no busy wait at all succeeds between the batches."""
    import sqlite3

    db = sqlite_engine.url.database
    written: list[int] = []

    def other_writer(done: int) -> None:
        if len(written) < 3 and done > 2_000_000:  # in the writing pass, after some batches
            conn = sqlite3.connect(db, timeout=0, isolation_level=None)
            try:
                conn.execute("INSERT INTO fundingorg (id, name, name_key, grants) VALUES (?, 'x', 'x', 0)",
                             (f"other-{len(written)}",))
                written.append(done)
            finally:
                conn.close()

    r = import_file(sqlite_engine, FILES["lloyds-bank-foundation"], batch_commits=True, progress=other_writer)
    assert r.new == 4116
    assert len(written) == 3
