"""`tracker report`: the bids report's figures (as on /reports) for other tools."""

from __future__ import annotations

import json
from typing import Annotated, Literal

import typer

from tracker import clock
from tracker.cli.common import ConfigOption, open_context
from tracker.report import build_report


def report(
    fmt: Annotated[Literal["json", "csv"], typer.Option("--format")] = "json",
    config: ConfigOption = None,
) -> None:
    """Funding secured, requested, bids, won and win rate per year (and per need and funder),
    and the pipeline by stage."""
    ctx = open_context(config)
    with ctx.session() as session:
        figures = build_report(session, clock.today(), ctx.settings.planning.signoff_working_days)
    if fmt == "json":
        typer.echo(json.dumps(figures.as_json(), indent=2, ensure_ascii=False))
    else:
        text = figures.csv()
        typer.echo(text, nl=not text.endswith("\n"))
