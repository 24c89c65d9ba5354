"""What every `archive` command module shares: the per-run context and the error edge.

Imports only click at module level: every command module imports this one, and `archive --help`
imports every command module to list them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from resolution_archive import DEFAULT_SERIES
from resolution_archive.errors import ArchiveError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from resolution_archive.diff.concepts import Lexicon
    from resolution_archive.report.context import ConceptsInfo
    from resolution_archive.store.read import Reader
    from resolution_archive.store.records import Ref


class Context:
    """Per-invocation state: the database URL, opened lazily on first use.

    `engine` is for reading commands (list, show, diff, export, dump, verify and any new
    reader): an SQLite file that does not exist is a one-line error and nothing is created.
    Only the commands that fill an archive (import, restore, db upgrade) use
    `writable_engine`, which creates it.
    """

    def __init__(self, db: str | None) -> None:
        self.db = db
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        return self._open(create=False)

    @property
    def writable_engine(self) -> Engine:
        return self._open(create=True)

    def _open(self, *, create: bool) -> Engine:
        if self._engine is None:
            from resolution_archive.store.db import open_archive

            self._engine = open_archive(self.db, create=create)
            # closing the pool at exit lets SQLite checkpoint and remove its -wal/-shm files
            click.get_current_context().call_on_close(self._engine.dispose)
        return self._engine

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """A read transaction for `store.read`'s queries (list, show, diff, export, history…).

        An archive at the current schema is read straight through sqlite3 (SQLite) or psycopg
        (PostgreSQL), without loading SQLAlchemy (~170 ms of a command that needs ~20 ms);
        anything else — a missing file, a schema to migrate, a database that is not an
        archive, URL options — goes through `engine` and SQLAlchemy, which report or handle
        it as before.
        """
        with self._transaction(write=False) as reader:
            yield reader

    @contextmanager
    def writing(self) -> Iterator[Reader]:
        """A write transaction for `store.read`'s writes (the pairing cache), chosen as
        `reading` chooses; `history.keep` turns a read-only archive's refusal into False."""
        with self._transaction(write=True) as reader:
            yield reader

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Reader]:
        from resolution_archive.store.read import Reader

        if self._engine is None:
            with self._quick(write) as quick:
                if quick is not None:
                    yield quick
                    return
        from resolution_archive.store.db import session_scope

        with session_scope(self.engine, read_only=not write) as session:
            yield Reader.of_session(session)

    def _quick(self, write: bool) -> AbstractContextManager[Reader | None]:
        from resolution_archive.store.schema import postgres_conninfo, resolve_url

        if postgres_conninfo(resolve_url(self.db)) is None:
            from resolution_archive.store.read import open_sqlite_reader

            return open_sqlite_reader(self.db, write=write)
        try:
            from resolution_archive.store.postgres import open_postgres_reader
        except ImportError:  # no psycopg: SQLAlchemy's path says what is missing
            return nullcontext(None)
        return open_postgres_reader(self.db, write=write)


pass_ctx = click.make_pass_decorator(Context)


def fail(error: ArchiveError) -> NoReturn:
    raise click.ClickException(str(error)) from error


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn core errors into one-line messages at the CLI edge."""
    try:
        yield
    except ArchiveError as error:
        fail(error)


def parse_ref(value: str, param: str) -> Ref:
    from resolution_archive.store.records import Ref

    try:
        return Ref.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=param) from None


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


series_option = click.option("--series", default=DEFAULT_SERIES, show_default=True,
                             help="Which conference series (default: the 国保 conference).")


MAX_CONCEPTS_BYTES = 1024 * 1024
"""A list of policy names is a few KB; anything near this is the wrong file."""

concepts_option = click.option(
    "--concepts", "concepts", type=click.Path(dir_okay=False), metavar="FILE",
    envvar="ARCHIVE_CONCEPTS", show_envvar=True,
    help="A text file of your own policy names, one policy per line "
    "(「名前: 呼び名、呼び名」), so demands renamed from one to another are paired; "
    "see `archive concepts`.")


def read_concepts(path: str | None) -> ConceptsInfo | None:
    """`--concepts FILE` → the office's policy names, or a usage error naming what is wrong."""
    if not path:
        return None
    import hashlib

    from resolution_archive.diff.concepts import read_families
    from resolution_archive.errors import InputError
    from resolution_archive.report.context import ConceptsInfo
    from resolution_archive.text.encoding import decode_source

    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}",
                                 param_hint="--concepts") from None
    try:
        if len(data) > MAX_CONCEPTS_BYTES:
            raise ValueError(f"the file is {len(data):,} bytes; a list of policy names is a few "
                             "KB — check that this is the right file")
        try:
            text = decode_source(data).text
        except InputError:
            raise ValueError("not a plain text file (empty, binary, or an unknown encoding); "
                             "save it as UTF-8 or Shift_JIS text, one policy per line") from None
        families = read_families(text)
    except ValueError as exc:
        raise click.BadParameter(f"{source.name}: {exc}", param_hint="--concepts") from None
    return ConceptsInfo(source.name, hashlib.sha256(data).hexdigest(), families)


def read_lexicon(path: str | None) -> tuple[ConceptsInfo | None, Lexicon]:
    """`--concepts FILE` → (the file as reports cite it, the lexicon the engine uses)."""
    from resolution_archive.diff.concepts import with_local

    info = read_concepts(path)
    return info, with_local(None if info is None else info.families)
