#!/bin/sh
# Refresh the lock files (exact versions with hashes) from pyproject.toml:
#   deploy/lock.sh              keep current pins where pyproject allows them
#   deploy/lock.sh --upgrade    move every pin to the newest allowed release
# README's commands, CI (.ci/run) and deploy/Containerfile install from these files.
set -eu
cd "$(dirname "$0")/.."
[ -x .venv-lock/bin/uv ] || { python3 -m venv .venv-lock && .venv-lock/bin/pip install -q 'uv==0.13.9'; }
for target in main test; do
  out=requirements.lock
  extra=""
  if [ "$target" = test ]; then out=requirements-test.lock; extra="--extra test"; fi
  # --universal: one file for every platform (markers), so the container and CI agree.
  .venv-lock/bin/uv pip compile pyproject.toml $extra --generate-hashes --universal \
    --python-version 3.11 --no-header --quiet "$@" -o "$out"
  echo "wrote $out"
done
