"""A need may be for any UK place; a misspelt one is refused with suggestions."""

import json


def test_needs_add_takes_any_place_in_the_uk(run_tracker) -> None:
    run_tracker("needs", "add", "N1", "--title", "Rural crime", "--area", "Fenland")
    run_tracker("needs", "add", "N2", "--title", "Knife crime", "--area", "the West Midlands")
    run_tracker("needs", "add", "N3", "--title", "Safer streets", "--area", "Thames Valley")
    listed = {n["id"]: n["area"] for n in json.loads(run_tracker("needs", "list", "--format", "json").stdout)}
    assert listed == {"N1": "Fenland", "N2": "West Midlands", "N3": "Thames Valley Police area"}


def test_misspelt_area_is_refused_with_suggestions(run_tracker) -> None:
    done = run_tracker("needs", "add", "N1", "--title", "Rural crime", "--area", "Fenlnd", check=False)
    assert done.returncode == 2
    assert "unknown area 'Fenlnd'" in done.stderr and "did you mean 'Fenland'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert json.loads(run_tracker("needs", "list", "--format", "json").stdout) == []


def test_export_adds_area_codes_on_request(run_tracker) -> None:
    run_tracker("demo")
    plain = json.loads(run_tracker("opportunities", "export", "--format", "json").stdout)
    assert all("area_codes" not in r for r in plain)  # the DESIGN.md contract, unchanged by default
    rows = json.loads(run_tracker("opportunities", "export", "--format", "json", "--area-codes").stdout)
    pairs = {(a, c) for r in rows for a, c in zip(r["areas"], r["area_codes"], strict=True)}
    assert ("Peterborough", "E06000031") in pairs and ("Cambridgeshire", "county:cambridgeshire") in pairs
    csv_text = run_tracker("opportunities", "export", "--format", "csv", "--area-codes").stdout
    assert csv_text.splitlines()[0].endswith(",area_codes")
