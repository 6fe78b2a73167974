"""`tracker digest ...`: preview, send and inspect weekly digests."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from tracker.cli.common import ConfigOption, console, fail, open_context

if TYPE_CHECKING:
    from tracker.digest import SendReport

app = typer.Typer(help="Weekly and daily digests.", no_args_is_help=True)


class Frequency(StrEnum):
    weekly = "weekly"
    daily = "daily"


@app.command("preview")
def preview(out: Annotated[Path, typer.Option(help="folder for .eml and .html files")],
            config: ConfigOption = None) -> None:
    """Write each recipient's digest as .eml and .html, sending and recording nothing."""
    from tracker.digest import preview_digests

    ctx = open_context(config)
    paths = preview_digests(ctx.engine, ctx.settings, out)
    if not paths:
        console.print("no digest to preview (no recipients, or nothing new for them)")
    for path in paths:
        console.print(f"wrote {path}", highlight=False)


@app.command("send")
def send(dry_run: Annotated[bool, typer.Option(help="build and report, send nothing")] = False,
         frequency: Annotated[Frequency, typer.Option(help="whose digest: those who chose weekly, or daily")]
         = Frequency.weekly,
         config: ConfigOption = None) -> None:
    """Send each recipient's digest (or write it to the outbox when no SMTP is configured)."""
    from tracker.digest import send_digests

    ctx = open_context(config)
    if not ctx.settings.smtp.configured and not dry_run:
        console.print(f"no [smtp] host configured: writing digests to {ctx.settings.outbox_dir}", highlight=False)
    report = send_digests(ctx.engine, ctx.settings, dry_run=dry_run, frequency=frequency.value)
    _print_report(report)


@app.command("retry")
def retry(week: Annotated[str | None, typer.Option(help="ISO week, e.g. 2026-W48 (default: this week)")] = None,
          day: Annotated[str | None, typer.Option(help="a daily digest's date, e.g. 2026-12-02")] = None,
          recipient: Annotated[str | None, typer.Option(help="only this recipient's digest")] = None,
          config: ConfigOption = None) -> None:
    """Resend a week's (or a day's) failed or still pending digests, once each, with their Message-ID."""
    from tracker.digest.retry import parse_day, parse_week, retry_digests

    if week and day:
        fail("--week and --day: give one (a weekly digest's week or a daily digest's date)")
    try:
        period = parse_week(week) if week else parse_day(day) if day else None
    except ValueError as exc:
        fail(str(exc))
    ctx = open_context(config)
    report = retry_digests(ctx.engine, ctx.settings, period=period, recipient=recipient)
    _print_report(report)


def _print_report(report: SendReport) -> None:
    for line in report.lines:
        console.print(line, highlight=False)
    console.print(report.summary(), highlight=False)
    if not report.ok:
        fail("some digests were not delivered; see `tracker digest status`", code=1)


@app.command("status")
def status(config: ConfigOption = None) -> None:
    """Show recent digests and their delivery status."""
    from tracker.digest import digest_status, retry_hints

    ctx = open_context(config)
    rows = digest_status(ctx.engine)
    table = Table(title="recent digests")
    columns = list(rows[0].keys()) if rows else ["recipient", "status"]
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(str(row.get(c, "")) for c in columns))
    console.print(table)
    for period, count in retry_hints(rows).items():
        console.print(f"{count} digest(s) of {period} not delivered (failed or pending): "
                      f"`tracker digest retry {'--week' if '-W' in period else '--day'} {period}` resends them, "
                      "once each", highlight=False)
