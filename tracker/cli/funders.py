"""`tracker funders ...`: import funders' published grants (360Giving) and see their figures."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlmodel import Session, select

from tracker.cli.common import ConfigOption, Format, console, err_console, fail, open_context
from tracker.format import long_date, money
from tracker.grants.importer import ImportResult, import_file
from tracker.grants.names import name_key
from tracker.grants.sources import NotGrantsFile
from tracker.grants.stats import FunderStats, UnknownPlace, area_codes, funder_stats
from tracker.models import FundingOrg, GrantRecord

app = typer.Typer(help="Funders' published grants (360Giving): import and figures.", no_args_is_help=True)

SHOW_BAD = 20  # bad rows listed; the total is always given


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="360Giving JSON, GrantNav CSV or XLSX",
                                         show_default=False)],
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="import the good rows and list the bad ones")] = False,
    config: ConfigOption = None,
) -> None:
    """Import a funder's grants from a 360Giving file (all rows or none, unless --skip-bad)."""
    if not file.is_file():
        fail(f"{file}: no such file")
    ctx = open_context(config, sync=False)
    try:
        if sys.stderr.isatty():
            with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                          console=err_console, transient=True) as bar:
                task = bar.add_task(file.name, total=file.stat().st_size)
                result = import_file(ctx.engine, file, skip_bad=skip_bad,
                                     progress=lambda done: bar.update(task, completed=done))
        else:
            result = import_file(ctx.engine, file, skip_bad=skip_bad)
    except NotGrantsFile as exc:
        fail(f"{file}: {exc}; nothing imported")
    except OSError as exc:
        fail(f"{file}: {exc.strerror or exc}")
    for line in result.bad[:SHOW_BAD]:
        err_console.print(line, highlight=False, soft_wrap=True)
    if result.bad_total > SHOW_BAD:
        err_console.print(f"... and {result.bad_total - SHOW_BAD:,} more bad rows", highlight=False)
    if not result.imported:
        fail(f"{file}: {_rows(result.bad_total, 'bad row')}; nothing imported "
             f"(--skip-bad imports the {result.grants:,} good ones)")
    console.print(summary(result), highlight=False, soft_wrap=True)


def summary(r: ImportResult) -> str:
    unchanged = f", {r.unchanged:,} unchanged" if r.unchanged else ""
    bad = _rows(r.bad_total, "bad row") + (" skipped" if r.bad_total else "")
    return (f"Imported {_rows(r.grants, 'grant')} ({r.new:,} new, {r.updated:,} updated{unchanged}) "
            f"from {_rows(len(r.funders), 'funder')} in {r.seconds:.1f} s; {bad}")


def _rows(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@app.command("show")
def show(
    name_or_id: Annotated[str, typer.Argument(metavar="NAME_OR_ID", help="360Giving org id or the funder's name",
                                              show_default=False)],
    area: Annotated[str | None, typer.Option("--area", metavar="PLACE",
                                             help="only grants in this council, county or region")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD",
                                              help="only grants awarded on or after this day")] = None,
    fmt: Annotated[Literal["text", "json"], typer.Option("--format")] = "text",
    config: ConfigOption = None,
) -> None:
    """A funder's grants: how many, total, median and range, latest award, types of recipient."""
    since_day = None
    if since is not None:
        try:
            since_day = date.fromisoformat(since)
        except ValueError:
            fail(f"--since {since!r} is not a date (YYYY-MM-DD)")
    codes, place = None, None
    if area is not None:
        try:
            codes = area_codes(area)
        except UnknownPlace as exc:
            fail(f"--area: {exc}")
        from tracker.gazetteer import load_gazetteer

        place = load_gazetteer().find(area.strip()).name
    ctx = open_context(config, sync=False)
    with ctx.session() as session:
        org = find_funder(session, name_or_id)
        stats = funder_stats(session, [org.id], codes, since_day)
        publishers = list(session.exec(select(GrantRecord.publisher).where(GrantRecord.funder_org_id == org.id)
                                       .distinct().order_by(GrantRecord.publisher)))
    if fmt == "json":
        data = {"funder": org.name, "org_id": org.id, **stats.as_json()}
        if place is not None:
            data["area"] = place
        order = ["funder", "org_id", "grants", "total", "median", "min", "max", "latest_award", "area",
                 "recipient_types"]
        typer.echo(json.dumps({k: data[k] for k in order if k in data}, indent=2, ensure_ascii=False))
        return
    _print_text(org, stats, place, since_day, publishers)


def find_funder(session: Session, name_or_id: str) -> FundingOrg:
    """The funder with that org id, else the one whose name_key matches; one-line error otherwise."""
    org = session.get(FundingOrg, name_or_id.strip())
    if org is not None:
        return org
    key = name_key(name_or_id)
    hits = list(session.exec(select(FundingOrg).where(FundingOrg.name_key == key).order_by(FundingOrg.id)))
    if len(hits) == 1:
        return hits[0]
    if hits:
        fail(f"{name_or_id!r} names {len(hits)} funders: {_candidates(hits)}; give the org id")
    near = list(session.exec(select(FundingOrg).where(FundingOrg.name_key.contains(key))
                             .order_by(FundingOrg.grants.desc(), FundingOrg.id).limit(6))) if key else []
    hint = f"; did you mean {_candidates(near)}?" if near else "; `tracker funders list` lists them"
    fail(f"no imported funder {name_or_id!r}{hint}")


def _candidates(orgs: list[FundingOrg]) -> str:
    return ", ".join(f"{o.name} ({o.id})" for o in orgs)


def _print_text(org: FundingOrg, stats: FunderStats, place: str | None, since: date | None,
                publishers: list[str]) -> None:
    where = f" in {place}" if place else " (all areas)"
    when = f" since {long_date(since)}" if since else ""
    lines = [f"{org.name} ({org.id})", f"Grants{where}{when}: {stats.grants:,}"]
    if stats.median is not None:
        lines += [f"Total: {money(stats.total)}", f"Median: {money(stats.median)}",
                  f"Range: {money(stats.min)} to {money(stats.max)}"]
    if stats.latest_award:
        a = stats.latest_award
        amount = money(a["amount"]) if a["amount"] is not None else "no amount"
        lines.append(f"Latest award: {long_date(a['date'])}, {amount} to {a['recipient_name'] or 'a recipient'}"
                     f" ({a['title']}; {a['grant_id']})")
    if stats.recipient_types:
        lines.append("Recipients: " + ", ".join(f"{k} {v:,}" for k, v in stats.recipient_types.items()))
    if publishers:
        lines.append(f"Data: published by {', '.join(publishers)} to the 360Giving Data Standard "
                     "(licence: see the 360Giving registry, mostly CC BY 4.0)")
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)


@app.command("list")
def list_(fmt: Annotated[Format, typer.Option("--format")] = Format.table, config: ConfigOption = None) -> None:
    """Imported funders: org id, name and how many of their grants are imported."""
    ctx = open_context(config, sync=False)
    with ctx.session() as session:
        orgs = list(session.exec(select(FundingOrg).order_by(FundingOrg.grants.desc(), FundingOrg.name)))
    if fmt == Format.json:
        typer.echo(json.dumps([{"org_id": o.id, "name": o.name, "grants": o.grants} for o in orgs], indent=2,
                              ensure_ascii=False))
        return
    if not orgs:
        console.print("No funders imported yet: `tracker funders import FILE`.", highlight=False)
        return
    table = Table(title=f"{len(orgs)} funder(s)")
    table.add_column("org id", overflow="fold")
    table.add_column("name", overflow="fold")
    table.add_column("grants", justify="right")
    for o in orgs:
        table.add_row(o.id, o.name, f"{o.grants:,}")
    console.print(table)
