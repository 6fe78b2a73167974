"""The `tracker` command."""

from __future__ import annotations

import typer

from tracker.cli import calls as calls_cmd
from tracker.cli import demo as demo_cmd
from tracker.cli import digest, funder_links, funders, needs, opportunities, partners, sources, users, vocab
from tracker.cli import jobs as jobs_cmd
from tracker.cli import web as web_cmd
from tracker.cli.common import ConfigOption, console, fail, open_context
from tracker.cli.crawl import crawl
from tracker.cli.report import report

app = typer.Typer(help="Funding-opportunity tracker for community-safety teams.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False, rich_markup_mode=None)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)

app.command("crawl")(crawl)
app.command("match")(needs.match)
app.command("demo")(demo_cmd.demo)
app.command("scheduler")(jobs_cmd.scheduler)
app.command("run")(jobs_cmd.run)
app.command("worker")(jobs_cmd.worker)
app.command("serve")(web_cmd.serve)
app.command("report")(report)
app.add_typer(jobs_cmd.app, name="jobs")
app.add_typer(sources.app, name="sources")
app.add_typer(needs.app, name="needs")
app.add_typer(needs.matches_app, name="matches")
app.add_typer(opportunities.app, name="opportunities")
app.add_typer(calls_cmd.app, name="calls")
app.add_typer(digest.app, name="digest")
app.add_typer(db_app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(vocab.app, name="vocab")
app.add_typer(partners.app, name="partners")
funders.app.command("link")(funder_links.link)
app.add_typer(funders.app, name="funders")


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None) -> None:
    """Apply database migrations (also done on every start)."""
    from tracker.db import current_revision

    ctx = open_context(config, sync=False)
    console.print(f"database at revision {current_revision(ctx.engine)}", highlight=False)


__all__ = ["app", "fail"]
