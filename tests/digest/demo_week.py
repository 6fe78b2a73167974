"""The demo week's digest, as `tracker demo` writes it (README): the real command in a
child process with its own home, the bundled funder web on loopback, the digest in the
outbox."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from pathlib import Path

TRACKER = str(Path(sys.executable).with_name("tracker"))


def demo_digest(workdir: Path) -> tuple[bytes, EmailMessage]:
    """(the .eml as written, parsed) of the one digest `tracker demo` writes in `workdir`."""
    home = workdir / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(TRACKER_HOME=str(home), COLUMNS="200")
    done = subprocess.run([TRACKER, "demo"], env=env, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"tracker demo exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    emls = sorted((home / "outbox").glob("*.eml"))
    assert len(emls) == 1, done.stdout
    raw = emls[0].read_bytes()
    return raw, email.message_from_bytes(raw, policy=policy.default)
