"""`tracker opportunities ...`: what the crawls found."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from tracker.cli.common import ConfigOption, open_context
from tracker.export import opportunity_rows, to_csv, to_json

app = typer.Typer(help="Opportunities (grant calls) found by crawls.", no_args_is_help=True)


@app.command("export")
def export(
    fmt: Annotated[Literal["json", "csv"], typer.Option("--format")] = "json",
    out: Annotated[Path | None, typer.Option(help="write to this file instead of stdout")] = None,
    area_codes: Annotated[bool, typer.Option(
        "--area-codes", help="add area_codes: each area's stable key (GSS code, or pfa:/county: slug)")] = False,
    config: ConfigOption = None,
) -> None:
    """Export every opportunity with the contract fields."""
    ctx = open_context(config)
    with ctx.session() as session:
        rows = opportunity_rows(session, area_codes=area_codes)
    text = to_json(rows) if fmt == "json" else to_csv(rows)
    if out:
        out.write_text(text, encoding="utf-8", newline="")  # the CSV's own CRLFs, untranslated
    else:
        typer.echo(text, nl=not text.endswith("\n"))
