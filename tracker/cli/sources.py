"""`tracker sources ...`: the registry of funder sites, feeds and OCDS endpoints."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import select

from tracker import format as fmt
from tracker.cli.common import ConfigOption, Format, console, fail, open_context, styled
from tracker.models import Source
from tracker.sources import (
    KINDS,
    TENDER_APIS,
    SourceError,
    add_source,
    find_source,
    funder_name,
    last_runs,
    parse_selectors,
    remove_source,
    tender_filters,
    validate_source,
)

app = typer.Typer(help="Manage funder sources.", no_args_is_help=True)
PREVIEW_PAGES = 40  # pages a `--link-group` re-read of the start page crawls at most


@app.command("add")
def add(
    name: Annotated[str, typer.Option(help="a short unique name")],
    kind: Annotated[str, typer.Option(help="html | rss | atom | ocds | contracts-finder | find-a-tender")],
    url: Annotated[str | None, typer.Option(
        help="start URL (listing page, feed or OCDS endpoint); the tender kinds default to the public API")] = None,
    funder: Annotated[str | None, typer.Option(help="the funder's name")] = None,
    schedule: Annotated[str | None, typer.Option(help="cron expression, e.g. '0 6 * * *'")] = None,
    link_pattern: Annotated[str | None, typer.Option(help="regex for call page links (hard sites only)")] = None,
    selector: Annotated[list[str] | None, typer.Option(help="FIELD=CSS-or-XPath override (repeatable)")] = None,
    keywords: Annotated[list[str] | None, typer.Option(
        help="tender kinds: keep notices whose title or description has one of these (repeatable, or a,b)")] = None,
    cpv: Annotated[list[str] | None, typer.Option(help="tender kinds: CPV code prefixes, e.g. 85 or 75240000")] = None,
    region: Annotated[list[str] | None, typer.Option(
        help="tender kinds: ITL/NUTS codes (UKH12) or area names (East of England)")] = None,
    vcse: Annotated[bool, typer.Option("--vcse", help="tender kinds: only notices marked suitable for VCSEs")] = False,
    sme: Annotated[bool, typer.Option("--sme", help="tender kinds: only notices marked suitable for SMEs")] = False,
    config: ConfigOption = None,
) -> None:
    """Register a source; only its kind and URL are needed (a tender kind needs only its kind)."""
    ctx = open_context(config)
    try:
        selectors = parse_selectors("\n".join(selector or []))
        filters = tender_filters(name, keywords, cpv, region, vcse, sme)
        with ctx.session() as session:
            source = add_source(session, ctx.settings, name=name, kind=kind, url=url, funder=funder,
                                schedule=schedule, link_pattern=link_pattern, selectors=selectors, filters=filters)
            console.print(styled((source.name, "bold"), f" ({source.kind}) {source.url}"), highlight=False)
            if source.filters:
                console.print(f"filters: {json.dumps(source.filters)}", highlight=False, soft_wrap=True)
    except SourceError as exc:
        fail(str(exc))


@app.command("list")
def list_(config: ConfigOption = None, output: Annotated[Format, typer.Option("--format")] = Format.table) -> None:
    """List sources with their health."""
    ctx = open_context(config)
    with ctx.session() as session:
        sources = list(session.exec(select(Source).order_by(Source.name)))
        rows = [{"name": s.name, "kind": s.kind, "url": s.url, "funder": funder_name(session, s),
                 "enabled": s.enabled, "healthy": s.healthy, "health_note": s.health_note,
                 "last_crawl_at": s.last_crawl_at.isoformat() if s.last_crawl_at else None,
                 "last_calls": s.last_calls, "schedule": s.schedule or ctx.settings.schedule.crawl,
                 "filters": s.filters or {}, "window_end": s.window_end.isoformat() if s.window_end else None}
                for s in sources]
    if output is Format.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(rows)} source(s)")
    for col in ("name", "kind", "enabled", "health", "last crawl", "calls", "url"):
        table.add_column(col)
    for r in rows:
        health = styled(("ok" if r["healthy"] else "unhealthy", "green" if r["healthy"] else "red"),
                        f" {r['health_note']}" if r["health_note"] else "")
        table.add_row(r["name"], r["kind"], "yes" if r["enabled"] else "no", health,
                      (r["last_crawl_at"] or "never")[:16],
                      str(r["last_calls"] if r["last_calls"] is not None else "-"),
                      r["url"])
    console.print(table)


@app.command("show")
def show(name: str, config: ConfigOption = None) -> None:
    """Show one source and its last crawl runs."""
    ctx = open_context(config)
    try:
        with ctx.session() as session:
            s = find_source(session, name)
            console.print(styled((s.name, "bold"), f"  {s.kind}  {s.url}"), highlight=False)
            schedule = s.schedule or ctx.settings.schedule.crawl
            console.print(f"funder: {funder_name(session, s) or '-'}   enabled: {s.enabled}   "
                          f"schedule: {schedule}   origin: {s.origin}", highlight=False)
            note = f": {s.health_note}" if s.health_note else ""
            console.print("health: " + ("ok" if s.healthy else "UNHEALTHY") + note, highlight=False)
            if s.filters:
                console.print(f"filters: {json.dumps(s.filters)}", highlight=False, soft_wrap=True)
            if s.kind in TENDER_APIS:
                read = f"read up to {s.window_end.isoformat()[:19]} UTC" if s.window_end else "never read to the end"
                console.print(f"date windows: {read}", highlight=False)
            if s.link_pattern:
                console.print(f"follows only links matching: {s.link_pattern}", highlight=False, soft_wrap=True)
            table = Table(title="last crawl runs")
            for col in ("started", "status", "pages", "new", "changed", "unchanged", "skipped", "errors", "detail"):
                table.add_column(col)
            for run in last_runs(session, s):
                table.add_row(run.started_at.isoformat()[:16], run.status, str(run.pages), str(run.calls_new),
                              str(run.calls_changed), str(run.calls_unchanged), str(run.skipped), str(run.errors),
                              run.error_text[:80])
            console.print(table)
    except SourceError as exc:
        fail(str(exc))


def _set_enabled(name: str, enabled: bool, config: str | None) -> None:
    ctx = open_context(config)
    try:
        with ctx.session() as session:
            s = find_source(session, name)
            s.enabled = enabled
            session.add(s)
    except SourceError as exc:
        fail(str(exc))
    console.print(f"{name}: {'enabled' if enabled else 'disabled'}", highlight=False)


@app.command("enable")
def enable(name: str, config: ConfigOption = None) -> None:
    """Enable a source."""
    _set_enabled(name, True, config)


@app.command("disable")
def disable(name: str, config: ConfigOption = None) -> None:
    """Disable a source (kept, not crawled)."""
    _set_enabled(name, False, config)


@app.command("remove")
def remove(name: str, config: ConfigOption = None) -> None:
    """Remove a source; the calls it found are kept."""
    ctx = open_context(config)
    try:
        with ctx.session() as session:
            remove_source(session, find_source(session, name))
    except SourceError as exc:
        fail(str(exc))
    console.print(f"removed source {name}", highlight=False)


@app.command("edit")
def edit(
    name: str,
    link_group: Annotated[int | None, typer.Option(help="use group N of `sources test` as the link pattern")] = None,
    link_pattern: Annotated[str | None, typer.Option(help="regex for call page links; '' to clear")] = None,
    config: ConfigOption = None,
) -> None:
    """Change which links the crawl follows from the start page: a group of similar links
    that `tracker sources test NAME` listed (read again now), or a regex."""
    from jobs.crawl_runner import run_crawl
    from tracker.sources import preview_source, set_link_pattern

    ctx = open_context(config)
    if (link_group is None) == (link_pattern is None):
        fail("give either --link-group N (from `tracker sources test NAME`) or --link-pattern REGEX")
    try:
        with ctx.session() as session:
            find_source(session, name)
        if link_group is not None:
            outcome = preview_source(ctx.settings, run_crawl, name=name, pages=PREVIEW_PAGES)
            groups = outcome.results[0].link_groups if outcome.results else []
            if not 1 <= link_group <= len(groups):
                fail(f"{name}: no link group {link_group}; the start page has {len(groups)} "
                     "(see `tracker sources test " + name + "`)")
            link_pattern = groups[link_group - 1]["pattern"]
            console.print(f"group {link_group}: {groups[link_group - 1]['description']}", highlight=False)
        with ctx.session() as session:
            source = set_link_pattern(session, ctx.settings, find_source(session, name), link_pattern or None)
            console.print(f"{name}: link pattern {source.link_pattern or '(none: automatic)'}", highlight=False)
    except SourceError as exc:
        fail(str(exc))


def print_link_groups(groups: list[dict], name: str | None) -> None:
    """The start page's groups of similar links, numbered, with how to pick one."""
    if not groups:
        return
    how = (f"tracker sources edit {name} --link-group N" if name
           else "tracker sources add ... --link-pattern PATTERN")
    console.print(f"links on the start page, in groups (to follow only one group: {how}):", highlight=False)
    for number, group in enumerate(groups, start=1):
        console.print(f"  {number}. {group['description']}", highlight=False, soft_wrap=True)
        console.print(styled((f"     pattern: {group['pattern']}", "dim")), highlight=False, soft_wrap=True)


@app.command("test")
def test(
    name: Annotated[str | None, typer.Argument(help="a registered source")] = None,
    url: Annotated[str | None, typer.Option(help="try a URL before saving it")] = None,
    kind: Annotated[str, typer.Option(help=f"{' | '.join(KINDS)} (with --url)")] = "html",
    link_pattern: Annotated[str | None, typer.Option(help="regex for call page links (with --url)")] = None,
    selector: Annotated[list[str] | None, typer.Option(help="FIELD=CSS-or-XPath (with --url, repeatable)")] = None,
    config: ConfigOption = None,
) -> None:
    """Crawl live and show what would be extracted, saving nothing."""
    from jobs.crawl_runner import run_crawl
    from tracker.sources import preview_source

    ctx = open_context(config)
    if (name is None) == (url is None):
        fail("give either a source NAME or --url URL --kind KIND")
    try:
        selectors = parse_selectors("\n".join(selector or []))
        if url is not None:
            validate_source("test", kind, url, ctx.settings.crawl.allow_hosts, link_pattern=link_pattern)
        with ctx.session() as session:
            target = find_source(session, name).name if name else None
    except SourceError as exc:
        fail(str(exc))
    outcome = preview_source(ctx.settings, run_crawl, name=target, url=url, kind=kind, link_pattern=link_pattern,
                             selectors=selectors)
    groups = outcome.results[0].link_groups if outcome.results else []
    table = Table(title=f"{len(outcome.calls)} call(s) would be stored")
    for col in ("title", "deadline", "amount", "status", "areas", "themes", "url"):
        table.add_column(col, overflow="fold")
    for c in outcome.calls:
        amount = fmt.amount_range(c.get("amount_min") or None, c.get("amount_max") or None, missing="-")
        deadline = "rolling" if c.get("rolling") else (c.get("deadline") or "-")
        table.add_row(c["title"], str(deadline), amount, c["status"], ", ".join(c.get("areas") or []),
                      ", ".join(c.get("themes") or []), c["url"])
    console.print(table)
    for result in outcome.results:
        for page, reason in result.skipped_pages:
            console.print(styled((f"skipped {page}: {reason}", "dim")), highlight=False)
        if result.stopped:
            console.print(styled(("listing not read to the end", "red"), f": {result.stopped}"), highlight=False)
        if result.status != "ok":
            console.print(styled((result.status, "red"), f": {result.error_text}"), highlight=False)
            raise typer.Exit(1)
        if not result.calls:
            console.print(styled(("no calls found", "red"), f": {result.reason or 'no detail'}"), highlight=False)
        elif result.reason:
            console.print(styled(("check", "yellow"), f": {result.reason}"), highlight=False)
    print_link_groups(groups, target)
