"""`tracker funders link`: confirm or fix which 360Giving funder a call's funder is."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tracker.cli.common import ConfigOption, Format, console, fail, open_context


def link(
    funder: Annotated[str, typer.Argument(metavar="FUNDER_NAME", help="the funder as calls name it")],
    org_id: Annotated[str | None, typer.Argument(metavar="[ORG_ID]", help="360Giving org id, e.g. GB-CHC-327114",
                                                 show_default=False)] = None,
    clear: Annotated[bool, typer.Option("--clear", help="this funder has no 360Giving data (no link)")] = False,
    auto: Annotated[bool, typer.Option("--auto", help="forget the confirmed link; guess it again")] = False,
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Link a funder to its 360Giving org id (confirmed), or --clear it; with no ORG_ID, show
    the current link and how it was found."""
    from tracker.funder_links import LinkError, clear_link, current_link, set_link

    if sum((org_id is not None, clear, auto)) > 1:
        fail("give one of ORG_ID, --clear or --auto")
    ctx = open_context(config)
    try:
        with ctx.session() as session:
            if org_id is not None or clear:
                set_link(session, funder, None if clear else org_id, "cli")
            elif auto:
                clear_link(session, funder)
            shown = current_link(session, funder)
    except LinkError as exc:
        fail(str(exc))
    data = None if shown is None else {
        "funder": funder, "org_id": shown.org_id, "org_name": shown.org_name, "method": shown.method,
        "confidence": shown.confidence, "confirmed": shown.confirmed, "confirmed_by": shown.confirmed_by}
    if fmt is Format.json:
        typer.echo(json.dumps(data or {"funder": funder, "org_id": None}, indent=2, ensure_ascii=False))
    elif data is None or data["org_id"] is None:
        state = "confirmed: no 360Giving data" if data and data["confirmed"] else "not linked"
        console.print(f"{funder}: {state}", highlight=False)
    else:
        how = "confirmed" if data["confirmed"] else f"{data['method']}, confidence {data['confidence']:.2f}"
        console.print(f"{funder} -> {data['org_id']} {data['org_name'] or ''} ({how})", highlight=False)
