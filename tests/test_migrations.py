"""Schema migrations on both engines, for every revision Alembic knows — not just today's one.

Each test is parametrised over the revisions from `ScriptDirectory.walk_revisions`, so a new
migration is tested as soon as its file exists:

* upgrading an empty database one step at a time reaches head, and the result is exactly what
  the models describe (`alembic check`);
* a database holding data at any revision upgrades to head with that data intact and stays
  usable (a further import works, `verify` passes);
* downgrading any revision one step and upgrading again keeps the data the older schema can
  hold.

"Data at revision R" is the seed (plus one example year) imported with the current tool into a
scratch archive, then written row by row (ids included) into the tables as they exist at R,
keeping the columns R has. A column that R requires but the current schema no longer has cannot
be filled that way; the test then fails and says so, and such a migration needs its own seed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import Script, ScriptDirectory

from resolution_archive.errors import StoreError
from resolution_archive.store.db import head_revision
from resolution_archive.store.migrate import alembic_config
from tests.conftest import EXAMPLE_2022, EXAMPLE_2023, SEED, Cli

Rows = dict[str, list[dict[str, Any]]]
# the engine-specific search index (FTS5 table and its shadow tables, migration 0003_threads)
# is derived from item rows by triggers: it is compared through search, not row by row
SEARCH_INDEX = "item_search"


def archive_table(name: str) -> bool:
    return name != "alembic_version" and not name.startswith(SEARCH_INDEX)


def _revisions() -> list[Script]:
    """Base to head. The archive's history is linear; a branch would make "one step" ambiguous."""
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, "migrations must form a single line (one head)"
    return list(reversed(list(script.walk_revisions())))


REVISIONS = _revisions()
REVISION_IDS = [r.revision for r in REVISIONS]


def _down(revision: Script) -> str:
    down = revision.down_revision
    assert down is None or isinstance(down, str), "merge revisions are not expected"
    return down or "base"


def _normal(value: Any) -> Any:
    """Values as an engine-independent Python value: UTC-aware datetimes, bytes."""
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=dt.UTC) if value.tzinfo is None
                else value.astimezone(dt.UTC))
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def read_rows(url: str) -> Rows:
    """Every row of every archive table, as dicts ordered by id, reflected (not from models)."""
    from sqlalchemy import MetaData, create_engine, select

    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {
                name: [{k: _normal(v) for k, v in row._mapping.items()}
                       for row in conn.execute(select(table).order_by(*table.primary_key))]
                for name, table in meta.tables.items() if archive_table(name)
            }
    finally:
        engine.dispose()


def project(rows: Rows, columns: dict[str, set[str]]) -> Rows:
    """Only the tables and columns in `columns`."""
    return {table: [{k: v for k, v in row.items() if k in columns[table]} for row in rows[table]]
            for table in sorted(columns) if table in rows}


def table_columns(url: str) -> dict[str, set[str]]:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        return {t: {c["name"] for c in inspector.get_columns(t)}
                for t in inspector.get_table_names() if archive_table(t)}
    finally:
        engine.dispose()


def common(a: dict[str, set[str]], b: dict[str, set[str]]) -> dict[str, set[str]]:
    return {t: a[t] & b[t] for t in a.keys() & b.keys()}


def write_rows(url: str, rows: Rows) -> None:
    """Insert the reference rows into the schema as it is now, keeping the columns it has."""
    from sqlalchemy import MetaData, create_engine, func, select, text

    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            for table in meta.sorted_tables:
                if not archive_table(table.name):
                    continue
                assert table.name in rows, (
                    f"table {table.name} has no seed rows: this revision needs its own seed")
                present = [dict(row) for row in rows[table.name]]
                for column in table.columns:
                    needed = not column.nullable and column.server_default is None
                    if needed and any(column.name not in row for row in present):
                        pytest.fail(f"{table.name}.{column.name} is required at this revision "
                                    "but the current schema has no such column: seed it here")
                values = [{k: v for k, v in row.items() if k in table.columns} for row in present]
                if values:
                    conn.execute(table.insert(), values)
                if engine.dialect.name == "postgresql" and "id" in table.columns and values:
                    # explicit ids leave the sequence behind; later inserts must not collide
                    top = conn.scalar(select(func.max(table.c.id)))
                    conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                                 {"t": table.name, "v": top})
    finally:
        engine.dispose()


def migrate(url: str, target: str, *, down: bool = False) -> str | None:
    from resolution_archive.store.db import current_revision, make_engine

    engine = make_engine(url)
    try:
        (command.downgrade if down else command.upgrade)(alembic_config(engine), target)
        return current_revision(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Rows]:
    """An archive made by the current tool (seed + one example year) and all its rows."""
    path = tmp_path_factory.mktemp("reference") / "reference.sqlite3"
    cli = Cli(f"sqlite:///{path}")
    for source in (SEED, EXAMPLE_2023):
        result = cli("import", str(source))
        assert result.exit_code == 0, result.output
    return cli.url, read_rows(cli.url)


def records(url: str) -> list[Any]:
    """What the archive shows for each year, with timestamps compared as instants."""
    from resolution_archive.store.db import make_engine, session_scope
    from resolution_archive.store.repository import Ref, load_edition

    engine = make_engine(url)
    out = []
    try:
        with session_scope(engine) as session:
            for year in (2023, 2024):
                record = load_edition(session, Ref(year))
                source = dataclasses.replace(record.source,
                                             imported_at=_normal(record.source.imported_at))
                out.append(dataclasses.replace(record, source=source))
    finally:
        engine.dispose()
    return out


def assert_usable(url: str) -> None:
    cli = Cli(url)
    result = cli("import", str(EXAMPLE_2022))
    assert result.exit_code == 0, result.output
    result = cli("verify")
    assert result.exit_code == 0, result.output
    if head_revision() != "0001":
        # the search index covers rows written before and after the migration that made it
        result = cli("search", "国保制度", "--format", "json", "--document", "declaration")
        assert result.exit_code == 0, result.output
        years = {hit["year"] for hit in json.loads(result.output)["hits"]}
        listed = json.loads(cli("list", "--format", "json").output)
        assert years == {row["year"] for row in listed}  # every declaration names 国保制度


# --- tests ----------------------------------------------------------------------------------


def test_revision_files_are_complete() -> None:
    for revision in REVISIONS:
        module = revision.module
        assert callable(getattr(module, "upgrade", None)), revision.revision
        assert callable(getattr(module, "downgrade", None)), revision.revision
    assert REVISIONS[0].down_revision is None


def test_upgrade_from_empty_step_by_step(db_url: str) -> None:
    from resolution_archive.store.db import current_revision, make_engine

    assert migrate(db_url, "base") is None
    for revision in REVISIONS:
        assert migrate(db_url, revision.revision) == revision.revision
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == REVISIONS[-1].revision
        command.check(alembic_config(engine))  # schema == models, on this engine
    finally:
        engine.dispose()
    assert_usable(db_url)


def test_alembic_check_notices_drift(db_url: str) -> None:
    """The check above is only worth something if it really compares with this database."""
    from alembic.util import AutogenerateDiffsDetected
    from sqlalchemy import text

    from resolution_archive.store.db import make_engine

    migrate(db_url, "head")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE stray (x INTEGER)"))
        with pytest.raises(AutogenerateDiffsDetected):
            command.check(alembic_config(engine))
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", REVISIONS, ids=REVISION_IDS)
def test_upgrade_with_data(db_url: str, revision: Script,
                           reference: tuple[str, Rows]) -> None:
    reference_url, reference_rows = reference
    assert migrate(db_url, revision.revision) == revision.revision
    at_revision = table_columns(db_url)
    write_rows(db_url, reference_rows)
    written = read_rows(db_url)

    assert migrate(db_url, "head") == REVISIONS[-1].revision
    kept = common(at_revision, table_columns(db_url))
    assert project(read_rows(db_url), kept) == project(written, kept)
    assert project(written, kept) == project(reference_rows, kept)
    assert records(db_url) == records(reference_url)
    assert_usable(db_url)


@pytest.mark.parametrize("revision", REVISIONS, ids=REVISION_IDS)
def test_downgrade_one_step_and_back(db_url: str, revision: Script,
                                     reference: tuple[str, Rows]) -> None:
    _, reference_rows = reference
    migrate(db_url, revision.revision)
    at_revision = table_columns(db_url)
    write_rows(db_url, reference_rows)

    down = _down(revision)
    assert migrate(db_url, down, down=True) == (None if down == "base" else down)
    below = table_columns(db_url)
    if down == "base":
        assert below == {}, "downgrading the first revision must leave no archive tables"
    kept = common(at_revision, below)
    assert project(read_rows(db_url), kept) == project(reference_rows, kept)

    assert migrate(db_url, revision.revision) == revision.revision
    assert table_columns(db_url) == at_revision
    if down == "base":
        write_rows(db_url, reference_rows)  # nothing could survive; prove the tables work again
    assert project(read_rows(db_url), kept) == project(reference_rows, kept)
    migrate(db_url, "head")
    assert_usable(db_url)


def test_every_revision_is_tested() -> None:
    """The parametrised tests above really cover the files on disk."""
    versions = Path(alembic_config().get_main_option("script_location") or "") / "versions"
    files = {p.stem for p in versions.glob("*.py") if p.stem != "__init__"}
    assert files == {Path(r.path).stem for r in REVISIONS}


def test_schema_check_knows_what_alembic_knows() -> None:
    """store.db reads revision ids from the migration files without Alembic (it would cost
    every command ~65 ms); it must agree with Alembic on every revision and the head."""
    from resolution_archive.store.db import head_revision, known_revisions

    script = ScriptDirectory.from_config(alembic_config())
    assert known_revisions() == {
        r.revision: ((r.down_revision,) if isinstance(r.down_revision, str)
                     else tuple(r.down_revision or ()))
        for r in script.walk_revisions()}
    assert head_revision() == script.get_current_head() == REVISION_IDS[-1]


def test_schema_check_reads_merges_and_new_files(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A migration added later (annotated or not, a merge of two heads) is read the same way."""
    import resolution_archive.store.schema as db

    (tmp_path / "0001_initial.py").write_text('revision = "0001"\ndown_revision = None\n')
    (tmp_path / "0002_a.py").write_text('revision: str = "0002a"\n'
                                        'down_revision: str | None = "0001"\n')
    (tmp_path / "0002_b.py").write_text('revision = "0002b"\ndown_revision = "0001"\n')
    monkeypatch.setattr(db, "VERSIONS_DIR", tmp_path)
    db.known_revisions.cache_clear()
    try:
        with pytest.raises(StoreError, match="2 heads"):
            db.head_revision()
        (tmp_path / "0003_merge.py").write_text(
            'revision = "0003"\ndown_revision = ("0002a", "0002b")\n')
        db.known_revisions.cache_clear()
        assert db.known_revisions()["0003"] == ("0002a", "0002b")
        assert db.head_revision() == "0003"
    finally:
        db.known_revisions.cache_clear()


def test_schema_check_does_not_load_alembic(tmp_path: Path) -> None:
    """A command on a current archive decides from one query that nothing is to migrate."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    assert Cli(url)("import", str(SEED)).exit_code == 0
    code = ("import sys; from resolution_archive.store.db import open_archive; "
            "open_archive(sys.argv[1], create=False).dispose(); "
            "print(sorted(m for m in ('alembic', 'numpy', 'sudachipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
