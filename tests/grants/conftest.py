"""The real `tracker` command in a child process, with its own home and database, and the
real 360Giving files from ../shared/360giving."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TRACKER = str(Path(sys.executable).with_name("tracker"))
SHARED = Path(__file__).resolve().parents[3] / "shared" / "360giving"
if not SHARED.exists():
    SHARED = Path("/work/shared/360giving")
FILES = {name: SHARED / f"{name}-grants.json" for name in ("community-foundations", "lloyds-bank-foundation",
                                                           "power-to-change")}


@pytest.fixture
def tracker(tmp_path: Path, db_url: str) -> Callable[..., subprocess.CompletedProcess]:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, TRACKER_HOME=str(home), TRACKER_DATABASE_URL=db_url, COLUMNS="200")
    env.pop("TRACKER_CONFIG", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([TRACKER, *map(str, args)], env=env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=300)

    run.env = env  # type: ignore[attr-defined]
    run.cwd = tmp_path  # type: ignore[attr-defined]
    return run


def grants_of(name: str) -> list[dict]:
    return json.loads(FILES[name].read_text(encoding="utf-8"))["grants"]
