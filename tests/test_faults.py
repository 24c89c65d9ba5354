"""Faults: processes killed in the middle of an import, read-only and full media, databases that
are not (or no longer) archives this version can use.

Kills are real SIGKILLs of real processes (the `archive` CLI started with `python -m`, and forked
import loops that start in milliseconds), at seeded random moments and at fixed points inside
the transaction (hooks installed by the child itself, not by src/). After every kill the archive
must open, pass SQLite's integrity check, and hold only complete revisions: each has the items
that parsing its stored source again yields, no source or edition is orphaned, and every import
the child reported as committed is there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_2023, ROOT, SEED, Cli, archive_from_the_future, snapshot
from tests.helpers_proc import check_archive, counts, fork_loop, write_variants

SEED_RANDOM = 20241115
LOOP_KILLS = {"sqlite": 24, "postgresql": 12}
CLI_KILLS = {"sqlite": 6, "postgresql": 3}
OUTCOME = re.compile(r"^(\S+): (imported|revised) (\d{4}) revision (\d+) ")
UNCHANGED = re.compile(r"^(\S+): (\d{4}) already in the archive .*\(revision (\d+)\)")


def one_line_error(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("Error: "), output
    return lines[0]


def engine_name(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def read_lines(fd: int, until: float) -> Iterator[str]:
    """Lines from a pipe until EOF or the deadline."""
    buffer = b""
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], max(0.0, until - time.monotonic()))
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield line.decode()
    if buffer:
        yield buffer.decode()


def sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revisions_with_sources(url: str) -> set[tuple[int, int, str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT e.year, r.number, s.sha256 FROM revision r JOIN edition e "
                "ON e.id = r.edition_id JOIN source s ON s.id = r.source_id")).all()
        return {(int(y), int(n), str(h)) for y, n, h in rows}
    finally:
        engine.dispose()


def changing_files(
    pool: list[Path], archived: set[tuple[int, int, str]], rng: random.Random, count: int
) -> list[Path]:
    """`count` files of distinct years, each differing from its year's latest revision, so that
    every import writes (imported or revised) and the N-th import is the N-th transaction."""
    latest: dict[int, tuple[int, str]] = {}
    for year, number, sha in archived:
        if number > latest.get(year, (0, ""))[0]:
            latest[year] = (number, sha)
    by_year: dict[int, list[Path]] = {}
    for path in pool:
        by_year.setdefault(int(path.name[:4]), []).append(path)
    chosen = []
    for year in rng.sample(sorted(by_year), count):
        options = [p for p in by_year[year] if sha_of(p) != latest.get(year, (0, ""))[1]]
        chosen.append(rng.choice(options))
    return chosen


class KillRun:
    """One child, killed; what it reported before dying."""

    def __init__(self, mode: str, files: list[Path]) -> None:
        self.mode = mode
        self.files = files
        self.reported: list[tuple[str, str, int, int]] = []  # name, action, year, revision
        self.killed = False
        self.crash: str | None = None


def run_forked(url: str, mode: str, files: list[Path], rng: random.Random) -> KillRun:
    """A forked import loop: "random" is killed after a random delay once it is ready,
    "flush:N"/"commit:N" kill themselves inside the N-th import's transaction."""
    run = KillRun(mode, files)
    pid, fd = fork_loop(url, mode if mode != "random" else "none", [str(f) for f in files])
    try:
        lines = read_lines(fd, time.monotonic() + 60)
        for line in lines:
            if line == "ready":
                break
        if mode == "random":
            time.sleep(rng.uniform(0.0, 0.015 * len(files)))
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for line in lines:
            parts = line.split()
            if parts and parts[0] == "committed":
                run.reported.append((parts[1], parts[2], int(parts[3]), int(parts[4])))
            elif parts and parts[0] == "crash":
                run.crash = line
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    run.killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return run


def run_cli(url: str, files: list[Path], rng: random.Random, early: bool) -> KillRun:
    """The real CLI in a new interpreter, killed either at a random moment from its start
    (start-up, opening the archive or an import) or at a random moment after its first import."""
    run = KillRun("cli-early" if early else "cli", files)
    proc = subprocess.Popen(
        [sys.executable, "-m", "resolution_archive", "--db", url, "import", "--revise",
         *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    collected: list[str] = []
    if early:
        time.sleep(rng.uniform(0.1, 1.2))
        proc.send_signal(signal.SIGKILL)
    else:
        lines = read_lines(fd, time.monotonic() + 60)
        collected += [next(lines, "")]
        time.sleep(rng.uniform(0.0, 0.015 * len(files)))
        proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    collected += out.decode().splitlines()
    for line in collected:
        if m := OUTCOME.match(line):
            run.reported.append((m.group(1), m.group(2), int(m.group(3)), int(m.group(4))))
        elif m := UNCHANGED.match(line):
            run.reported.append((m.group(1), "unchanged", int(m.group(2)), int(m.group(3))))
    if err and b"Traceback" in err:
        run.crash = err.decode()[-2000:]
    run.killed = proc.returncode == -signal.SIGKILL
    return run


@pytest.mark.slow
def test_sigkill_mid_import_leaves_a_sound_archive(db_url: str, tmp_path: Path) -> None:
    engine = engine_name(db_url)
    rng = random.Random(SEED_RANDOM)
    years = list(range(2030, 2070))
    pool = write_variants(tmp_path / "texts", years, 1) + write_variants(
        tmp_path / "texts", years, 2)
    by_name = {p.name: p for p in pool}
    plan = ["cli-early", "cli"] * (CLI_KILLS[engine] // 2) + ["cli"] * (CLI_KILLS[engine] % 2)
    plan += ["random", "flush", "commit"] * (LOOP_KILLS[engine] // 3)
    rng.shuffle(plan)
    plan.insert(0, plan.pop(plan.index("cli-early")))  # the first kill may hit the migration
    problems: list[str] = []
    killed = 0
    for n, kind in enumerate(plan):
        before = revisions_with_sources(db_url) if n else set()
        files = changing_files(pool, before, rng, 10)
        if kind.startswith("cli"):
            run = run_cli(db_url, files, rng, early=kind == "cli-early")
        elif kind == "random":
            run = run_forked(db_url, "random", files, rng)
        else:
            run = run_forked(db_url, f"{kind}:{rng.randint(1, len(files))}", files, rng)
        killed += run.killed
        label = f"run {n} ({run.mode})"
        if run.crash:
            problems.append(f"{label}: crashed instead of being killed: {run.crash}")
        if not run.killed and len(run.reported) < len(files):
            problems.append(f"{label}: neither killed nor finished ({len(run.reported)} imports)")
        if kind in ("flush", "commit") and not run.killed:
            problems.append(f"{label}: the in-transaction kill did not happen")
        if any(r[1] == "unchanged" for r in run.reported):
            problems.append(f"{label}: an import of changed content said unchanged")
        problems += [f"{label}: {p}" for p in check_archive(db_url)]
        after = revisions_with_sources(db_url)
        if not before <= after:
            problems.append(f"{label}: committed revisions disappeared: {before - after}")
        for name, _action, year, number in run.reported:  # acknowledged means durable
            if (year, number, sha_of(by_name[name])) not in after:
                problems.append(f"{label}: reported {name} as {year}@{number} but it is not there")
        new = len(after - before)
        reported_new = sum(1 for r in run.reported if r[1] != "unchanged")
        in_flight_may_land = kind not in ("flush", "commit")
        if not reported_new <= new <= reported_new + in_flight_may_land:
            problems.append(f"{label}: {new} new revisions, {reported_new} reported")
    final = counts(db_url)
    print(f"\n[faults] {engine}: {len(plan)} runs, {killed} killed by SIGKILL mid-work, "
          f"archive after: {final}, problems: {len(problems)}")
    assert problems == [], "\n".join(problems)
    # random moments can fall after a short run has finished (then it is checked all the same)
    assert killed >= len(plan) * 0.7, f"only {killed} of {len(plan)} runs were really killed"
    assert final["revision"] > 0


def test_sigkill_while_creating_the_schema(db_url: str, tmp_path: Path) -> None:
    """Killed after the tables are created but before the version stamp: the database is
    still empty (the migration is one transaction), and the next process makes it an archive."""
    from sqlalchemy import create_engine, inspect

    files = write_variants(tmp_path / "texts", [2031, 2032])
    run = run_forked(db_url, "migrate", files, random.Random(0))
    assert run.killed and run.reported == [] and run.crash is None
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    engine.dispose()
    run = run_forked(db_url, "none", files, random.Random(0))
    assert not run.killed and [r[1] for r in run.reported] == ["imported", "imported"]
    assert check_archive(db_url) == []


# --- read-only and full media ---------------------------------------------------------------


def archive_files(directory: Path) -> dict[str, bytes]:
    """The database file and its WAL (the -shm index is shared memory, rewritten by readers)."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())
            if p.name.startswith("archive") and not p.name.endswith("-shm")}


def test_read_only_uri(tmp_path: Path) -> None:
    path = tmp_path / "db" / "archive.sqlite3"
    assert Cli(f"sqlite:///{path}")("import", str(SEED)).exit_code == 0
    ro = Cli(f"sqlite:///file:{path}?mode=ro&uri=true")
    listing = ro("list")
    assert listing.exit_code == 0 and "2024" in listing.output
    # a read-only reader may leave SQLite's (empty) -wal/-shm side files; the writes below must
    # change nothing at all
    before = archive_files(path.parent)
    result = ro("import", str(EXAMPLE_2023))
    assert result.exit_code == 1
    assert "is read-only" in one_line_error(result.output)
    result = ro("import", "--revise", str(EXAMPLE_2023), "--year", "2024")
    assert result.exit_code == 1 and "is read-only" in one_line_error(result.output)
    assert archive_files(path.parent) == before
    assert check_archive(f"sqlite:///{path}") == []

    missing = tmp_path / "db" / "absent.sqlite3"
    result = Cli(f"sqlite:///file:{missing}?mode=ro&uri=true")("list")
    assert result.exit_code == 1 and "cannot open" in one_line_error(result.output)
    assert not missing.exists()


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    """A small filesystem of its own (needs root and CAP_SYS_ADMIN; skips otherwise)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root; this run is not root")
    where = Path(f"/tmp/ra-tmpfs-{uuid.uuid4().hex[:8]}")
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def remount(where: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(where)], check=True)


def test_read_only_filesystem() -> None:
    """Real read-only media (binds root too). An archive in WAL mode cannot even be read there
    without its -shm file, so every command must fail cleanly; nothing may change."""
    with tmpfs("4m") as where:
        url = f"sqlite:///{where}/archive.sqlite3"
        # in a process of its own: a file still open for writing would keep the remount busy
        done = subprocess.run([sys.executable, "-m", "resolution_archive", "--db", url, "import",
                               str(SEED)], capture_output=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        before = archive_files(where)
        remount(where, "ro")
        for args in (("import", str(EXAMPLE_2023)), ("list",), ("show", "2024")):
            result = Cli(url)(*args)
            assert result.exit_code == 1, args
            message = one_line_error(result.output)
            assert "read-only" in message or "writable" in message, message
        assert Cli(f"sqlite:///{where}/new.sqlite3")("list").exit_code == 1
        remount(where, "rw")
        assert archive_files(where) == before
        assert check_archive(url) == []


def test_read_only_file_permissions(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: file permissions do not bind (the read-only URL and "
                    "read-only filesystem tests cover read-only archives)")
    directory = tmp_path / "db"
    url = f"sqlite:///{directory / 'archive.sqlite3'}"
    assert Cli(url)("import", str(SEED)).exit_code == 0
    before = archive_files(directory)
    for p in directory.iterdir():
        p.chmod(0o444)
    directory.chmod(0o555)
    try:
        result = Cli(url)("import", str(EXAMPLE_2023))
        assert result.exit_code == 1
        message = one_line_error(result.output)
        assert "read-only" in message or "writable" in message, message
    finally:
        directory.chmod(0o755)
        for p in directory.iterdir():
            p.chmod(0o644)
    assert archive_files(directory) == before


def fill(where: Path, leave: int) -> Path:
    """Fill the filesystem so that about `leave` bytes stay free."""
    stat = os.statvfs(where)
    free = stat.f_bavail * stat.f_frsize
    filler = where / "filler"
    with filler.open("wb") as out, contextlib.suppress(OSError):
        out.write(b"\0" * max(0, free - leave))
        out.flush()
        os.fsync(out.fileno())
    return filler


def test_full_disk() -> None:
    """A real filesystem that runs out of space during an import, and one that is full
    before the command starts: one-line errors, the archive as before, and after space is
    freed the same import works."""
    with tmpfs("512k") as where:
        url = f"sqlite:///{where}/archive.sqlite3"
        cli = Cli(url)
        assert cli("import", str(SEED)).exit_code == 0
        before = snapshot(url)
        files_before = archive_files(where)
        for leave in (48 * 1024, 0):
            filler = fill(where, leave)
            result = cli("import", str(EXAMPLE_2023))
            assert result.exit_code == 1, result.output
            assert "the disk is full" in one_line_error(result.output)
            filler.unlink()
            assert snapshot(url) == before
            assert archive_files(where)["archive.sqlite3"] == files_before["archive.sqlite3"]
        result = cli("import", str(EXAMPLE_2023))
        assert result.exit_code == 0, result.output
        assert check_archive(url) == []
        assert counts(url)["edition"] == 2


# --- databases this version cannot use --------------------------------------------------------


def test_write_commands_refuse_a_foreign_sqlite_database(tmp_path: Path) -> None:
    """test_store covers `list`; writing commands must refuse before writing anything."""
    path = tmp_path / "notes.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.execute("INSERT INTO notes VALUES ('mine')")
    con.commit()
    con.close()
    before = path.read_bytes()
    cli = Cli(f"sqlite:///{path}")
    for args in (("import", str(SEED)), ("db", "upgrade"), ("diff", "2023", "2024")):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert "not an archive" in one_line_error(result.output)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "notes.sqlite3"] or sorted(
        p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_foreign_postgresql_database(pg_database: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_database)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id integer primary key, amount integer)"))
        conn.execute(text("INSERT INTO invoices VALUES (1, 100)"))
    engine.dispose()
    before = snapshot(pg_database)
    cli = Cli(pg_database)
    for args in (("import", str(SEED)), ("list",), ("db", "upgrade")):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert "not an archive" in one_line_error(result.output)
    assert snapshot(pg_database) == before


def test_truncated_archive(tmp_path: Path) -> None:
    """An archive file cut short (a failed copy): a one-line error, the file left alone."""
    good = tmp_path / "good.sqlite3"
    assert Cli(f"sqlite:///{good}")("import", str(SEED)).exit_code == 0
    assert Cli(f"sqlite:///{good}")("import", str(EXAMPLE_2023)).exit_code == 0
    with sqlite3.connect(good) as con:  # fold the WAL in so the main file holds everything
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = good.read_bytes()
    assert len(data) > 16384
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(data[: len(data) // 2])
    before = cut.read_bytes()
    cli = Cli(f"sqlite:///{cut}")
    for args in (("list",), ("show", "2024"), ("import", str(EXAMPLE_2023))):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        one_line_error(result.output)
    assert cut.read_bytes() == before


def test_newer_schema_refuses_writes_and_upgrades(db_url: str) -> None:
    """test_store covers `list`; import, diff and `db upgrade` must refuse too, untouched."""
    cli = archive_from_the_future(db_url)
    before = snapshot(db_url)
    for args in (("import", str(EXAMPLE_2023)), ("db", "upgrade"), ("diff", "2024", "2024"),
                 ("show", "2024")):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert "newer than this version" in one_line_error(result.output)
    assert snapshot(db_url) == before
