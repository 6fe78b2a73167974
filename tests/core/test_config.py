"""Config: defaults, environment overrides, and errors that name file, key and line."""

from pathlib import Path

import pytest

from tracker.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_example_config_is_valid_and_lists_real_sources() -> None:
    settings = load_settings(ROOT / "config.example.toml")
    urls = {s.url for s in settings.sources}
    assert any("cambridgeshire-pcc.gov.uk" in u for u in urls)
    assert any("find-government-grants.service.gov.uk" in u for u in urls)
    assert any("tnlcommunityfund.org.uk" in u for u in urls)
    assert any("ukri.org" in u for u in urls)
    assert any("cambscf.org.uk" in u for u in urls)
    assert settings.smtp.port == 587


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.db_url.startswith("sqlite:///") and settings.db_url.endswith("data/tracker.db")
    assert settings.crawl.obey_robots is True


def test_environment_overrides_home_and_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("TRACKER_DATABASE_URL", "sqlite:///x.db")
    settings = load_settings()
    assert settings.data_dir == tmp_path / "h"
    assert settings.db_url == "sqlite:///x.db"


def test_smtp_password_only_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[smtp]\nhost = "mail"\npassword = "secret"\n')
    with pytest.raises(ConfigError, match="smtp.password"):
        load_settings(cfg)
    monkeypatch.setenv("TRACKER_SMTP_PASSWORD", "s3cret")
    cfg.write_text('[smtp]\nhost = "mail"\n')
    assert load_settings(cfg).smtp.password == "s3cret"


def test_wrong_type_names_file_key_and_line(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[crawl]\ncontact = "x@y.z"\ndownload_delay = "soon"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    message = str(err.value)
    assert str(cfg) in message and "crawl.download_delay" in message and "line 3" in message
    assert "'soon'" in message


def test_bad_enum_and_unknown_key(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[smtp]\nsecurity = "tls"\n[digest]\ntime = "8am"\nfrequency = "weekly"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    message = str(err.value)
    assert "smtp.security" in message and "'starttls', 'ssl' or 'none'" in message
    assert "digest.time" in message and "HH:MM" in message
    assert "digest.frequency" in message


def test_invalid_toml_reports_line(tmp_path: Path) -> None:
    cfg = tmp_path / "broken.toml"
    cfg.write_text('[crawl]\ncontact = "unterminated\n')
    with pytest.raises(ConfigError, match=r"broken.toml: not valid TOML.*line 2"):
        load_settings(cfg)


def test_missing_file_and_duplicate_sources(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")
    cfg = tmp_path / "dup.toml"
    cfg.write_text('[[sources]]\nname="a"\nkind="html"\nurl="https://a.example/"\n'
                   '[[sources]]\nname="a"\nkind="rss"\nurl="https://b.example/"\n')
    with pytest.raises(ConfigError, match="repeated: a"):
        load_settings(cfg)


def test_source_kind_must_be_known(tmp_path: Path) -> None:
    cfg = tmp_path / "kind.toml"
    cfg.write_text('[[sources]]\nname="a"\nkind="pdf"\nurl="https://a.example/"\n')
    with pytest.raises(ConfigError, match=r"sources\.0\.kind"):
        load_settings(cfg)


def test_pinned_hosts_must_be_addresses(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[crawl]\nhosts = { "grants.example" = ["203.0.113.7", "grants.cdn.example"] }\n')
    with pytest.raises(ConfigError, match=r"crawl\.hosts.*grants\.example: 'grants\.cdn\.example' is not an IP"):
        load_settings(cfg)
    cfg.write_text('[crawl]\nhosts = { "grants.example" = ["203.0.113.7"] }\n')
    assert load_settings(cfg).crawl.hosts == {"grants.example": ["203.0.113.7"]}


def test_example_config_tender_sources_have_valid_filters() -> None:
    from tracker.sources import TENDER_APIS, check_filters, default_url

    settings = load_settings(ROOT / "config.example.toml")
    tenders = [s for s in settings.sources if s.kind in TENDER_APIS]
    assert {s.kind for s in tenders} == set(TENDER_APIS)
    checked = {s.kind: check_filters(s.name, dict(s.filters)) for s in tenders}
    assert checked["contracts-finder"]["regions"] == ["UKH"] and checked["find-a-tender"]["cpv"][0] == "85"
    assert default_url("contracts-finder", "") == "https://www.contractsfinder.service.gov.uk"
