"""The lock files are what README's commands, CI and the container install: every dependency
pyproject.toml names must be pinned there, at a version pyproject allows, with hashes, or a
fresh install fails (or quietly runs something untested). deploy/lock.sh refreshes them."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for each `name==version \\ --hash=...` entry."""
    found: dict[str, tuple[str, int]] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", lock.read_text()):
        head = re.match(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", entry)
        if head:
            found[canonicalize_name(head.group(1))] = (head.group(2), entry.count("--hash=sha256:"))
    return found


@pytest.mark.parametrize(("lock_name", "requirements"), [
    ("requirements.lock", PYPROJECT["dependencies"]),
    ("requirements-test.lock", PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"]),
])
def test_every_dependency_is_pinned_with_hashes_at_an_allowed_version(lock_name: str,
                                                                       requirements: list[str]) -> None:
    locked = pins(ROOT / lock_name)
    problems = []
    for line in requirements:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        if name not in locked:
            problems.append(f"{req.name} is not in {lock_name}")
            continue
        version, hashes = locked[name]
        if not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}=={version} in {lock_name} is outside {req.specifier}")
        if hashes == 0:
            problems.append(f"{req.name} has no hash in {lock_name}")
    assert not problems, "run deploy/lock.sh: " + "; ".join(problems)


def test_readme_ci_and_container_install_from_the_lock_files() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "--require-hashes -r requirements.lock" in readme
    assert "--require-hashes -r requirements-test.lock" in readme
    assert "--require-hashes -r requirements-test.lock" in ci
    assert "--require-hashes -r requirements.lock" in (ROOT / "deploy" / "Containerfile").read_text()
