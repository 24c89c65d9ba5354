"""Store-level behaviour: transactions, migrations, databases that are not archives."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from resolution_archive.errors import StoreError
from tests.conftest import ROOT, SEED, Cli, archive_from_the_future, snapshot


def test_import_is_one_transaction(db_url: str) -> None:
    """A failure after the rows were written (flushed) leaves nothing behind."""
    from resolution_archive.importer import import_path
    from resolution_archive.store.db import open_archive, session_scope

    engine = open_archive(db_url)
    before = snapshot(db_url)

    class Crash(Exception):
        pass

    with pytest.raises(Crash), session_scope(engine) as session:
        outcome = import_path(session, SEED, series="kokuho-taikai")
        assert outcome.demands == 12  # the rows were really written in this transaction
        raise Crash
    engine.dispose()
    assert snapshot(db_url) == before


def test_migrations_empty_to_head_and_back(db_url: str) -> None:
    from resolution_archive.store.db import current_revision, head_revision, make_engine
    from resolution_archive.store.migrate import upgrade

    engine = make_engine(db_url)
    assert current_revision(engine) is None
    assert upgrade(engine) == (None, head_revision())
    from alembic import command

    from resolution_archive.store.migrate import alembic_config

    command.downgrade(alembic_config(engine), "base")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_db_commands(cli: Cli) -> None:
    from resolution_archive.store.db import head_revision

    assert cli("db", "upgrade").output.strip() == f"schema upgraded from empty to {head_revision()}"
    assert cli("db", "upgrade").output.strip() == f"schema already at {head_revision()}"
    assert cli("db", "current").output.strip() == (
        f"database: {head_revision()}  code: {head_revision()}")


def test_not_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    cli = Cli(f"sqlite:///{path}")
    result = cli("list")
    assert result.exit_code == 1
    assert "is a database but not an archive" in result.output
    assert path.read_bytes() == before


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    before = path.read_bytes()
    result = Cli(f"sqlite:///{path}")("list")
    assert result.exit_code == 1
    assert "is not an SQLite database" in result.output
    assert path.read_bytes() == before


def test_newer_schema_refused(db_url: str) -> None:
    cli = archive_from_the_future(db_url)
    before = snapshot(db_url)
    result = cli("list")
    assert result.exit_code == 1
    assert "newer than this version of resolution-archive knows" in result.output
    assert snapshot(db_url) == before


def test_bad_url() -> None:
    result = Cli("nonsense://")("list")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")


def test_default_location_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from resolution_archive.store.db import resolve_url

    assert resolve_url() == f"sqlite:///{tmp_path / 'home' / 'archive.sqlite3'}"
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", "sqlite:///elsewhere.sqlite3")
    assert resolve_url() == "sqlite:///elsewhere.sqlite3"
    assert resolve_url("sqlite:///given.sqlite3") == "sqlite:///given.sqlite3"


def test_store_error_kind() -> None:
    from resolution_archive.store.db import make_engine

    with pytest.raises(StoreError):
        make_engine("::::")


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; import resolution_archive.cli as c; "
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'sudachipy', 'jinja2', 'docx', 'numpy', "
        "'scipy', 'resolution_archive.report', 'resolution_archive.store') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_migrations_work_from_the_wheel(tmp_path: Path) -> None:
    """Build the wheel and run the migrations from its contents, not from the checkout."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("resolution_archive-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "resolution_archive/migrations/env.py" in names
    assert "resolution_archive/migrations/versions/0001_initial.py" in names
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    db = tmp_path / "wheel.sqlite3"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import resolution_archive.store.db as d, resolution_archive.store.migrate as m; "
        "assert d.__file__.startswith(sys.argv[1]), d.__file__; "
        "print(m.upgrade(d.make_engine(sys.argv[2]))[1], d.head_revision())"
    )
    out = subprocess.run([sys.executable, "-c", code, str(unpacked), f"sqlite:///{db}"],
                         capture_output=True, text=True, check=True)
    from resolution_archive.store.db import head_revision

    assert out.stdout.split() == [head_revision(), head_revision()]


def test_cli_leaves_no_wal_files_behind(tmp_path: Path) -> None:
    path = tmp_path / "tidy.sqlite3"
    cli = Cli(f"sqlite:///{path}")
    assert cli("import", str(SEED)).exit_code == 0
    assert cli("list").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tidy.sqlite3"]


def test_readers_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """While an import holds the write lock, list/show/diff/dump still read a snapshot."""
    import time

    path = tmp_path / "busy.sqlite3"
    cli = Cli(f"sqlite:///{path}")
    assert cli("import", str(SEED)).exit_code == 0
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM item")  # uncommitted: readers must not see it
    try:
        started = time.monotonic()
        listing = cli("list")
        shown = cli("show", "2024", "--format", "json")
        dumped = cli("dump", str(tmp_path / "d.jsonl"))
        elapsed = time.monotonic() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert listing.exit_code == 0 and " 12 " in listing.output
    assert shown.exit_code == 0 and '"number": 12' in shown.output
    assert dumped.exit_code == 0, dumped.output
    assert elapsed < 10  # a blocked reader would wait for the 30 s busy timeout, then fail


READING_COMMANDS = [
    ("list",), ("show", "2024"), ("diff", "2023", "2024"), ("export", "2023", "2024"),
    ("verify",), ("dump", "-"), ("db", "current"),
]


@pytest.mark.parametrize("args", READING_COMMANDS, ids=lambda a: " ".join(a))
def test_reading_a_missing_archive_creates_nothing(tmp_path: Path, args: tuple[str, ...],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo in --db must not leave an empty archive behind and claim it is empty."""
    monkeypatch.chdir(tmp_path)  # export's default file would land here
    path = tmp_path / "wrong" / "path.db"
    result = Cli(f"sqlite:///{path}")(*args)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no archive at {path}: the file does not exist; check --db or "
        "ARCHIVE_DATABASE_URL (`archive db where`), or create one with `archive import FILE`\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [("import", str(SEED)), ("db", "upgrade")],
                         ids=lambda a: a[0])
def test_writing_commands_create_the_archive(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "new" / "archive.sqlite3"
    assert Cli(f"sqlite:///{path}")(*args).exit_code == 0
    assert path.is_file()


def test_restore_creates_the_archive(tmp_path: Path) -> None:
    source = Cli(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    assert source("import", str(SEED)).exit_code == 0
    assert source("dump", str(tmp_path / "a.jsonl")).exit_code == 0
    path = tmp_path / "new" / "restored.sqlite3"
    restored = Cli(f"sqlite:///{path}")
    assert restored("restore", str(tmp_path / "a.jsonl")).exit_code == 0
    assert "2024" in restored("list").output


def test_quick_exit_flushes_everything(tmp_path: Path) -> None:
    """`archive` ends with os._exit after success: the output must still arrive whole, through
    a pipe, and the SQLite files must be closed (no -wal/-shm left)."""
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    cli = Cli(url)
    assert cli("import", str(SEED)).exit_code == 0
    expected = cli("export", "2024", "2024", "--format", "html", "-o", "-").stdout_bytes
    assert len(expected) > 20_000
    done = subprocess.run([sys.executable, "-m", "resolution_archive", "--db", url, "export",
                           "2024", "2024", "--format", "html", "-o", "-"],
                          capture_output=True, check=True)
    assert done.stdout == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite3"]
    failed = subprocess.run([sys.executable, "-m", "resolution_archive", "--db", url, "show",
                             "1999"], capture_output=True, text=True)
    assert failed.returncode == 1 and failed.stderr.startswith("Error: year 1999")
