"""The tracker runs numpy's BLAS on one thread unless the operator says otherwise."""

from __future__ import annotations

import os
import subprocess
import sys

SHOW = "import tracker, numpy, os; print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])"


def _run(env: dict[str, str]) -> str:
    return subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_importing_the_tracker_keeps_blas_to_one_thread_unless_set() -> None:
    bare = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    assert _run(bare) == "1 1"
    assert _run({**bare, "OPENBLAS_NUM_THREADS": "4"}) == "4 1"
