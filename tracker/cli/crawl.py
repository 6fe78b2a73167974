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
    from tracker.store import after_crawl

    chosen = [s.name for s in chosen_sources(ctx, names)]
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


def chosen_sources(ctx: Context, names: list[str] | None) -> list[Source]:
    from tracker.sources import SourceError, find_source

    with ctx.session() as session:
        if names:
            try:
                chosen = [find_source(session, n) for n in names]
            except SourceError as exc:
                fail(str(exc))
        else:
            chosen = list(session.exec(select(Source).where(Source.enabled == True).order_by(Source.name)))  # noqa: E712
    if not chosen:
        fail("no enabled sources: add one with `tracker sources add` or in config.toml [[sources]]")
    return chosen


def queue_crawls(ctx: Context, names: list[str] | None, wait: bool):  # noqa: ANN201
    """Queue mode: a crawl job per source for the workers; with `wait`, their results once all
    have finished (read from the crawl runs the workers recorded)."""
    from jobs.crawl_runner import CrawlOutcome
    from jobs.queue import NoWorker, enqueue_crawls, make_app, wait_for
    from tracker.models import utcnow

    sources = chosen_sources(ctx, names)
    started = utcnow()
    app = make_app(ctx.settings).open()
    try:
        ids = enqueue_crawls(app, ctx.settings, [(s.id, s.name, s.kind) for s in sources], trigger="crawl")
        console.print(f"queued {len(ids)} crawl(s) for the workers (jobs {min(ids)}–{max(ids)}); "
                      "see `tracker jobs queue`", highlight=False)
        if not wait:
            return None
        with console.status(f"waiting for {len(ids)} crawl(s)"):
            try:
                wait_for(app, ids, no_worker_after=ctx.settings.workers.stalled_after_seconds)
            except NoWorker as exc:
                fail(f"crawl --wait: {exc}; start one with `tracker worker` (the crawls stay queued)")
    finally:
        app.close()
    return CrawlOutcome(results=results_since(ctx, sources, started))


def results_since(ctx: Context, sources: list[Source], since):  # noqa: ANN001, ANN201
    """Each source's latest crawl run started after `since`, as the runner's results."""
    from jobs.crawl_runner import SourceResult
    from tracker.models import CrawlRun

    results = []
    with ctx.session() as session:
        for source in sources:
            run = session.exec(select(CrawlRun).where(CrawlRun.source_id == source.id, CrawlRun.started_at >= since)
                               .order_by(CrawlRun.id.desc())).first()
            if run is None:
                results.append(SourceResult(name=source.name, error_text="its crawl job ended without a crawl run"))
                continue
            calls = run.calls_new + run.calls_changed + run.calls_unchanged
            results.append(SourceResult(name=source.name, status=run.status, pages=run.pages, calls=calls,
                                        calls_new=run.calls_new, calls_changed=run.calls_changed,
                                        calls_unchanged=run.calls_unchanged, skipped=run.skipped, errors=run.errors,
                                        error_text=run.error_text or "", reason=source.health_note or ""))
    return results


def crawl(
    source: Annotated[list[str] | None,
                      typer.Option("--source", "-s", help="crawl only this source (repeatable)")] = None,
    wait: Annotated[bool, typer.Option("--wait", help="queue mode: wait for the queued crawls and "
                                                      "print their summary")] = False,
    config: ConfigOption = None,
) -> None:
    """Crawl the enabled sources (or --source NAME ...) and store what they publish
    (queue mode: queue a crawl per source for the workers)."""
    ctx = open_context(config)
    if ctx.settings.workers.mode == "queue":
        outcome = queue_crawls(ctx, source, wait)
        if outcome is None:
            return
    else:
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
