"""Every command the compose file and the systemd units start is a real `tracker` command with
real options: a renamed flag would otherwise only show when a deployment fails to start."""

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def deploy_commands() -> list[tuple[str, list[str]]]:
    found = []
    for line in (DEPLOY / "compose.yaml").read_text().splitlines():
        m = re.match(r"\s*command:\s*(\[.*\])", line)
        if m:
            found.append(("compose.yaml", json.loads(m.group(1))))
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                found.append((unit.name, shlex.split(line.removeprefix("ExecStart="))))
    for line in (DEPLOY / "Containerfile").read_text().splitlines():
        if line.startswith("CMD "):
            found.append(("Containerfile", json.loads(line.removeprefix("CMD "))))
    return found


def test_the_deployment_starts_scheduler_workers_and_web() -> None:
    started = {args[1] for _, args in deploy_commands()}
    assert {"scheduler", "worker", "serve", "run", "db"} <= started


@pytest.mark.parametrize(("where", "args"), deploy_commands(), ids=lambda v: v if isinstance(v, str) else None)
def test_each_deployed_command_parses(where: str, args: list[str]) -> None:
    assert Path(args[0]).name == "tracker", where
    result = CliRunner().invoke(app, [*args[1:], "--help"])
    assert result.exit_code == 0, f"{where}: {' '.join(args)}: {result.output}"
