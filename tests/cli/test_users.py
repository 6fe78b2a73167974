"""`tracker users ...` through the real command: list, disable, enable, reset-password, and the
password rule (at least 10 characters, never empty) on every path that sets one."""

import json

import pytest
from sqlmodel import Session, select

from tracker.db import make_engine
from tracker.models import User
from tracker.users import verify_password

GOOD = "correct horse battery"


def _users(run_tracker) -> dict[str, dict]:
    return {u["email"]: u for u in json.loads(run_tracker("users", "list", "--format", "json").stdout)}


def _user(db_url: str, email: str) -> User:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return session.exec(select(User).where(User.email == email)).one()
    finally:
        engine.dispose()


@pytest.mark.parametrize("password", ["", "short pw", "123456789"])
def test_users_add_refuses_an_empty_or_short_password(run_tracker, password) -> None:
    done = run_tracker("users", "add", "--email", "ann@council.example", input=password + "\n", check=False)
    assert done.returncode == 2
    assert "password" in done.stderr and "at least 10 characters" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert _users(run_tracker) == {}


def test_users_list_disable_enable(run_tracker, db_url) -> None:
    run_tracker("users", "add", "--email", "Ann@Council.example", "--role", "admin", input=GOOD + "\n")
    run_tracker("users", "add", "--email", "bob@council.example", "--digest", input=GOOD + "\n")
    listed = _users(run_tracker)
    assert listed["bob@council.example"] == {"email": "bob@council.example", "name": "", "role": "staff",
                                             "active": True, "digest": True, "password_set": True}
    assert "bob@council.example" in run_tracker("users", "list").stdout
    epoch = _user(db_url, "bob@council.example").session_epoch

    done = run_tracker("users", "disable", "BOB@council.example")
    assert "disabled" in done.stdout
    assert _users(run_tracker)["bob@council.example"]["active"] is False
    assert "DISABLED" in run_tracker("users", "list").stdout
    assert _user(db_url, "bob@council.example").session_epoch > epoch  # open sessions end

    run_tracker("users", "enable", "bob@council.example")
    assert _users(run_tracker)["bob@council.example"]["active"] is True

    # the last active admin cannot be disabled: nobody could manage accounts on the web
    last = run_tracker("users", "disable", "ann@council.example", check=False)
    assert last.returncode == 2 and "last active admin" in last.stderr
    unknown = run_tracker("users", "disable", "nobody@council.example", check=False)
    assert unknown.returncode == 2 and "no user with email 'nobody@council.example'" in unknown.stderr


def test_disabled_user_gets_no_digest(run_tracker, tmp_path) -> None:
    run_tracker("users", "add", "--email", "bob@council.example", "--digest", input=GOOD + "\n")
    run_tracker("users", "disable", "bob@council.example")
    done = run_tracker("digest", "preview", "--out", str(tmp_path / "out"))
    assert "no digest to preview" in done.stdout
    assert not list((tmp_path / "out").glob("bob*"))


def test_reset_password_from_stdin_and_generated(run_tracker, db_url) -> None:
    run_tracker("users", "add", "--email", "bob@council.example", input=GOOD + "\n")
    epoch = _user(db_url, "bob@council.example").session_epoch

    short = run_tracker("users", "reset-password", "bob@council.example", input="tiny\n", check=False)
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    empty = run_tracker("users", "reset-password", "bob@council.example", input="", check=False)
    assert empty.returncode == 2 and "password is empty" in empty.stderr
    assert verify_password(GOOD, _user(db_url, "bob@council.example").password_hash)

    run_tracker("users", "reset-password", "bob@council.example", input="a new long password\n")
    user = _user(db_url, "bob@council.example")
    assert verify_password("a new long password", user.password_hash) and user.session_epoch > epoch

    done = run_tracker("users", "reset-password", "bob@council.example", "--generate")
    shown = done.stdout.split("(shown once): ")[1].split()[0]
    assert len(shown) >= 10 and verify_password(shown, _user(db_url, "bob@council.example").password_hash)

    unknown = run_tracker("users", "reset-password", "nobody@council.example", "--generate", check=False)
    assert unknown.returncode == 2 and "no user with email" in unknown.stderr and "shown once" not in unknown.stdout


def test_bad_role_lists_the_roles(run_tracker) -> None:
    done = run_tracker("users", "add", "--email", "x@council.example", "--role", "boss", input=GOOD + "\n",
                       check=False)
    assert done.returncode == 2
    assert all(role in done.stderr for role in ("admin", "staff", "viewer"))
