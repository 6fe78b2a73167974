"""`tracker funders import / show / list` as a user runs them, on SQLite and PostgreSQL; the
figures are checked against values computed here from the JSON files themselves."""

from __future__ import annotations

import json
import os
import pty
import statistics
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from tests.grants.conftest import FILES, TRACKER, grants_of


def pounds(value) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def expected(grants: list[dict]) -> dict:
    amounts = sorted(pounds(g["amountAwarded"]) for g in grants)
    median = Decimal(str(statistics.median(amounts))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    latest = max(grants, key=lambda g: (g["awardDate"][:10], g["id"]))
    return {"grants": len(grants), "total": sum(amounts), "median": int(median), "min": amounts[0],
            "max": amounts[-1],
            "latest_award": {"date": latest["awardDate"][:10], "amount": pounds(latest["amountAwarded"]),
                             "recipient_name": latest["recipientOrganization"][0]["name"],
                             "title": latest["title"], "grant_id": latest["id"]}}


def test_import_show_and_list(tracker) -> None:
    for path in FILES.values():
        done = tracker("funders", "import", path)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""  # no progress bar when stderr is not a terminal
    assert done.stdout.strip().startswith("Imported 870 grants (870 new, 0 updated) from 1 funder in ")
    assert done.stdout.strip().endswith(" s; 0 bad rows")
    again = tracker("funders", "import", FILES["lloyds-bank-foundation"])
    assert "Imported 4,116 grants (0 new, 0 updated, 4,116 unchanged) from 1 funder" in again.stdout

    shown = tracker("funders", "show", "Lloyds Bank Foundation for England & Wales", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    lloyds = grants_of("lloyds-bank-foundation")
    assert list(data) == ["funder", "org_id", "grants", "total", "median", "min", "max", "latest_award",
                          "recipient_types"]
    assert data["funder"] == "Lloyds Bank Foundation for England and Wales"
    assert data["org_id"] == "GB-CHC-327114"
    assert {k: data[k] for k in expected(lloyds)} == expected(lloyds)
    assert sum(data["recipient_types"].values()) == 4116

    # Power to Change in Leeds: by the recipient district each grant was published with
    ptc = grants_of("power-to-change")
    leeds = [g for g in ptc if g.get("recipientDistrictGeoCode") == "E08000035"]
    shown = tracker("funders", "show", "GB-CHC-1159982", "--area", "Leeds City Council", "--format", "json")
    data = json.loads(shown.stdout)
    assert data["area"] == "Leeds"
    assert {k: data[k] for k in expected(leeds)} == expected(leeds)
    since = [g for g in leeds if g["awardDate"][:10] >= "2017-01-01"]
    data = json.loads(tracker("funders", "show", "power to change trust", "--area", "Leeds", "--since",
                              "2017-01-01", "--format", "json").stdout)
    assert {k: data[k] for k in expected(since)} == expected(since)

    text = tracker("funders", "show", "GB-CHC-1159982", "--area", "Leeds").stdout
    assert "Power to Change Trust (GB-CHC-1159982)" in text
    assert f"Grants in Leeds: {len(leeds)}" in text
    assert f"Median: £{expected(leeds)['median']:,}" in text
    assert "Data: published by Power to Change Trust to the 360Giving Data Standard" in text

    listed = json.loads(tracker("funders", "list", "--format", "json").stdout)
    assert listed[0] == {"org_id": "GB-CHC-327114", "name": "Lloyds Bank Foundation for England and Wales",
                         "grants": 4116}
    assert len(listed) == len({g["fundingOrganization"][0]["id"] for name in FILES for g in grants_of(name)})
    assert "GB-CHC-1159982" in tracker("funders", "list").stdout


def test_unknown_and_ambiguous_funders_and_places(tracker, tmp_path: Path) -> None:
    grants = grants_of("community-foundations")[:3]
    twin = json.loads(json.dumps(grants[0]))
    twin["id"] += "-twin"
    twin["fundingOrganization"] = [{"id": "GB-CHC-1", "name": "The A B Charitable Trust"}]
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"grants": [*grants, twin]}))
    assert tracker("funders", "import", path).returncode == 0

    done = tracker("funders", "show", "A B Charitable Trust")
    assert done.returncode == 2
    assert done.stderr.strip() == ("error: 'A B Charitable Trust' names 2 funders: The A B Charitable Trust "
                                   "(GB-CHC-1), A B Charitable Trust (GB-CHC-1000147); give the org id")
    assert json.loads(tracker("funders", "show", "GB-CHC-1", "--format", "json").stdout)["grants"] == 1
    done = tracker("funders", "show", "Charitable")
    assert done.returncode == 2 and "no imported funder 'Charitable'; did you mean" in done.stderr
    done = tracker("funders", "show", "GB-CHC-1", "--area", "Peterborugh")
    assert done.returncode == 2 and "unknown place 'Peterborugh' (did you mean Peterborough" in done.stderr
    done = tracker("funders", "show", "GB-CHC-1", "--since", "last year")
    assert done.returncode == 2 and "--since 'last year' is not a date" in done.stderr


def test_bad_rows_on_the_command_line(tracker, tmp_path: Path) -> None:
    grants = grants_of("lloyds-bank-foundation")[:50]
    for i in range(0, 50, 2):
        grants[i]["amountAwarded"] = "n/a"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"grants": grants}))
    done = tracker("funders", "import", path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[0] == f"{path}: row 1 ({grants[0]['id']}): field amountAwarded: 'n/a' is not a number"
    assert len(lines) == 22  # 20 listed, the rest counted, then the verdict
    assert lines[20] == "... and 5 more bad rows"
    assert lines[21] == f"error: {path}: 25 bad rows; nothing imported (--skip-bad imports the 25 good ones)"
    assert json.loads(tracker("funders", "list", "--format", "json").stdout) == []

    done = tracker("funders", "import", path, "--skip-bad")
    assert done.returncode == 0
    assert "Imported 25 grants (25 new, 0 updated) from 1 funder in" in done.stdout
    assert done.stdout.strip().endswith("; 25 bad rows skipped")
    assert json.loads(tracker("funders", "list", "--format", "json").stdout)[0]["grants"] == 25


def test_not_a_360giving_file(tracker, tmp_path: Path) -> None:
    page = tmp_path / "grants.json"
    page.write_text("<html><body>Search GrantNav</body></html>")
    done = tracker("funders", "import", page)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: {page}: an HTML or XML page, not 360Giving data (JSON, CSV or XLSX); "
                                   "nothing imported")
    done = tracker("funders", "import", tmp_path / "missing.json")
    assert done.returncode == 2 and "missing.json: no such file" in done.stderr


def test_progress_bar_on_a_terminal(tracker) -> None:
    """With stderr on a terminal the import draws a progress bar of bytes read there; the
    summary still goes to stdout."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([TRACKER, "funders", "import", str(FILES["lloyds-bank-foundation"])], env=tracker.env,
                            cwd=tracker.cwd, stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the child
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0
    assert out.startswith("Imported 4,116 grants (4,116 new, 0 updated)")
    text = drawn.decode("utf-8", "replace")
    assert "lloyds-bank-foundation-grants.json" in text
    assert "3.6 MB" in text  # bytes read of the whole file
