"""`tracker calls rounds URL`: the rounds grouped with a call, and its fund's forecast."""

from __future__ import annotations

import json
from typing import Annotated, Literal

import typer
from sqlmodel import select

from tracker import clock
from tracker.cli.common import ConfigOption, console, fail, open_context
from tracker.csvout import write_csv

app = typer.Typer(help="Calls across rounds and years.", no_args_is_help=True)
FIELDS = ("url", "title", "funder", "opens", "opened", "opened_estimated", "deadline", "status", "amount_min",
          "amount_max", "bid_status", "amount_requested", "amount_awarded")


def _day(value) -> str | None:  # noqa: ANN001
    return value.isoformat() if value else None


@app.command("rounds")
def rounds(
    url: Annotated[str, typer.Argument(help="the call's address, as stored")],
    fmt: Annotated[Literal["json", "csv", "table"], typer.Option("--format")] = "table",
    config: ConfigOption = None,
) -> None:
    """The call's fund: every stored round (oldest first), our bids and outcomes, and when
    the fund is expected to open again (expected_open: YYYY-MM or null)."""
    from tracker.fund_rounds import fund_of
    from tracker.models import Opportunity
    from tracker.normalize.urls import canonical_url

    ctx = open_context(config)
    with ctx.session() as session:
        opp = session.exec(select(Opportunity).where(Opportunity.url == url)).first() or session.exec(
            select(Opportunity).where(Opportunity.url == canonical_url(url))).first()
        if opp is None:
            fail(f"no stored call has the address {url}")
        fund = fund_of(session, opp, clock.today())
    rows = [{"url": r.url, "title": r.title, "funder": r.funder, "opens": _day(r.opens), "opened": _day(r.opened),
             "opened_estimated": r.estimated, "deadline": _day(r.deadline), "status": r.status,
             "amount_min": r.amount_min, "amount_max": r.amount_max, "bid_status": r.bid_status,
             "amount_requested": r.amount_requested, "amount_awarded": r.amount_awarded} for r in fund.rounds]
    if fmt == "json":
        typer.echo(json.dumps({"url": opp.url, "rounds": rows, "expected_open": fund.forecast.month,
                               "evidence": fund.forecast.evidence, "note": fund.forecast.note},
                              indent=2, ensure_ascii=False))
    elif fmt == "csv":
        text = write_csv(FIELDS, rows)
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        for row in rows:
            console.print(f"{row['opened'] or '?':10}  {row['deadline'] or '?':10}  {row['status']:8}  "
                          f"{row['bid_status'] or '-':12}  {row['title']}", highlight=False, markup=False)
        console.print(fund.forecast.words or f"no forecast: {fund.forecast.note}", highlight=False, markup=False)
