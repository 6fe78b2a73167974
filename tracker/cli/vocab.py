"""`tracker vocab ...`: the keys needs and filters accept, with their labels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.table import Table

from tracker.cli.common import console, fail
from tracker.vocab import area_entries, org_type_entries, theme_entries

app = typer.Typer(help="The vocabulary: themes, organisation types and areas.", no_args_is_help=True)
Search = Annotated[str, typer.Argument(metavar="SEARCH", help="only entries whose key or label contains this",
                                       show_default=False)]


def _show(what: str, entries: Callable[[str], list[tuple[str, str]]], search: str, label: str) -> None:
    rows = entries(search)
    if not rows:
        fail(f"no {what} matching {search!r}; `tracker vocab {what}` lists them all")
    table = Table(title=f"{len(rows)} {what}" + (f" matching {search!r}" if search else ""))
    table.add_column("key", overflow="fold")
    table.add_column(label, overflow="fold")
    for key, text in rows:
        table.add_row(key, text)
    console.print(table)


@app.command("themes")
def themes(search: Search = "") -> None:
    """Theme keys (for --theme and needs files) and what each covers."""
    _show("themes", theme_entries, search, "covers")


@app.command("org-types")
def org_types(search: Search = "") -> None:
    """Organisation type keys (for --applicant and --partner)."""
    _show("org-types", org_type_entries, search, "label")


@app.command("areas")
def areas(search: Search = "") -> None:
    """Area names (for --area) and the areas each lies in."""
    _show("areas", area_entries, search, "where")
