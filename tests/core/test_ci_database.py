"""CI sets TRACKER_TEST_DATABASE_URL: a PostgreSQL that does not answer fails the run with
one clear line, it does not turn every PostgreSQL test into a skip."""

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_unreachable_postgres_fails_the_postgres_runs_with_a_clear_message() -> None:
    # A bound but never listening socket: connections to it are refused for as long as we hold it.
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        url = f"postgresql://postgres@127.0.0.1:{held.getsockname()[1]}/test"
        env = dict(os.environ, TRACKER_TEST_DATABASE_URL=url)
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "tests/core/test_migrations.py::test_models_match_the_migrations"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout
    assert f"TRACKER_TEST_DATABASE_URL={url} is set but PostgreSQL does not answer" in done.stdout
    assert "1 passed" in done.stdout and "1 error" in done.stdout and "skipped" not in done.stdout
