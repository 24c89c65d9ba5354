#!/usr/bin/env bash
# The whole test suite from nothing: a virtual environment with the project and its test tools,
# then lint, types, model/migration agreement and pytest. PostgreSQL tests run when
# ARCHIVE_TEST_POSTGRES_URL is set (.ci/run starts a server and sets it); browser and LibreOffice
# tests run when chromium / soffice are installed (ARCHIVE_TEST_REQUIRE_ALL=1, as .ci/run sets,
# makes every one of them required). Extra arguments go to pytest. Everything temporary (the
# alembic-check database, pytest's tmp_path folders, what the tools under test write) lives in
# one folder that is removed at the end, so a run leaves nothing in /tmp.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
echo "== ruff"
.venv/bin/ruff check src tests benchmarks
echo "== mypy"
.venv/bin/mypy
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ra-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"
echo "== alembic check (models and migrations agree)"
tmpdb=$scratch/check.sqlite3
ARCHIVE_DATABASE_URL="sqlite:///$tmpdb" .venv/bin/archive db upgrade >/dev/null
ARCHIVE_DATABASE_URL="sqlite:///$tmpdb" .venv/bin/alembic check
echo "== pytest"
.venv/bin/python -m pytest "$@"
