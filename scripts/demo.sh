#!/usr/bin/env bash
# The main job on the embedded default (SQLite): install into .venv, import the bundled texts
# (the official 2024 text and the EXAMPLE 2022/2023 texts), list them and compare 2023 with 2024.
# The archive is the default one (see `archive db where`); set ARCHIVE_DATABASE_URL to use another.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
A=.venv/bin/archive
echo "\$ archive db where";                      $A db where
echo "\$ archive import data/official/2024.txt data/examples/2023.txt data/examples/2022.txt"
$A import data/official/2024.txt data/examples/2023.txt data/examples/2022.txt
echo "\$ archive list";                           $A list
echo "\$ archive diff 2023 2024";                 $A diff 2023 2024
echo
echo "archive is installed in .venv/bin. To type the README's commands yourself, put it on the PATH:"
echo "    source .venv/bin/activate      # then: archive diff 2023 2024"
