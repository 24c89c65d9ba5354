"""Shared fixtures: a fresh archive per test on every engine under test, a CLI runner, and a
snapshot of the whole database for "nothing changed" assertions.

SQLite always runs (a file in tmp_path). PostgreSQL runs when ARCHIVE_TEST_POSTGRES_URL points
at a server (any database on it; each test gets a database of its own, dropped afterwards);
without it the PostgreSQL variants are still collected and show as skipped, with the reason.

Real outside components (PostgreSQL, Chromium, LibreOffice, pdftotext…) are asked for through
`require_tool`: a missing one skips the test on a developer's machine, and fails it when
ARCHIVE_TEST_REQUIRE_ALL=1 (set by .ci/run), so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED = DATA / "official" / "2024.txt"
EXAMPLE_2023 = DATA / "examples" / "2023.txt"
EXAMPLE_2022 = DATA / "examples" / "2022.txt"
PG_URL = os.environ.get("ARCHIVE_TEST_POSTGRES_URL")
REQUIRE_ALL_ENV = "ARCHIVE_TEST_REQUIRE_ALL"
REQUIRE_ALL = os.environ.get(REQUIRE_ALL_ENV) == "1"

# session-wide PDFs/Word files made with real tools (tests/source_fixtures.py)
pytest_plugins = ("tests.source_fixtures",)

ENGINES = ["sqlite", "postgresql"]

T = TypeVar("T")


@overload
def require_tool(name: str, found: T | None, hint: str) -> T: ...
@overload
def require_tool(name: str, found: T | None, hint: str, *, optional: Literal[True]) -> T | None:
    ...
def require_tool(name: str, found: T | None, hint: str, *, optional: bool = False) -> T | None:
    """The one place that decides what a missing real component means for a test.

    `found` is what locating it gave (a path, a URL, a module) or None/empty when absent.
    Absent: the test is skipped with `hint` (how to get it) — or fails when
    ARCHIVE_TEST_REQUIRE_ALL=1, as in CI. `optional=True` is for a component a test only uses
    when present (a further check): it then returns None instead of skipping, but CI still
    requires it.
    """
    if found:
        return found
    reason = f"{name} not available: {hint}"
    if REQUIRE_ALL:
        pytest.fail(f"{reason} ({REQUIRE_ALL_ENV}=1 makes it required)", pytrace=False)
    if optional:
        return None
    pytest.skip(reason)


def pytest_configure(config: pytest.Config) -> None:
    for name in ("UPDATE_GOLDEN", "UPDATE_SCREENSHOT"):
        if os.environ.get(name) and (REQUIRE_ALL or os.environ.get("CI")):
            raise pytest.UsageError(f"{name} is refused in CI (CI or ARCHIVE_TEST_REQUIRE_ALL "
                                    "is set): expected files are updated by a person and reviewed")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's real archive or inherit a database URL."""
    monkeypatch.setenv("ARCHIVE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server; dropped on exit."""
    assert PG_URL
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"ra_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database; dropped after the test."""
    require_tool("PostgreSQL", PG_URL, "set ARCHIVE_TEST_POSTGRES_URL to a server's URL "
                 "(.ci/run starts one)")
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for an archive that does not exist yet, on each engine under test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    url: str = request.getfixturevalue("pg_database")
    return url


class Cli:
    """Runs `archive --db URL …` in-process through click, as a user would type it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        from resolution_archive.cli import main

        return self.runner.invoke(main, ["--db", self.url, *args], env=env,
                                  catch_exceptions=False)


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove an operation changed nothing."""
    from sqlalchemy import MetaData, create_engine, select

    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {
                name: sorted(conn.execute(select(table)).all(), key=repr)
                for name, table in sorted(meta.tables.items())
            }
    finally:
        engine.dispose()


def archive_from_the_future(url: str) -> Cli:
    """An archive holding the seed whose schema is stamped newer than this code knows."""
    from sqlalchemy import create_engine, text

    cli = Cli(url)
    assert cli("import", str(SEED)).exit_code == 0
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    return cli
