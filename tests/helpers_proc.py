"""Helpers for the fault, concurrency and benchmark runs: distinct conference texts per year, an
archive checker, and the child processes (run as `python tests/helpers_proc.py MODE …`).

The child processes are real interpreters doing real work against real databases; nothing in
`src/` knows about them. The kill hooks live here, in the child, as SQLAlchemy event listeners.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "official" / "2024.txt"
SEED_DATE = "令和6年１１月１5日"
LAST_DEMAND = "一、国民健康保険組合の健全な運営を確保すること。"
TABLES = ("series", "edition", "revision", "source", "document", "item")


def variant_text(year: int, revision: int = 1) -> str:
    """The 2024 text moved to `year` (its 和暦 date), with one demand reworded and 0–3 extra
    demands, so that every (year, revision) has distinct content and demand counts vary."""
    seed = SEED.read_text(encoding="utf-8")
    assert SEED_DATE in seed and LAST_DEMAND in seed
    era = year - 2018
    text = seed.replace(SEED_DATE, f"令和{era}年11月15日")
    extra = "".join(
        f"\n一、第{year}回大会の追加要望その{k + 1}を実現すること。"
        for k in range((year + revision) % 4)
    )
    reworded = f"一、国民健康保険組合の健全な運営を確保すること（{year}年第{revision}版）。"
    return text.replace(LAST_DEMAND, reworded + extra)


def write_variants(
    directory: Path, years: list[int], revision: int = 1, encoding: str = "utf-8"
) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for year in years:
        path = directory / f"{year}-r{revision}.txt"
        path.write_bytes(variant_text(year, revision).encode(encoding))
        paths.append(path)
    return paths


def counts(url: str) -> dict[str, int]:
    """Row count of every archive table."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in TABLES
            }
    finally:
        engine.dispose()


def check_archive(url: str) -> list[str]:
    """Every way the archive can be damaged that these tests look for; [] when sound.

    - it opens through the tool (schema current) and SQLite's integrity_check says ok;
    - every revision has exactly its two documents, and the items the parser yields when its
      stored source bytes are parsed again (demand and paragraph counts, content hash);
    - revision numbers of a year run 1..n; no edition without revisions; no source that no
      revision uses.
    """
    from sqlalchemy import func, select

    from resolution_archive.errors import ArchiveError
    from resolution_archive.importer import prepare
    from resolution_archive.store.db import open_archive, session_scope
    from resolution_archive.store.models import Document, Edition, Item, Revision, Source

    problems: list[str] = []
    try:
        engine = open_archive(url)
    except ArchiveError as exc:
        return [f"archive does not open: {exc}"]
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                if result != ["ok"]:
                    problems.append(f"integrity_check: {result[:3]}")
                fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if fk:
                    problems.append(f"foreign_key_check: {fk[:3]}")
        with session_scope(engine) as session:
            for revision in session.scalars(select(Revision)):
                label = f"{revision.edition.year}@{revision.number}"
                source = revision.source
                expected = prepare(source.content, source.filename, year=revision.edition.year)
                kinds = sorted(d.kind for d in revision.documents)
                if kinds != ["declaration", "resolution"]:
                    problems.append(f"{label}: documents {kinds}")
                    continue
                res = revision.document("resolution")
                dec = revision.document("declaration")
                assert res is not None and dec is not None
                if len(res.items) != len(expected.document.demands):
                    problems.append(f"{label}: {len(res.items)} demands stored, source has "
                                    f"{len(expected.document.demands)}")
                if len(dec.items) != len(expected.document.declaration):
                    problems.append(f"{label}: {len(dec.items)} paragraphs stored, source has "
                                    f"{len(expected.document.declaration)}")
                if [i.position for i in res.items] != list(range(1, len(res.items) + 1)):
                    problems.append(f"{label}: demand positions {[i.position for i in res.items]}")
                if revision.content_hash != expected.content_hash:
                    problems.append(f"{label}: content hash does not match its source")
            for edition in session.scalars(select(Edition)):
                numbers = [r.number for r in edition.revisions]
                if numbers != list(range(1, len(numbers) + 1)):
                    problems.append(f"{edition.year}: revision numbers {numbers}")
            orphan_sources = session.scalars(
                select(Source.sha256).where(~Source.id.in_(select(Revision.source_id)))
            ).all()
            if orphan_sources:
                problems.append(f"orphan sources: {len(orphan_sources)}")
            orphan_docs = session.scalar(
                select(func.count(Document.id)).where(~Document.revision_id.in_(
                    select(Revision.id)))
            )
            orphan_items = session.scalar(
                select(func.count(Item.id)).where(~Item.document_id.in_(select(Document.id)))
            )
            if orphan_docs or orphan_items:
                problems.append(f"orphan documents {orphan_docs}, items {orphan_items}")
    finally:
        engine.dispose()
    return problems


def archived_years(url: str) -> dict[int, int]:
    """{year: number of revisions}."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT e.year, count(r.id) FROM edition e JOIN revision r ON r.edition_id = e.id "
                "GROUP BY e.year"
            )).all()
        return {int(y): int(n) for y, n in rows}
    finally:
        engine.dispose()


# --- child processes ---------------------------------------------------------------------------


def _loop(url: str, kill_at: str, files: list[str], out: Any = None) -> None:
    """Import `files` one transaction each (revising changed years), printing
    `committed NAME ACTION YEAR REVISION` after each commit.

    `kill_at` SIGKILLs this process from inside a transaction: "flush:N" right after the rows
    of the N-th (or a later) import are flushed, "commit:N" just before its DBAPI commit,
    "migrate" when creating the schema of a new archive, right before the version stamp.
    """
    from sqlalchemy import event

    from resolution_archive.importer import import_path
    from resolution_archive.store.db import ensure_schema, make_engine, resolve_url, session_scope

    out = out or sys.stdout
    point, _, nth = kill_at.partition(":")
    target = int(nth) if nth else 0
    state = {"import": 0}

    def die(*_args: Any) -> None:
        if state["import"] >= target:
            os.kill(os.getpid(), signal.SIGKILL)

    def die_before_stamp(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO ALEMBIC_VERSION"):
            os.kill(os.getpid(), signal.SIGKILL)

    engine = make_engine(resolve_url(url))
    if point == "migrate":
        event.listen(engine, "before_cursor_execute", die_before_stamp)
    ensure_schema(engine)
    if point == "commit":
        event.listen(engine, "commit", die)  # fires before the DBAPI connection commits
    print("ready", file=out, flush=True)
    for name in files:
        state["import"] += 1
        with session_scope(engine) as session:
            if point == "flush":
                event.listen(session, "after_flush", die)
            outcome = import_path(session, Path(name), series="kokuho-taikai", revise=True)
        print(f"committed {Path(name).name} {outcome.action} {outcome.year} {outcome.revision}",
              file=out, flush=True)
    print("done", file=out, flush=True)
    engine.dispose()


def fork_loop(url: str, kill_at: str, files: list[str]) -> tuple[int, int]:
    """Run `_loop` in a forked child (a real process that starts in milliseconds because the
    modules are already loaded); returns (pid, read end of its output pipe). The caller must
    hold no open database connection when forking."""
    import traceback

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into the caller
        os.close(read)
        code = 0
        try:
            with os.fdopen(write, "w", buffering=1) as out:
                try:
                    _loop(url, kill_at, files, out)
                except BaseException:
                    out.write("crash " + traceback.format_exc().replace("\n", " | ") + "\n")
                    code = 1
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _worker(url: str, spec_file: str) -> None:
    """One concurrent client: the real CLI (`archive import`, `archive diff` when it exists, else
    the diff engine over `load_edition`), run in-process with click's runner. Prints one JSON
    line per command with its exit code, stdout and stderr."""
    from click.testing import CliRunner

    from resolution_archive.cli import main

    spec = json.loads(Path(spec_file).read_text())
    runner = CliRunner()
    has_diff_cli = "diff" in main.commands  # type: ignore[attr-defined]
    for step in spec["steps"]:
        started = time.perf_counter()
        if step[0] == "import":
            result = runner.invoke(main, ["--db", url, "import", *step[1:]])
            record = {"cmd": "import", "files": step[1:], "exit": result.exit_code,
                      "stdout": result.stdout, "stderr": result.stderr,
                      "exception": _unexpected(result)}
        else:
            old, new = step[1], step[2]
            if has_diff_cli:
                result = runner.invoke(main, ["--db", url, "diff", old, new, "--format", "json"])
                record = {"cmd": "diff-cli", "years": [old, new], "exit": result.exit_code,
                          "stdout": result.stdout, "stderr": result.stderr,
                          "exception": _unexpected(result)}
            else:
                record = _engine_diff(url, old, new)
        record["seconds"] = round(time.perf_counter() - started, 4)
        print(json.dumps(record, ensure_ascii=False), flush=True)


def _unexpected(result: Any) -> str | None:
    """A crash (not a clean exit) inside the CLI, as text."""
    exc = result.exception
    if exc is None or isinstance(exc, SystemExit):
        return None
    return f"{type(exc).__name__}: {exc}"


def _engine_diff(url: str, old: str, new: str) -> dict[str, Any]:
    """Load both years in one read transaction and diff their demands."""
    from resolution_archive.diff import diff_items
    from resolution_archive.errors import ArchiveError
    from resolution_archive.store.db import open_archive, session_scope
    from resolution_archive.store.repository import Ref, load_edition

    try:
        engine = open_archive(url)
        with session_scope(engine) as session:
            a = load_edition(session, Ref.parse(old))
            b = load_edition(session, Ref.parse(new))
        engine.dispose()
        result = diff_items(a.demands, b.demands)
        covered_old = sorted(i for c in result.changes for i in c.old)
        covered_new = sorted(j for c in result.changes for j in c.new)
        ok = covered_old == list(range(1, len(a.demands) + 1)) and covered_new == list(
            range(1, len(b.demands) + 1))
        return {"cmd": "diff-engine", "years": [old, new], "exit": 0 if ok else 3,
                "stdout": json.dumps(result.summary), "stderr": "" if ok else "not accounted"}
    except ArchiveError as exc:
        return {"cmd": "diff-engine", "years": [old, new], "exit": 1, "stdout": "",
                "stderr": f"Error: {exc}"}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    mode = sys.argv[1]
    if mode == "loop":
        _loop(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif mode == "worker":
        _worker(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown mode {mode}")


def run_concurrent(
    url: str, workdir: Path, *, processes: int = 8, years: int = 12, per_process: int = 9,
    seed: int = 0, diffs: int = 3, first_year: int = 2030,
) -> dict[str, Any]:
    """`processes` workers start together on the archive at `url` (possibly empty: they race on
    the migration too); each imports an overlapping random subset of `years` distinct texts in its
    own order, in two `archive import` commands, with `diffs` diffs between archived years in
    between. Returns the parsed records of every worker and the wall time."""
    import random
    import subprocess

    rng = random.Random(seed)
    all_years = list(range(first_year, first_year + years))
    paths = write_variants(workdir / "texts", all_years)
    procs = []
    for n in range(processes):
        chosen = rng.sample(paths, per_process)
        half = per_process // 2
        steps: list[list[str]] = [["import", *map(str, chosen[:half])]]
        for _ in range(diffs):
            a, b = sorted(rng.sample(chosen[:half], 2))
            steps.append(["diff", a.name[:4], b.name[:4]])
        steps.append(["import", *map(str, chosen[half:])])
        spec = workdir / f"worker{n}.json"
        spec.write_text(json.dumps({"steps": steps}))
        procs.append(spec)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    running = [
        subprocess.Popen(
            [sys.executable, str(Path(__file__)), "worker", url, str(spec)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for spec in procs
    ]
    outputs = [p.communicate(timeout=300) for p in running]
    wall = time.perf_counter() - started
    records: list[dict[str, Any]] = []
    crashes: list[str] = []
    for proc, (out, err) in zip(running, outputs, strict=True):
        if proc.returncode != 0:
            crashes.append(f"worker exit {proc.returncode}: {err[-2000:]}")
        records += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {"records": records, "crashes": crashes, "wall": wall, "years": all_years,
            "paths": paths}
