"""`tracker needs ...` and `tracker match` / `tracker matches list`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tracker import clock
from tracker.cli.common import ConfigOption, console, fail, open_context
from tracker.needs import NeedsImportError, import_needs, list_needs

app = typer.Typer(help="Manage the team's project needs.", no_args_is_help=True)
matches_app = typer.Typer(help="Inspect stored matches.", no_args_is_help=True)


@app.command("import")
def import_(path: Path, config: ConfigOption = None) -> None:
    """Import needs from JSON or CSV; all rows or none."""
    ctx = open_context(config)
    try:
        with ctx.session() as session:
            created, updated = import_needs(session, path)
    except NeedsImportError as exc:
        fail(str(exc))
    console.print(f"imported {created + updated} need(s) from {path}: {created} new, {updated} updated",
                  highlight=False)


@app.command("list")
def list_(config: ConfigOption = None, all_: Annotated[bool, typer.Option("--all", help="include archived")] = False,
          fmt: Annotated[str, typer.Option("--format")] = "table") -> None:
    """List active needs."""
    ctx = open_context(config)
    with ctx.session() as session:
        needs = list_needs(session, include_archived=all_)
        rows = [n.model_dump(exclude={"updated_at"}) for n in needs]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table(title=f"{len(rows)} need(s)")
    for col in ("id", "title", "area", "applicant", "partners", "amount", "themes"):
        table.add_column(col, overflow="fold")
    for n in rows:
        amount = "–".join(f"£{v:,}" for v in (n["amount_min"], n["amount_max"]) if v is not None) or "-"
        table.add_row(n["id"], n["title"], n["area"], n["applicant"], ", ".join(n["partners"]), amount,
                      ", ".join(n["themes"]))
    console.print(table)


@app.command("archive")
def archive(need_id: str, config: ConfigOption = None) -> None:
    """Archive a need: it is no longer matched or sent."""
    from tracker.models import Need

    ctx = open_context(config)
    with ctx.session() as session:
        need = session.get(Need, need_id)
        if need is None:
            fail(f"no need with id {need_id!r}")
        need.active = False
        session.add(need)
    console.print(f"archived need {need_id}", highlight=False)


def match(config: ConfigOption = None) -> None:
    """Score open opportunities against active needs and store the matches."""
    from tracker.matches import run_matching

    ctx = open_context(config)
    with ctx.session() as session:
        summary = run_matching(session, clock.today())
    console.print(f"matched {summary.needs} need(s) against {summary.opportunities} opportunities", highlight=False)
    for need_id, count in summary.eligible_by_need.items():
        console.print(f"  {need_id}: {count} eligible match(es)", highlight=False)


@matches_app.command("list")
def matches_list(
    need: Annotated[str | None, typer.Option(help="only this need's matches")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    config: ConfigOption = None,
) -> None:
    """List matches, best first per need."""
    from tracker.matches import match_rows

    ctx = open_context(config)
    with ctx.session() as session:
        rows = match_rows(session, need)
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{sum(r['eligible'] for r in rows)} eligible match(es)")
    for col in ("need", "rank", "score", "title", "reasons"):
        table.add_column(col, overflow="fold")
    for r in rows:
        if r["eligible"]:
            table.add_row(r["need_id"], str(r["rank"] or "-"), f"{r['score']:.0f}", r["title"], "; ".join(r["reasons"]))
    console.print(table)
