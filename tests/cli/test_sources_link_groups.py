"""`tracker sources test` lists the start page's groups of similar links; `tracker sources edit
NAME --link-group N` makes one of them the source's link pattern (loopback site, real CLI)."""

from pathlib import Path

import pytest

from tracker.demo.server import serve_site

FUND = """<!doctype html><html><head><title>Village Halls Fund</title></head><body>
<header><nav><a href="/">Home</a> <a href="/parish/contact.html">Contact</a></nav></header><main>
<h1>Village Halls Fund</h1><p>This fund supports repairs to village halls in Suffolk.</p>
<h2>How much</h2><p>Grants of between £500 and £5,000 are available.</p>
<h2>Who can apply</h2><p>Parish councils and registered charities may apply.</p>
<h2>Deadline</h2><p>The closing date is 5pm on 14 May 2027.</p></main></body></html>"""


def write_site(root: Path) -> None:
    (root / "parish" / "grants").mkdir(parents=True)
    (root / "parish" / "grants.html").write_text(
        "<!doctype html><html><head><title>Grants</title></head><body><header><nav><a href='/'>Home</a> "
        "<a href='/parish/contact.html'>Contact</a></nav></header><main><h1>Grants</h1>"
        "<p>We run one grant programme: the <a href='/parish/grants/village-halls.html'>Village Halls Fund</a>.</p>"
        "</main><footer><a href='/parish/privacy.html'>Privacy</a></footer></body></html>")
    (root / "parish" / "grants" / "village-halls.html").write_text(FUND)
    (root / "parish" / "village-halls.html").write_text(FUND)


@pytest.fixture
def site(tmp_path):
    write_site(tmp_path / "site")
    config = tmp_path / "config.toml"
    config.write_text('[crawl]\nallow_hosts = ["127.0.0.1"]\ndownload_delay = 0\n')
    with serve_site(tmp_path / "site") as server:
        yield server.url, str(config)


def _add(run_tracker, site, name: str, path: str) -> str:
    url, config = site
    run_tracker("sources", "add", "--name", name, "--kind", "html", "--url", url + path, "--config", config)
    return config


def test_pick_a_link_group_from_sources_test(run_tracker, site) -> None:
    config = _add(run_tracker, site, "parish", "/parish/grants.html")
    out = " ".join(run_tracker("sources", "test", "parish", "--config", config).stdout.split())
    assert "tracker sources edit parish --link-group N" in out
    assert '1. 1 link like /parish/grants/<name>.html in the text under "Grants"' in out
    assert "Contact" not in out and "privacy" not in out  # navigation and footer links are not offered
    picked = run_tracker("sources", "edit", "parish", "--link-group", "1", "--config", config).stdout
    assert "link pattern ^https?://[^/]+/parish/grants/" in picked
    after = run_tracker("sources", "test", "parish", "--config", config).stdout
    assert "1 call(s) would be stored" in after and "Village Halls Fund" in after
    shown = run_tracker("sources", "show", "parish", "--config", config).stdout
    assert "follows only links matching: ^https?://[^/]+/parish/grants/" in shown


def test_a_link_group_that_is_not_there_is_refused(run_tracker, site) -> None:
    config = _add(run_tracker, site, "parish", "/parish/grants.html")
    done = run_tracker("sources", "edit", "parish", "--link-group", "4", "--config", config, check=False)
    assert done.returncode == 2 and "no link group 4; the start page has 1" in " ".join(done.stderr.split())
    cleared = run_tracker("sources", "edit", "parish", "--link-pattern", "", "--config", config).stdout
    assert "(none: automatic)" in cleared


def test_a_start_page_read_as_the_one_call_says_so(run_tracker, site) -> None:
    config = _add(run_tracker, site, "one", "/parish/village-halls.html")
    out = " ".join(run_tracker("sources", "test", "one", "--config", config).stdout.split())
    assert "1 call(s) would be stored" in out
    assert 'check: only the start page itself was read as a call ("Village Halls Fund")' in out
