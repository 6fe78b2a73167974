"""`tracker demo`: the whole main job on the bundled demo funder web, offline."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import select

from tracker import clock
from tracker.cli.common import ConfigOption, console, fail, open_context, styled

DEMO_RECIPIENT = "safer-communities@peterborough.example"


def demo(
    config: ConfigOption = None,
    keep_serving: Annotated[bool, typer.Option("--keep-serving", help="keep the demo site up after the run",
                                               show_default=False)] = False,
) -> None:
    """Serve the demo funder site on loopback, crawl it, match, write the digest to the outbox."""
    from tracker.cli.crawl import crawl_sources, summary_table
    from tracker.demo import GRANTS_FILE
    from tracker.demo.history import load_history
    from tracker.demo.server import DEMO_HOST, serve_demo_site
    from tracker.digest import send_digests
    from tracker.grants.importer import import_file
    from tracker.matches import run_matching
    from tracker.models import Source, User
    from tracker.needs import NeedsImportError, import_needs
    from tracker.sources import add_source

    ctx = open_context(config)
    settings = ctx.settings
    try:
        server = serve_demo_site()
    except OSError as exc:
        fail(str(exc))
    # The demo site's name is pinned to the loopback address it is served on; the address guard
    # refuses loopback unless the name is allowed.
    settings.crawl.hosts = {**settings.crawl.hosts, DEMO_HOST: [server.host]}
    settings.crawl.allow_hosts = [*settings.crawl.allow_hosts, DEMO_HOST]
    settings.crawl.download_delay = 0
    settings.smtp.host = ""  # the demo never sends real mail: the digest goes to the outbox
    demo_dir = resources.files("tracker.demo")
    catalogue = json.loads(demo_dir.joinpath("sources.json").read_text(encoding="utf-8"))
    with server:
        console.print(f"demo funder site on {server.url} (served on {server.host})", highlight=False)
        with ctx.session() as session:
            for entry in catalogue:
                name = f"demo: {entry['name']}"
                url = server.url + entry["path"]
                row = session.exec(select(Source).where(Source.name == name)).first()
                if row is None:
                    add_source(session, settings, name=name, kind=entry["kind"], url=url, funder=entry["funder"],
                               origin="demo")
                else:
                    row.url, row.enabled = url, True
                    session.add(row)
            try:
                import_needs(session, Path(str(demo_dir.joinpath("needs.json"))))
            except NeedsImportError as exc:  # pragma: no cover - the bundled file is tested
                raise typer.Exit(f"bundled demo needs are invalid: {exc}") from exc
            team = session.exec(select(User).where(User.email == DEMO_RECIPIENT)).first()
            if team is None:
                team = User(email=DEMO_RECIPIENT, name="Safer Communities team", role="staff", digest=True)
                session.add(team)
                session.flush()
            history = load_history(session, server.url, team)
            names = [s.name for s in session.exec(select(Source).where(Source.origin == "demo"))]
        grants = import_file(ctx.engine, GRANTS_FILE)  # real grants: one demo call's funder panel
        outcome = crawl_sources(ctx, names)
        if keep_serving:
            console.print("serving the demo site; Ctrl-C to stop", highlight=False)
            try:
                typer.prompt("press Enter to stop", default="", show_default=False)
            except (KeyboardInterrupt, EOFError):
                pass
    with ctx.session() as session:
        # The demo site is gone once this command ends: keep its sources out of schedules.
        for row in session.exec(select(Source).where(Source.origin == "demo")):
            row.enabled = False
            session.add(row)
    console.print(summary_table(outcome.results))
    for r in outcome.results:
        if r.status != "ok":
            console.print(styled((r.name, "red"), f": {r.error_text}"), highlight=False)
    with ctx.session() as session:
        summary = run_matching(session, clock.today())
    report = send_digests(ctx.engine, settings)
    table = Table(title="Matches per need")
    table.add_column("need")
    table.add_column("eligible matches", justify="right")
    for need_id, count in summary.eligible_by_need.items():
        table.add_row(need_id, str(count))
    console.print(table)
    calls = sum(r.calls for r in outcome.results)
    console.print(f"sources: {len(outcome.results)}   calls found: {calls}", highlight=False)
    if history:
        console.print(f"history: {history} earlier rounds with the team's bids and outcomes", highlight=False)
    console.print(f"grants: {grants.grants} published by {', '.join(grants.funders.values())} (360Giving, "
                  f"CC BY 4.0): {grants.new} new", highlight=False)
    for line in getattr(report, "lines", []):
        console.print(f"  {line}", highlight=False)
    console.print(f"digest written to {settings.outbox_dir.resolve()}", highlight=False)
    if any(r.status != "ok" for r in outcome.results):
        raise typer.Exit(1)
