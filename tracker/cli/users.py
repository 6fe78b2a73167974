"""`tracker users ...`: accounts, from the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session, select

from tracker.cli.common import ConfigOption, Format, console, fail, open_context
from tracker.models import User
from tracker.users import MIN_PASSWORD, ROLES, UserError

app = typer.Typer(help="User accounts.", no_args_is_help=True)
Role = StrEnum("Role", {r: r for r in ROLES})  # click lists the choices on a wrong one
Email = Annotated[str, typer.Argument(help="the user's email address", show_default=False)]


def _read_password() -> str:
    """One line from stdin, or a hidden prompt (asked twice) on a terminal."""
    if sys.stdin.isatty():
        return typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@app.command("add", help=f"Create a user; the password (at least {MIN_PASSWORD} characters) is read from "
                         "stdin, or prompted for on a terminal.")
def add(
    email: Annotated[str, typer.Option(metavar="EMAIL", show_default=False)],
    role: Annotated[Role, typer.Option()] = Role.staff,
    name: Annotated[str, typer.Option(metavar="NAME", show_default=False)] = "",
    digest_: Annotated[bool, typer.Option("--digest", help="subscribe to the weekly digest",
                                          show_default=False)] = False,
    config: ConfigOption = None,
) -> None:
    from tracker.users import add_user

    password = _read_password()
    ctx = open_context(config)
    try:
        with ctx.session() as session:
            user = add_user(session, email, role.value, password, name=name, digest=digest_)
            console.print(f"added {user.role} {user.email}", highlight=False)
    except UserError as exc:
        fail(str(exc))


@app.command("list")
def list_(fmt: Annotated[Format, typer.Option("--format")] = Format.table, config: ConfigOption = None) -> None:
    """List accounts: role, whether active, digest subscription, whether a password is set."""
    ctx = open_context(config)
    with ctx.session() as session:
        rows = [{"email": u.email, "name": u.name, "role": u.role, "active": u.active, "digest": u.digest,
                 "password_set": bool(u.password_hash)}
                for u in session.exec(select(User).order_by(User.email))]
    if fmt is Format.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(rows)} user(s)")
    for col in ("email", "name", "role", "active", "digest", "password"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["email"], r["name"], r["role"], "yes" if r["active"] else "DISABLED",
                      "yes" if r["digest"] else "no", "set" if r["password_set"] else "none (cannot sign in)")
    console.print(table)


def _change_user(config: str | None, email: str, change: Callable[[Session, User], None]) -> str:
    """Apply `change` to the user with this email, in one transaction; their email as stored."""
    from tracker.users import find_user

    ctx = open_context(config)
    try:
        with ctx.session() as session:
            user = find_user(session, email)
            change(session, user)
            return user.email
    except UserError as exc:
        fail(str(exc))


def _set_active(email: str, active: bool, config: str | None) -> None:
    from tracker.users import set_active

    shown = _change_user(config, email, lambda session, user: set_active(session, user, active))
    console.print(f"{shown}: {'enabled' if active else 'disabled: signed out everywhere, no digest'}",
                  highlight=False)


@app.command("disable")
def disable(email: Email, config: ConfigOption = None) -> None:
    """Disable an account: no sign-in, no digest, every open session ends."""
    _set_active(email, False, config)


@app.command("enable")
def enable(email: Email, config: ConfigOption = None) -> None:
    """Enable a disabled account again."""
    _set_active(email, True, config)


@app.command("reset-password")
def reset_password(
    email: Email,
    generate: Annotated[bool, typer.Option("--generate", help="make a random password and print it once",
                                           show_default=False)] = False,
    config: ConfigOption = None,
) -> None:
    """Set a new password, read from stdin (or --generate one); the user is signed out everywhere."""
    from tracker.users import generate_password, set_password

    password = generate_password() if generate else _read_password()
    shown = _change_user(config, email, lambda session, user: set_password(session, user, password))
    if generate:
        console.print(f"new password for {shown} (shown once): {password}", highlight=False)
    else:
        console.print(f"password changed for {shown}; signed out everywhere", highlight=False)
