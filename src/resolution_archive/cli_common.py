"""What every `archive` command module shares: the per-run context and the error edge.

Imports only click at module level: every command module imports this one, and `archive --help`
imports every command module to list them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import click

from resolution_archive import DEFAULT_SERIES
from resolution_archive.errors import ArchiveError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

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
        """A read transaction for `store.read`'s queries (list, show, diff, export).

        An SQLite archive whose schema is current is read with stdlib sqlite3, without
        loading SQLAlchemy (~170 ms of a command that needs ~20 ms); anything else — another
        engine, a missing file, a schema to migrate, a file that is not an archive — goes
        through `engine` and SQLAlchemy, which report or handle it as before.
        """
        from resolution_archive.store.read import Reader, open_sqlite_reader

        if self._engine is None:
            with open_sqlite_reader(self.db) as quick:
                if quick is not None:
                    yield quick
                    return
        from resolution_archive.store.db import session_scope

        with session_scope(self.engine, read_only=True) as session:
            yield Reader.of_session(session)

    @contextmanager
    def writing(self) -> Iterator[Reader]:
        """A write transaction for `store.read`'s writes (the pairing cache), chosen as
        `reading` chooses; `history.keep` turns a read-only archive's refusal into False."""
        from resolution_archive.store.read import Reader, open_sqlite_reader

        if self._engine is None:
            with open_sqlite_reader(self.db, write=True) as quick:
                if quick is not None:
                    yield quick
                    return
        from resolution_archive.store.db import session_scope

        with session_scope(self.engine) as session:
            yield Reader.of_session(session)


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
