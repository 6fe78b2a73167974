"""A source whose only call is its own start page says so in its health (it is right for a page
about one fund, wrong for a page listing several); and the crawl reports the start page's link
groups for the admin to pick from."""

from sqlmodel import Session, select

from jobs.crawl_runner import run_crawl
from tests.cli.test_sources_link_groups import write_site
from tracker.demo.server import serve_site
from tracker.models import Source


def test_only_the_start_page_as_a_call_is_noted_in_health(settings, engine, tmp_path) -> None:
    write_site(tmp_path / "site")
    with serve_site(tmp_path / "site") as server, Session(engine) as s:
        s.add(Source(name="one", kind="html", url=server.url + "/parish/village-halls.html"))
        s.add(Source(name="parish", kind="html", url=server.url + "/parish/grants.html"))
        s.commit()
        results = {r.name: r for r in run_crawl(settings, ["one", "parish"]).results}
    assert results["one"].calls == 1
    assert results["parish"].link_groups[0]["description"] == \
        '1 link like /parish/grants/<name>.html in the text under "Grants"'
    with Session(engine) as s:
        one = s.exec(select(Source).where(Source.name == "one")).one()
        assert one.healthy and one.last_calls == 1
        assert one.health_note.startswith('only the start page itself was read as a call ("Village Halls Fund")')
        assert "pick a group of its links" in one.health_note


def test_no_calls_in_health_says_what_to_try(settings, engine, tmp_path) -> None:
    team = tmp_path / "site" / "trust" / "team"
    team.mkdir(parents=True)
    (team.parent / "about.html").write_text(
        "<html><body><main><h1>About the trust</h1><ul>"
        + "".join(f'<li><a href="/trust/team/{n}.html">{n.title()}</a></li>' for n in ("ann", "bob"))
        + "</ul></main></body></html>")
    for name in ("ann", "bob"):
        (team / f"{name}.html").write_text(f"<html><body><main><h1>{name.title()}</h1><p>{name.title()} has "
                                           "been a trustee since 2019 and lives in Ipswich.</p></main></body></html>")
    with serve_site(tmp_path / "site") as server, Session(engine) as s:
        s.add(Source(name="about", kind="html", url=server.url + "/trust/about.html"))
        s.commit()
        (result,) = run_crawl(settings, ["about"]).results
    assert result.calls == 0
    with Session(engine) as s:
        source = s.exec(select(Source)).one()
        assert not source.healthy and source.health_note.startswith("no calls found: ")
        assert source.health_note.endswith("the start page has 1 group(s) of links: test the source to pick "
                                           "the one that leads to the funds")
