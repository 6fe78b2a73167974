"""Errors and listings print user text literally, wrong choices list the valid ones, unknown
need ids are errors, and `tracker vocab` shows the keys a need may use."""

import json

import pytest


def test_errors_print_brackets_literally(run_tracker) -> None:
    done = run_tracker("sources", "show", "[bold]Nope[/bold] [closed]", check=False)
    assert done.returncode == 2
    assert "no source named '[bold]Nope[/bold] [closed]'" in done.stderr
    done = run_tracker("needs", "edit", "[red]x[/]", "--title", "t", check=False)
    assert done.returncode == 2 and "'[red]x[/]'" in done.stderr


def test_listings_show_names_with_brackets(run_tracker) -> None:
    run_tracker("sources", "add", "--name", "PCC [closed] fund", "--kind", "html", "--url", "https://pcc.example/")
    assert "PCC [closed] fund" in run_tracker("sources", "list").stdout
    assert "PCC [closed] fund" in run_tracker("sources", "show", "PCC [closed] fund").stdout


@pytest.mark.parametrize("command", [("needs", "list"), ("sources", "list"), ("matches", "list"),
                                     ("users", "list"), ("opportunities", "export")])
def test_unknown_format_lists_the_choices(run_tracker, command) -> None:
    done = run_tracker(*command, "--format", "xml", check=False)
    assert done.returncode == 2
    assert "'xml'" in done.stderr
    choices = ("'json'", "'csv'") if command[0] == "opportunities" else ("'table'", "'json'")
    assert all(c in done.stderr for c in choices), done.stderr


def test_unknown_need_id_is_an_error_naming_the_known_ones(run_tracker) -> None:
    run_tracker("needs", "add", "cctv", "--title", "Alley CCTV")
    for command in (("matches", "list", "--need", "N9"), ("needs", "edit", "N9", "--title", "t"),
                    ("needs", "archive", "N9")):
        done = run_tracker(*command, check=False)
        assert done.returncode == 2, command
        assert "no need with id 'N9'" in done.stderr and "cctv" in done.stderr, done.stderr
    assert json.loads(run_tracker("matches", "list", "--need", "cctv", "--format", "json").stdout) == []


def test_vocab_lists_and_searches(run_tracker) -> None:
    themes = run_tracker("vocab", "themes").stdout
    assert "youth" in themes and "serious_violence" in themes
    youth = run_tracker("vocab", "themes", "YOUNG").stdout
    assert "youth" in youth and "serious_violence" not in youth
    assert "local_authority" in run_tracker("vocab", "org-types", "local").stdout
    areas = run_tracker("vocab", "areas", "peterborough").stdout
    assert "Peterborough" in areas and "Cambridgeshire" in areas
    missing = run_tracker("vocab", "areas", "Gotham", check=False)
    assert missing.returncode == 2 and "no areas matching 'Gotham'" in missing.stderr


def test_help_has_no_type_noise_on_switches(run_tracker) -> None:
    text = run_tracker("users", "add", "--help").stdout
    assert "--digest " in text and "<bool>" not in text and "default: False" not in text
    assert "admin|staff|viewer" in text
