"""What a user sees when something is wrong: a clear error naming what and where, exit
code 2, and nothing changed."""

import json

import pytest


def test_bad_config_names_file_key_and_line(run_tracker, tmp_path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[crawl]\ncontact = "x@y.z"\nconcurrency_per_domain = "lots"\n')
    done = run_tracker("sources", "list", "--config", str(cfg), check=False)
    assert done.returncode == 2
    assert str(cfg) in done.stderr and "crawl.concurrency_per_domain" in done.stderr and "line 3" in done.stderr


def test_bad_source_in_config_is_refused_with_its_name(run_tracker, tmp_path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[sources]]\nname = "Metadata"\nkind = "html"\nurl = "http://169.254.169.254/latest/"\n')
    done = run_tracker("crawl", "--config", str(cfg), check=False)
    assert done.returncode == 2
    assert "Metadata" in done.stderr and "169.254.169.254" in done.stderr


def test_unknown_source_lists_the_known_ones(run_tracker) -> None:
    run_tracker("sources", "add", "--name", "PCC", "--kind", "html", "--url", "https://pcc.example/grants")
    done = run_tracker("crawl", "--source", "Nope", check=False)
    assert done.returncode == 2
    assert "no source named 'Nope'" in done.stderr and "PCC" in done.stderr
    for cmd in (("sources", "show", "Nope"), ("sources", "disable", "Nope"), ("sources", "test", "Nope")):
        assert run_tracker(*cmd, check=False).returncode == 2


@pytest.mark.parametrize("url, why", [
    ("file:///etc/passwd", "only http and https"),
    ("http://127.0.0.1:8000/", "loopback"),
    ("http://[::ffff:10.0.0.1]/", "private"),
    ("http://100.64.1.1/", "private"),
])
def test_sources_add_refuses_unsafe_urls(run_tracker, url, why) -> None:
    done = run_tracker("sources", "add", "--name", "x", "--kind", "html", "--url", url, check=False)
    assert done.returncode == 2 and why in done.stderr
    listed = json.loads(run_tracker("sources", "list", "--format", "json").stdout)
    assert listed == []


def test_sources_add_checks_kind_name_and_schedule(run_tracker) -> None:
    ok = ("--name", "PCC", "--kind", "html", "--url", "https://pcc.example/")
    run_tracker("sources", "add", *ok)
    assert "already exists" in run_tracker("sources", "add", *ok, check=False).stderr
    bad_kind = run_tracker("sources", "add", "--name", "B", "--kind", "pdf", "--url", "https://b.example/", check=False)
    assert bad_kind.returncode == 2 and "kind must be one of" in bad_kind.stderr
    bad_cron = run_tracker("sources", "add", "--name", "C", "--kind", "rss", "--url", "https://c.example/feed",
                           "--schedule", "every day", check=False)
    assert bad_cron.returncode == 2 and "cron" in bad_cron.stderr


def test_malformed_needs_file_imports_nothing(run_tracker, tmp_path) -> None:
    needs = tmp_path / "needs.json"
    needs.write_text(json.dumps([
        {"id": "N1", "title": "Good", "area": "Peterborough", "themes": ["youth"]},
        {"id": "N2", "title": "Bad area", "area": "Gotham"},
    ]))
    done = run_tracker("needs", "import", str(needs), check=False)
    assert done.returncode == 2
    assert "row 2 (id N2): field 'area'" in done.stderr and "nothing imported" in done.stderr
    assert json.loads(run_tracker("needs", "list", "--format", "json").stdout) == []


def test_needs_add_edit_archive(run_tracker) -> None:
    run_tracker("needs", "add", "cctv", "--title", "Alley CCTV", "--theme", "situational_prevention",
                "--partner", "police", "--amount-min", "20000")
    bad = run_tracker("needs", "edit", "cctv", "--theme", "gardening", check=False)
    assert bad.returncode == 2 and "gardening" in bad.stderr
    run_tracker("needs", "edit", "cctv", "--amount-max", "300000")
    [need] = json.loads(run_tracker("needs", "list", "--format", "json").stdout)
    assert need["amount_min"] == 20000 and need["amount_max"] == 300000 and need["partners"] == ["police"]
    run_tracker("needs", "archive", "cctv")
    assert json.loads(run_tracker("needs", "list", "--format", "json").stdout) == []
