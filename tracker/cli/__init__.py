"""The `tracker` command."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tracker.cli import demo as demo_cmd
from tracker.cli import digest, needs, opportunities, sources
from tracker.cli import jobs as jobs_cmd
from tracker.cli import web as web_cmd
from tracker.cli.common import ConfigOption, console, fail, open_context
from tracker.cli.crawl import crawl

app = typer.Typer(help="Funding-opportunity tracker for community-safety teams.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)

app.command("crawl")(crawl)
app.command("match")(needs.match)
app.command("demo")(demo_cmd.demo)
app.command("scheduler")(jobs_cmd.scheduler)
app.command("run")(jobs_cmd.run)
app.command("serve")(web_cmd.serve)
app.add_typer(jobs_cmd.app, name="jobs")
app.add_typer(sources.app, name="sources")
app.add_typer(needs.app, name="needs")
app.add_typer(needs.matches_app, name="matches")
app.add_typer(opportunities.app, name="opportunities")
app.add_typer(digest.app, name="digest")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None) -> None:
    """Apply database migrations (also done on every start)."""
    from tracker.db import current_revision

    ctx = open_context(config, sync=False)
    console.print(f"database at revision {current_revision(ctx.engine)}", highlight=False)


@users_app.command("add")
def users_add(
    email: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="admin | staff | viewer")] = "staff",
    name: Annotated[str, typer.Option()] = "",
    digest_: Annotated[bool, typer.Option("--digest", help="subscribe to the weekly digest")] = False,
    config: ConfigOption = None,
) -> None:
    """Create a user; the password is read from stdin (or prompted for on a terminal)."""
    from tracker.users import UserError, add_user

    if sys.stdin.isatty():
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    ctx = open_context(config)
    try:
        with ctx.session() as session:
            user = add_user(session, email, role, password, name=name, digest=digest_)
            console.print(f"added {user.role} {user.email}", highlight=False)
    except UserError as exc:
        fail(str(exc))


__all__ = ["app", "fail"]
