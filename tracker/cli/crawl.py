"""`tracker crawl`: run the enabled sources' spiders, show progress and a summary."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlmodel import select

from tracker import clock
from tracker.cli.common import ConfigOption, Context, console, fail, open_context, styled
from tracker.models import Source


def crawl_sources(ctx: Context, names: list[str] | None, *, show_progress: bool = True):  # noqa: ANN201
    from jobs.crawl_runner import run_crawl
    from tracker.sources import SourceError, find_source
    from tracker.store import after_crawl

    with ctx.session() as session:
        if names:
            try:
                chosen = [find_source(session, n).name for n in names]
            except SourceError as exc:
                fail(str(exc))
        else:
            chosen = [s.name for s in session.exec(select(Source).where(Source.enabled == True).order_by(Source.name))]  # noqa: E712
    if not chosen:
        fail("no enabled sources: add one with `tracker sources add` or in config.toml [[sources]]")
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.fields[pages]} pages, {task.fields[calls]} calls"),
                        TimeElapsedColumn(), console=console, disable=not show_progress, transient=False)
    # the progress line's columns read rich markup: source names are escaped there
    tasks = {name: progress.add_task(escape(name), total=None, pages=0, calls=0) for name in chosen}

    def on_event(event: dict) -> None:
        task = tasks.get(event.get("source", ""))
        if task is None:
            return
        if event["event"] == "progress":
            progress.update(task, pages=event["pages"], calls=event["calls"])
        elif event["event"] == "done":
            status = shown_status(event.get("status", ""), event.get("calls", 0))
            colour = "green" if status == "ok" else "red"
            progress.update(task, total=1, completed=1,
                            description=f"{escape(event['source'])} [{colour}]{status}[/]")

    with progress:
        outcome = run_crawl(ctx.settings, chosen, on_event=on_event)
    with ctx.session() as session:
        after_crawl(session, clock.today())
    return outcome


def shown_status(status: str, calls: int) -> str:
    """A crawl that ran but found nothing is not "ok" to the reader: it says so."""
    return "no calls found" if status == "ok" and not calls else status


def summary_table(results) -> Table:  # noqa: ANN001
    table = Table(title="Crawl summary")
    for col in ("source", "status", "pages", "calls", "new", "changed", "unchanged", "skipped", "errors"):
        table.add_column(col, justify="left" if col in ("source", "status") else "right")
    for r in results:
        status = shown_status(r.status, r.calls)
        colour = "green" if status == "ok" else "red"
        table.add_row(r.name, styled((status, colour)), str(r.pages), str(r.calls), str(r.calls_new),
                      str(r.calls_changed), str(r.calls_unchanged), str(r.skipped), str(r.errors))
    return table


def crawl(
    source: Annotated[list[str] | None,
                      typer.Option("--source", "-s", help="crawl only this source (repeatable)")] = None,
    config: ConfigOption = None,
) -> None:
    """Crawl the enabled sources (or --source NAME ...) and store what they publish."""
    ctx = open_context(config)
    outcome = crawl_sources(ctx, source)
    console.print(summary_table(outcome.results))
    for r in outcome.results:
        if r.status != "ok" and r.error_text:
            console.print(styled((r.name, "red"), f": {r.error_text}"), highlight=False)
        elif r.status == "ok" and not r.calls:
            console.print(styled((r.name, "red"), f": no calls found: {r.reason or 'no detail'}"), highlight=False)
    failed = [r for r in outcome.results if r.status != "ok"]
    if failed and len(failed) == len(outcome.results):
        raise typer.Exit(1)
