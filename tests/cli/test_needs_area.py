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
