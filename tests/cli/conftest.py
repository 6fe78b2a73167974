"""Run the real `tracker` command in a child process with its own home and database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TRACKER = str(Path(sys.executable).with_name("tracker"))
AS_OF = "2026-11-26"  # the demo's expected.json holds statuses as of this day


@pytest.fixture
def run_tracker(tmp_path: Path, db_url: str) -> Callable[..., subprocess.CompletedProcess]:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, TRACKER_HOME=str(home), TRACKER_DATABASE_URL=db_url, TRACKER_TODAY=AS_OF,
               COLUMNS="200")
    env.pop("TRACKER_CONFIG", None)

    def run(*args: str, input: str | None = None, check: bool = True, cwd: Path | None = None,
            extra_env: dict | None = None) -> subprocess.CompletedProcess:
        done = subprocess.run([TRACKER, *args], env={**env, **(extra_env or {})}, cwd=cwd or tmp_path, input=input,
                              capture_output=True, text=True, timeout=300)
        if check and done.returncode != 0:
            raise AssertionError(f"tracker {' '.join(args)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done

    run.home = home  # type: ignore[attr-defined]
    return run
