"""`tracker partners suggest`: local organisations that could lead a bid with us."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlmodel import select

from tracker import clock
from tracker.cli.common import ConfigOption, Format, console, fail, open_context
from tracker.format import long_date, money

app = typer.Typer(help="Possible lead partners from 360Giving grant recipients.", no_args_is_help=True)


@app.command("suggest")
def suggest(
    need_id: Annotated[str, typer.Option("--need", metavar="ID", help="the need", show_default=False)],
    call: Annotated[str | None, typer.Option("--call", metavar="URL", help="a call: its themes count too",
                                             show_default=False)] = None,
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Organisations in the need's area funded for its (and the call's) themes, best first:
    name, org_id, grants, themes, latest_award."""
    from tracker.models import Need, Opportunity
    from tracker.normalize.urls import canonical_url
    from tracker.partners import suggest_partners, themes_for

    ctx = open_context(config)
    with ctx.session() as session:
        need = session.get(Need, need_id)
        if need is None:
            fail(f"--need: no need has the id {need_id!r} (tracker needs list)")
        opp = None
        if call is not None:
            opp = session.exec(select(Opportunity).where(Opportunity.url == call)).first() or session.exec(
                select(Opportunity).where(Opportunity.url == canonical_url(call))).first()
            if opp is None:
                fail(f"--call: no stored call has the address {call}")
        found = suggest_partners(session, need, themes_for(need, opp), clock.today())
    if fmt is Format.json:
        typer.echo(json.dumps([c.as_json() for c in found], indent=2, ensure_ascii=False))
        return
    if not found:
        console.print(f"no imported grant in {need.area} was for these themes", highlight=False)
    for c in found:
        latest = c.latest_award or {}
        console.print(f"{c.name} ({c.org_id}): {c.grants} grant(s); {', '.join(c.themes)}; latest "
                      f"{money(latest.get('amount')) or '?'} from {latest.get('funder') or '?'} "
                      f"{long_date(latest.get('date'))}", highlight=False)
