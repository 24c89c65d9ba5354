"""Where the archive lives, how to open it, and keeping its schema current.

The URL comes from `--db`, else ARCHIVE_DATABASE_URL, else an SQLite file in the user's data
directory (see `default_database_path`). Opening an archive for writing applies pending
migrations, so a new user never runs a set-up step; opening one for reading refuses an SQLite
file that does not exist (a typo in --db must not create an empty archive). A database that is
not an archive, or that was written by a newer version of the tool, is refused before anything
is written to it.

Checking the schema is one query of `alembic_version` against the revisions read from the
migration files' `revision = …` lines (`store.schema`): Alembic itself (and the migration
scripts) load only when an upgrade is really needed, through `store.migrate` — the one
deliberate late import in the core, since it costs every command ~65 ms otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session

from resolution_archive.errors import StoreError
from resolution_archive.store.read import Reader

# defined in store.schema (no SQLAlchemy there, for store.read); importable from here too
from resolution_archive.store.schema import ENV_URL as ENV_URL
from resolution_archive.store.schema import MIGRATIONS_DIR as MIGRATIONS_DIR
from resolution_archive.store.schema import VERSIONS_DIR as VERSIONS_DIR
from resolution_archive.store.schema import default_database_path as default_database_path
from resolution_archive.store.schema import describe_error
from resolution_archive.store.schema import head_revision as head_revision
from resolution_archive.store.schema import known_revisions as known_revisions
from resolution_archive.store.schema import resolve_url as resolve_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY_OPTION = "archive_read_only"
_STAMP_QUERY = "SELECT version_num FROM alembic_version"


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def make_engine(url: str) -> Engine:
    """An engine with the per-dialect settings the archive relies on.

    SQLite: foreign keys on, WAL journal and a generous busy timeout so several processes can
    import and read at once. The parent directory of the file is created on first use.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {url!r} (expected e.g. sqlite:///path.sqlite3 "
                         "or postgresql+psycopg://user@host/db)") from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).expanduser()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the archive directory {path.parent}: {exc.strerror}"
                ) from exc
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # missing driver and the like
        raise StoreError(f"cannot use database {redact(url)}: {exc}") from exc

    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # autocommit mode for the PRAGMAs, then back; SQLAlchemy manages transactions
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # writers take the write lock at BEGIN so concurrent importers queue instead of
            # failing with "database is locked" on upgrade from a read lock; readers (list,
            # show, diff, export, dump, verify) read a WAL snapshot without blocking anyone
            if conn.get_execution_options().get(READ_ONLY_OPTION):
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        # let SQLAlchemy's "begin" event issue BEGIN itself
        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

    return engine


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database, or None for an empty database.

    Raises StoreError when the database is not an archive (tables but no stamp, or not a
    database at all) or is newer than this code.
    """
    try:
        with engine.execution_options(**{READ_ONLY_OPTION: True}).connect() as conn:
            try:
                rows = conn.exec_driver_sql(_STAMP_QUERY).fetchall()
            except (DatabaseError, OperationalError):
                # no stamp table: an empty database, or one that is not an archive (the failed
                # statement aborted PostgreSQL's transaction, hence the rollback first)
                conn.rollback()
                tables = set(inspect(conn).get_table_names())
                if "alembic_version" not in tables:
                    if tables:
                        raise StoreError(
                            f"{redact(str(engine.url))} is a database but not an archive "
                            f"(it has tables {', '.join(sorted(tables)[:5])}); "
                            "point --db at a new file or an archive"
                        ) from None
                    return None
                # another process created the archive in between: read its stamp
                rows = conn.exec_driver_sql(_STAMP_QUERY).fetchall()
    except StoreError:
        raise
    except (DatabaseError, OperationalError) as exc:
        raise StoreError(describe_db_error(engine, exc)) from exc
    if not rows:
        return None
    version = str(rows[0][0])
    if version not in known_revisions():
        raise StoreError(
            f"the archive's schema ({version}) is newer than this version of resolution-archive "
            "knows; upgrade the tool (pip install -U resolution-archive)"
        )
    return version


def describe_db_error(engine: Engine, exc: Exception) -> str:
    return describe_error(redact(str(engine.url)), getattr(exc, "orig", exc))


def _use_wal(engine: Engine) -> None:
    """Switch an SQLite archive to WAL so readers and one writer proceed together.

    Done only once the file is known to be an archive (or new): the journal mode is stored in
    the file header, and a database that is not ours must not be altered.
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        with suppress(Exception):  # read-only media cannot switch; reading still works
            raw.driver_connection.execute("PRAGMA journal_mode=WAL")  # type: ignore[union-attr]
    finally:
        raw.close()


def ensure_schema(engine: Engine) -> None:
    """Migrate to head if the database is behind; the common case costs one query."""
    if current_revision(engine) != head_revision():
        from resolution_archive.store.migrate import upgrade  # Alembic only when needed

        _use_wal(engine)
        upgrade(engine)
    else:
        _use_wal(engine)


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names, or None (another engine, memory, or a `file:` URI)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def open_archive(url: str | None = None, *, migrate: bool = True, create: bool = True) -> Engine:
    """Engine for the archive at `url` (resolved as documented), schema brought up to date.

    `create=False` is for reading: an SQLite file that does not exist is an error naming the
    path, and nothing is created (no file, no directory).
    """
    resolved = resolve_url(url)
    if not create:
        path = sqlite_file(resolved)
        if path is not None and not path.exists():
            raise StoreError(f"no archive at {path}: the file does not exist; check --db or "
                             f"{ENV_URL} (`archive db where`), or create one with "
                             "`archive import FILE`")
    engine = make_engine(resolved)
    if migrate:
        ensure_schema(engine)
    return engine


@contextmanager
def session_scope(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """One transaction: committed if the block finishes, rolled back on any error.

    `read_only` transactions on SQLite start with a plain BEGIN (a snapshot that waits for no
    writer) instead of the writers' BEGIN IMMEDIATE.
    """
    bind = engine.execution_options(**{READ_ONLY_OPTION: True}) if read_only else engine
    session = Session(bind, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except (DatabaseError, OperationalError) as exc:
        session.rollback()
        raise StoreError(describe_db_error(engine, exc)) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


class EngineAccess:
    """history's `Access` over an Engine: read and write transactions through SQLAlchemy
    sessions (the site builder, tests and benchmarks that hold an Engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        with session_scope(self.engine, read_only=True) as session:
            yield Reader.of_session(session)

    @contextmanager
    def writing(self) -> Iterator[Reader]:
        with session_scope(self.engine) as session:
            yield Reader.of_session(session)
