"""store.read: the reading commands' plain-SQL queries, on sqlite3 directly and under SQLAlchemy.

The quick path (stdlib sqlite3 on the file, no SQLAlchemy) must give exactly what the session
path gives, and must step aside — creating nothing — whenever `open_archive` has something to
refuse or migrate.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from resolution_archive.errors import NotFound, StoreError
from resolution_archive.store import read
from resolution_archive.store.records import EditionRecord, EditionSummary, Ref
from resolution_archive.store.schema import sqlite_path
from tests.conftest import DATA, SEED, Cli

BUNDLED = [SEED, DATA / "examples" / "2023.txt", DATA / "examples" / "2022.txt"]


def filled(url: str, tmp_path: Path) -> Cli:
    """The bundled years, plus a second revision of 2024, in the archive at `url`."""
    cli = Cli(url)
    assert cli("import", *map(str, BUNDLED)).exit_code == 0
    revised = tmp_path / "2024.txt"
    revised.write_text(SEED.read_text("utf-8").replace("こども", "子ども", 1), "utf-8")
    assert cli("import", str(revised), "--revise").exit_code == 0
    return cli


REFS = [Ref(2022), Ref(2023), Ref(2024), Ref(2024, 1), Ref(2024, 2)]
MISSING = [Ref(1999), Ref(2024, 3), Ref(2023, 2)]


def through_session(url: str, refs: list[Ref]) -> tuple[list[EditionSummary],
                                                       list[EditionRecord], list[str]]:
    from resolution_archive.store.db import open_archive, session_scope
    from resolution_archive.store.repository import list_editions, load_edition

    engine = open_archive(url, create=False)
    try:
        with session_scope(engine, read_only=True) as session:
            records = [load_edition(session, ref) for ref in refs]
            errors: list[str] = []
            for ref in MISSING:
                with pytest.raises(NotFound) as caught:
                    load_edition(session, ref)
                errors.append(str(caught.value))
            return list_editions(session), records, errors
    finally:
        engine.dispose()


def test_session_path_reads_every_revision(db_url: str, tmp_path: Path) -> None:
    """On both engines: the right revision, its texts, dates and source, the list of years."""
    filled(db_url, tmp_path)
    listing, records, errors = through_session(db_url, REFS)
    assert [(s.year, str(s.date), s.demands, s.revision, s.status) for s in listing] == [
        (2022, "2022-11-17", 13, 1, "example"), (2023, "2023-11-16", 14, 1, "example"),
        (2024, "2024-11-15", 12, 2, "unknown")]
    latest, first, second = records[2], records[3], records[4]
    assert latest == second != first
    assert (first.revision, second.revision, second.revisions) == (1, 2, 2)
    changed = [(a, b) for a, b in zip(first.demands, second.demands, strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1] == changed[0][0].replace("こども", "子ども", 1)
    assert str(first.date) == "2024-11-15" and first.source.imported_at.tzinfo is not None
    assert (len(records[0].demands), len(records[0].paragraphs)) == (13, 6)
    assert errors == [
        "year 1999 is not in the archive (years: 2022, 2023, 2024)",
        "2024 has no revision 3 (revisions 1–2); use 2024 for the latest",
        "2023 has no revision 2 (only revision 1); use 2023 for the latest",
    ]


def test_quick_path_reads_the_same_as_the_session_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    filled(url, tmp_path)
    listing, records, expected_errors = through_session(url, REFS)
    with read.open_sqlite_reader(url) as reader:
        assert reader is not None
        assert read.list_editions(reader) == listing
        assert [read.load_edition(reader, ref) for ref in REFS] == records
        errors = []
        for ref in MISSING:
            with pytest.raises(NotFound) as caught:
                read.load_edition(reader, ref)
            errors.append(str(caught.value))
        assert not read.has_decisions(reader, "kokuho-taikai", 2023, 2024)
    assert errors == expected_errors


def test_has_decisions_names_the_years(db_url: str) -> None:
    cli = Cli(db_url)
    assert cli("import", *map(str, BUNDLED)).exit_code == 0
    assert cli("link", "2023:8", "2024:7", "--as", "reworded", "--by", "sato").exit_code == 0
    from resolution_archive.store.db import open_archive, session_scope

    engine = open_archive(db_url, create=False)
    try:
        with session_scope(engine, read_only=True) as session:
            reader = read.Reader.of_session(session)
            assert read.has_decisions(reader, "kokuho-taikai", 2023, 2024)
            assert not read.has_decisions(reader, "kokuho-taikai", 2024, 2023)
            assert not read.has_decisions(reader, "kokuho-taikai", 2022, 2024)
            assert not read.has_decisions(reader, "other-series", 2023, 2024)
    finally:
        engine.dispose()


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:///archive.sqlite3", "archive.sqlite3"),
    ("sqlite+pysqlite:////tmp/a b/x.db", "/tmp/a b/x.db"),
    ("sqlite://", None), ("sqlite:///:memory:", None), ("sqlite:///file:x.db?mode=ro", None),
    ("sqlite:///x.db?timeout=3", None), ("sqlite:///x%20y.db", None),
    ("sqlite+aiosqlite:///x.db", None), ("postgresql+psycopg://u@h/db", None),
])
def test_sqlite_path_accepts_only_plain_file_urls(url: str, expected: str | None) -> None:
    assert sqlite_path(url) == (Path(expected) if expected else None)


def test_quick_path_steps_aside(tmp_path: Path) -> None:
    """Missing file (nothing created), not a database, not an archive, an older schema."""
    missing = tmp_path / "missing" / "archive.sqlite3"
    with read.open_sqlite_reader(f"sqlite:///{missing}") as reader:
        assert reader is None
    assert not missing.parent.exists()

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE people (name TEXT)")
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    for path in (garbage, other, old):
        before = path.read_bytes()
        with read.open_sqlite_reader(f"sqlite:///{path}") as reader:
            assert reader is None
        assert path.read_bytes() == before


def test_quick_path_errors_are_store_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    assert Cli(url)("import", str(SEED)).exit_code == 0
    message = r"^cannot use sqlite:///.*archive.sqlite3: no such table: no_such_table$"
    with pytest.raises(StoreError, match=message), read.open_sqlite_reader(url) as reader:
        assert reader is not None
        reader.rows("SELECT * FROM no_such_table")


def test_reading_commands_do_not_load_sqlalchemy(db_url: str, tmp_path: Path) -> None:
    """list, show, diff, export, timeline, history and search on an archive at head (SQLite,
    PostgreSQL) run without SQLAlchemy (the reason store.read exists); with a reviewer's
    decision between the two years, diff loads it to apply the decision."""
    url = db_url
    cli = Cli(url)
    assert cli("import", *map(str, BUNDLED)).exit_code == 0
    probe = ("import sys, json\nfrom resolution_archive.cli import main\n"
             "try:\n    main(sys.argv[1:], prog_name='archive')\nexcept SystemExit:\n    pass\n"
             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'sqlalchemy', 'alembic'})), file=sys.stderr)")

    def loaded(*args: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", probe, "--db", url, *args], cwd=tmp_path,
                              capture_output=True, text=True, check=True)
        result: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
        return result

    assert loaded("timeline") == []  # the first one computes and keeps the pairings
    for args in (["list"], ["show", "2024"], ["diff", "2023", "2024"],
                 ["export", "2023", "2024", "--format", "html", "-o", "-"], ["timeline"],
                 ["history", "2024:5"], ["search", "子育て"], ["search", "国保"]):
        assert loaded(*args) == [], args
    assert cli("link", "2023:8", "2024:7", "--as", "reworded", "--by", "sato").exit_code == 0
    assert loaded("diff", "2023", "2024") == ["sqlalchemy"]
    assert loaded("diff", "2022", "2023") == []  # the decision is not between these years


def test_postgres_quick_path_reads_the_same_as_the_session_path(pg_database: str,
                                                                tmp_path: Path) -> None:
    from resolution_archive.store.postgres import open_postgres_reader

    with open_postgres_reader(pg_database) as reader:
        assert reader is None  # an empty database: open_archive creates or refuses, not this
    filled(pg_database, tmp_path)
    listing, records, expected_errors = through_session(pg_database, REFS)
    with open_postgres_reader(pg_database) as reader:
        assert reader is not None and reader.dialect == "postgresql"
        assert read.list_editions(reader) == listing
        assert [read.load_edition(reader, ref) for ref in REFS] == records
        with pytest.raises(NotFound) as caught:
            read.load_edition(reader, MISSING[0])
        assert str(caught.value) == expected_errors[0]
    with open_postgres_reader(pg_database + "_no_such_database") as reader:
        assert reader is None
    with open_postgres_reader(pg_database + "?connect_timeout=3") as reader:
        assert reader is None  # URL options: SQLAlchemy's way


@pytest.mark.parametrize(("url", "conninfo", "shown"), [
    ("postgresql+psycopg://u:secret@h:5432/db", "postgresql://u:secret@h:5432/db",
     "postgresql+psycopg://u:***@h:5432/db"),
    ("postgresql+psycopg://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db?sslmode=require", None, None),
    ("postgresql://u@h/db", None, None),  # SQLAlchemy's default driver there is psycopg2
    ("sqlite:///archive.sqlite3", None, None),
])
def test_postgres_conninfo_accepts_only_plain_psycopg_urls(url: str, conninfo: str | None,
                                                           shown: str | None) -> None:
    from resolution_archive.store.schema import hide_password, postgres_conninfo

    assert postgres_conninfo(url) == conninfo
    if shown is not None:
        assert hide_password(url) == shown
