"""Files and settings people get wrong, through the real `tracker` command: one line of
error naming the file and the row, line or key, exit code 2, no traceback, and the
database as it was. And the files Excel really writes (Windows-1252, UTF-8 with a
byte-order mark, UTF-16 "Unicode Text") import with their "£" intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOOD = {"id": "N0", "title": "Existing need", "area": "Peterborough", "amount_min": 1000}
NARROW = {"COLUMNS": "80"}  # a long message must stay one line in a narrow terminal or a log


def _needs(run_tracker) -> list[dict]:  # noqa: ANN001
    return json.loads(run_tracker("needs", "list", "--all", "--format", "json").stdout)


def _one_line_error(done, *fragments: str) -> str:  # noqa: ANN001
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


BAD_NEEDS = {
    "binary": ("photo.json", bytes(range(256)) * 4, "is a binary file"),
    "workbook": ("needs.csv", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "Excel workbook"),
    "not text": ("needs.csv", b"id,title\nN1,Bad \x81 byte\n", "byte 0x81"),
    "deep JSON": ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "huge JSON number": ("big.json", '[{"id": "N1", "title": "x", "amount_min": ' + "9" * 5000 + "}]",
                         "not usable JSON"),
    "amount 10^30 in JSON": ("big.json", json.dumps([{"id": "N1", "title": "x", "amount_min": 10**30}]),
                             "row 1 (id N1): field 'amount_min'"),
    "amount 10^30 in CSV": ("big.csv", f"id,title,amount_max\nN1,x,{10**30}\n",
                            "row 1 (line 2, id N1): field 'amount_max'"),
    "NUL in a title": ("nul.json", json.dumps([{"id": "N1", "title": "a\u0000b"}]), "row 1 (id N1): field 'title'"),
    "unclosed quote": ("quote.csv", 'id,title\nN1,"Youth work\nN2,Street lights\n',
                       "line 2: a quoted value is never closed"),
    "short row": ("short.csv", "id,title,area\nN1,Youth work,Peterborough\nN2\n", "line 3: 1 value(s) for 3 column"),
    "long row": ("long.csv", "id,title\nN1,Youth work,Peterborough\n", "line 2: 1 value(s) to the right"),
    "unnamed column": ("cols.csv", "id,,title\nN1,x,Youth\n", "line 1: column 2 has no name"),
    "bad boolean": ("active.csv", "id,title,active\nN1,Youth,maybe\n", "row 1 (line 2, id N1): field 'active'"),
    "UTF-16 mark, odd bytes": ("odd.json", b"\xff\xfe[\x00{", "byte-order mark"),
}


@pytest.mark.parametrize("name", BAD_NEEDS)
def test_bad_needs_file_is_one_line_and_changes_nothing(run_tracker, tmp_path, name) -> None:
    run_tracker("needs", "import", str(_write(tmp_path / "good.json", json.dumps([GOOD]))))
    before = _needs(run_tracker)
    filename, content, fragment = BAD_NEEDS[name]
    path = _write(tmp_path / filename, content)
    done = run_tracker("needs", "import", str(path), check=False, extra_env=NARROW)
    _one_line_error(done, str(path), "nothing imported", fragment)
    assert _needs(run_tracker) == before


def test_a_folder_is_not_a_needs_file(run_tracker, tmp_path) -> None:
    (tmp_path / "needs.json").mkdir()
    _one_line_error(run_tracker("needs", "import", str(tmp_path / "needs.json"), check=False),
                    "needs.json", "is a folder")


def test_all_problems_of_a_file_are_listed_and_nothing_is_imported(run_tracker, tmp_path) -> None:
    path = _write(tmp_path / "mixed.csv", "id,title,area\nN1,Good,Peterborough\nN2\nN3,Bad area,Gotham\n")
    done = run_tracker("needs", "import", str(path), check=False)
    assert done.returncode == 2 and "line 3: 1 value(s) for 3 column(s)" in done.stderr
    assert _needs(run_tracker) == []


EXCEL = {
    # Excel "CSV" on a UK machine: Windows-1252, "£" is 0xA3
    "cp1252.csv": "id,title,description\r\nN1,Café safety,\"Up to £5,000\"\r\n".encode("cp1252"),
    # Excel "CSV UTF-8": a byte-order mark first; a quoted value over two lines
    "utf8bom.csv": b"\xef\xbb\xbf" + 'id,title,description\r\nN1,Café safety,"Up to £5,000\r\nper year"\r\n'.encode(),
    # Excel "Unicode Text": UTF-16 with a byte-order mark, tab-separated
    "unicode.csv": "id\ttitle\tdescription\r\nN1\tCafé safety\tUp to £5,000\r\n".encode("utf-16"),
    "utf16.json": json.dumps([{"id": "N1", "title": "Café safety", "description": "Up to £5,000"}]).encode("utf-16"),
    "utf32.json": json.dumps([{"id": "N1", "title": "Café safety", "description": "Up to £5,000"}]).encode("utf-32"),
}


@pytest.mark.parametrize("filename", EXCEL)
def test_files_as_excel_and_editors_save_them(run_tracker, tmp_path, filename) -> None:
    done = run_tracker("needs", "import", str(_write(tmp_path / filename, EXCEL[filename])))
    assert "1 new" in done.stdout
    [need] = _needs(run_tracker)
    assert need["title"] == "Café safety" and need["description"].startswith("Up to £5,000")


BAD_CONFIG = {
    "not UTF-8": (b"# caf\xe9\n[digest]\nsubject_prefix = \"\xa3 news\"\n", "not UTF-8 text: byte 0xe9 on line 1"),
    "timezone": (b'[digest]\ntimezone = "Mars/Olympus"\n', "key 'digest.timezone' (line 2)"),
    "javascript base_url": (b'[digest]\nbase_url = "javascript:alert(1)"\n', "key 'digest.base_url' (line 2)"),
    "file notify base_url": (b'[notify]\nbase_url = "file:///etc/passwd"\n', "key 'notify.base_url' (line 2)"),
    "data_dir is a file": (b'data_dir = "afile"\n', "key 'data_dir' (line 1)", "is a file, not a folder"),
    "data_dir under a file": (b'data_dir = "afile/data"\n', "key 'data_dir' (line 1)", "cannot make the folder"),
    "crawl schedule": (b'[schedule]\ncrawl = "every morning"\n', "key 'schedule.crawl' (line 2)"),
}


@pytest.mark.parametrize("name", BAD_CONFIG)
def test_bad_config_is_one_line_naming_file_and_key(run_tracker, tmp_path, name) -> None:
    content, *fragments = BAD_CONFIG[name]
    (tmp_path / "afile").write_text("not a folder")
    cfg = _write(tmp_path / "config.toml", content)
    # TRACKER_HOME empty: the config's data_dir counts
    done = run_tracker("sources", "list", "--config", str(cfg), check=False, extra_env={"TRACKER_HOME": "", **NARROW})
    _one_line_error(done, str(cfg), *fragments)


def test_a_bad_timezone_stops_the_scheduler_at_once(run_tracker, tmp_path) -> None:
    cfg = _write(tmp_path / "config.toml", '[digest]\ntimezone = "Europe/Londn"\n')
    _one_line_error(run_tracker("scheduler", "--config", str(cfg), check=False),
                    str(cfg), "digest.timezone", "Europe/Londn")


def test_config_path_and_home_that_are_not_what_they_should_be(run_tracker, tmp_path) -> None:
    _one_line_error(run_tracker("sources", "list", "--config", str(tmp_path), check=False),
                    str(tmp_path), "is a folder")
    home = _write(tmp_path / "home-file", "x")
    _one_line_error(run_tracker("sources", "list", check=False, extra_env={"TRACKER_HOME": str(home)}),
                    "TRACKER_HOME", str(home), "is a file")
