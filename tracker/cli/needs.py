"""`tracker needs ...` and `tracker match` / `tracker matches list`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session, select

from tracker import clock
from tracker.cli.common import ConfigOption, Format, console, fail, open_context
from tracker.models import Need
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
          fmt: Annotated[Format, typer.Option("--format")] = Format.table) -> None:
    """List active needs."""
    ctx = open_context(config)
    with ctx.session() as session:
        needs = list_needs(session, include_archived=all_)
        rows = [n.model_dump(exclude={"updated_at"}) for n in needs]
    if fmt is Format.json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table(title=f"{len(rows)} need(s)")
    for col in ("id", "title", "area", "applicant", "partners", "amount", "themes"):
        table.add_column(col, overflow="fold")
    for n in rows:
        amount = fmt.amount_range(n["amount_min"], n["amount_max"], missing="-")
        table.add_row(n["id"], n["title"], n["area"], n["applicant"], ", ".join(n["partners"]), amount,
                      ", ".join(n["themes"]))
    console.print(table)


def _need_values(title, description, keyword, theme, area, applicant, partner, amount_min, amount_max,  # noqa: ANN001
                 prep_days, owner) -> dict:  # noqa: ANN001
    values = {"title": title, "description": description, "keywords": keyword or None, "themes": theme or None,
              "area": area, "applicant": applicant, "partners": partner or None, "amount_min": amount_min,
              "amount_max": amount_max, "prep_days": prep_days, "owner": owner}
    return {k: v for k, v in values.items() if v is not None}


def _save(config: str | None, need_id: str, values: dict, *, create: bool) -> None:
    from pydantic import ValidationError

    from tracker.needs import NeedIn, save_need

    ctx = open_context(config)
    with ctx.session() as session:
        row = session.get(Need, need_id) if create else _need_or_fail(session, need_id)
        if create and row is not None:
            fail(f"a need with id {need_id!r} already exists: use `tracker needs edit {need_id}`")
        current = {} if row is None else row.model_dump(exclude={"updated_at"})
        try:
            need = NeedIn.model_validate({**current, **values, "id": need_id})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                                 for e in exc.errors())
            fail(f"need {need_id}: {problems}")
        save_need(session, need)
    console.print(f"{'added' if create else 'updated'} need {need_id}", highlight=False)


NeedId = Annotated[str, typer.Argument(metavar="NEED_ID", help="a short slug, e.g. youth-diversion",
                                       show_default=False)]


def _need_or_fail(session: Session, need_id: str) -> Need:
    """The need with this id, or a one-line error listing the ids there are."""
    need = session.get(Need, need_id)
    if need is None:
        known = session.exec(select(Need.id).order_by(Need.id)).all()
        fail(f"no need with id {need_id!r}; needs: {', '.join(known) or 'none yet (tracker needs add)'}")
    return need
Many = Annotated[list[str] | None, typer.Option(metavar="TEXT", help="repeatable")]


@app.command("add")
def add(
    need_id: NeedId,
    title: Annotated[str, typer.Option()],
    description: Annotated[str, typer.Option()] = "",
    keyword: Many = None, theme: Many = None,
    area: Annotated[str, typer.Option()] = "Peterborough",
    applicant: Annotated[str, typer.Option(help="org type of the team")] = "local_authority",
    partner: Many = None,
    amount_min: Annotated[int | None, typer.Option()] = None,
    amount_max: Annotated[int | None, typer.Option()] = None,
    prep_days: Annotated[int, typer.Option(help="days needed to prepare a bid")] = 21,
    owner: Annotated[str | None, typer.Option()] = None,
    config: ConfigOption = None,
) -> None:
    """Add a project need."""
    _save(config, need_id, _need_values(title, description, keyword, theme, area, applicant, partner,
                                        amount_min, amount_max, prep_days, owner), create=True)


@app.command("edit")
def edit(
    need_id: NeedId,
    title: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    keyword: Many = None, theme: Many = None,
    area: Annotated[str | None, typer.Option()] = None,
    applicant: Annotated[str | None, typer.Option()] = None,
    partner: Many = None,
    amount_min: Annotated[int | None, typer.Option()] = None,
    amount_max: Annotated[int | None, typer.Option()] = None,
    prep_days: Annotated[int | None, typer.Option()] = None,
    owner: Annotated[str | None, typer.Option()] = None,
    config: ConfigOption = None,
) -> None:
    """Change a need (only the options given)."""
    _save(config, need_id, _need_values(title, description, keyword, theme, area, applicant, partner,
                                        amount_min, amount_max, prep_days, owner), create=False)


@app.command("archive")
def archive(need_id: NeedId, config: ConfigOption = None) -> None:
    """Archive a need: it is no longer matched or sent."""
    ctx = open_context(config)
    with ctx.session() as session:
        need = _need_or_fail(session, need_id)
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
    need: Annotated[str | None, typer.Option(metavar="NEED_ID", help="only this need's matches")] = None,
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """List matches, best first per need."""
    from tracker.matches import match_rows

    ctx = open_context(config)
    with ctx.session() as session:
        if need is not None:
            _need_or_fail(session, need)
        rows = match_rows(session, need)
    if fmt is Format.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{sum(r['eligible'] for r in rows)} eligible match(es)")
    for col in ("need", "rank", "score", "title", "reasons"):
        table.add_column(col, overflow="fold")
    for r in rows:
        if r["eligible"]:
            table.add_row(r["need_id"], str(r["rank"] or "-"), fmt.score(r["score"]), r["title"],
                          "; ".join(r["reasons"]))
    console.print(table)
