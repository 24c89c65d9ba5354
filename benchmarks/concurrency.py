"""Concurrent import throughput and error counts on SQLite and (if configured) PostgreSQL.

    .venv/bin/python benchmarks/concurrency.py [--processes 8] [--years 24] [--per-process 18]

N real processes run the `archive` CLI (import, then diffs, then more imports) against one
empty archive per engine, as tests/test_concurrency.py does, with more texts. Prints imports per
second (attempts, including "unchanged" ones, over wall time from the start of the processes),
how many imports landed, and every error. PostgreSQL runs when ARCHIVE_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers_proc import check_archive, counts, run_concurrent  # noqa: E402


def bench(label: str, url: str, args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as work:
        run = run_concurrent(url, Path(work), processes=args.processes, years=args.years,
                             per_process=args.per_process, seed=args.seed, diffs=args.diffs)
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    for record in run["records"]:
        if record.get("exception"):
            errors.append(f"{record['cmd']}: {record['exception']}")
        if record["cmd"] == "import":
            for line in record["stdout"].splitlines():
                outcomes["unchanged" if "already in the archive" in line else
                         "imported" if ": imported " in line else "other"] += 1
            errors += [line for line in record["stderr"].splitlines() if line.strip()]
        else:
            outcomes[f"{record['cmd']} ok" if record["exit"] == 0 else "diff failed"] += 1
            if record["exit"] != 0:
                errors.append(f"{record['cmd']} {record['years']}: {record['stderr'][:300]}")
    errors += run["crashes"]
    attempts = outcomes["imported"] + outcomes["unchanged"] + outcomes["other"]
    table = counts(url)
    problems = check_archive(url)
    print(f"{label}: {args.processes} processes, {attempts} import attempts in "
          f"{run['wall']:.1f} s = {attempts / run['wall']:.1f} imports/s; "
          f"landed {outcomes['imported']} (years {len(run['years'])}), "
          f"unchanged {outcomes['unchanged']}, diffs ok "
          f"{outcomes['diff-cli ok'] + outcomes['diff-engine ok']}, errors {len(errors)}")
    print(f"  rows: {table}; archive check: {problems or 'ok'}")
    for error in errors[:20]:
        print(f"  error: {error}")
    duplicated = outcomes["imported"] != table["edition"] or table["edition"] != table["revision"]
    return 1 if errors or problems or duplicated else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--years", type=int, default=24)
    parser.add_argument("--per-process", type=int, default=18)
    parser.add_argument("--diffs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    status = 0
    with tempfile.TemporaryDirectory() as db_dir:
        status |= bench("sqlite", f"sqlite:///{db_dir}/bench.sqlite3", args)
    pg = os.environ.get("ARCHIVE_TEST_POSTGRES_URL")
    if not pg:
        print("postgresql: skipped (set ARCHIVE_TEST_POSTGRES_URL)")
        return status
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    name = f"ra_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(pg).set(database=name).render_as_string(hide_password=False)
        status |= bench("postgresql", url, args)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return status


if __name__ == "__main__":
    sys.exit(main())
