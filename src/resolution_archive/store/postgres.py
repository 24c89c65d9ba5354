"""The reading commands' quick path on PostgreSQL: psycopg straight, without SQLAlchemy.

As `store.read.open_sqlite_reader` does for SQLite files: a `postgresql+psycopg://` URL whose
database is an archive at this code's schema head is read (and its pairing cache written)
through a plain psycopg connection, saving the ~170 ms SQLAlchemy costs to import. Anything
else — no server, no such database, an empty or older schema, URL options — returns None and
the caller goes through `store.db.open_archive`, which reports or migrates as before. Imported
by the CLI only for PostgreSQL URLs (psycopg is the optional `postgres` extra).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from resolution_archive.errors import StoreError
from resolution_archive.store.read import Reader, at_head
from resolution_archive.store.schema import (
    describe_error,
    hide_password,
    postgres_conninfo,
    resolve_url,
)


@contextmanager
def open_postgres_reader(url: str | None, *, write: bool = False) -> Iterator[Reader | None]:
    """One transaction on the PostgreSQL archive `url` names, or None (see the module).

    `write` is accepted as `open_sqlite_reader` takes it; PostgreSQL writers need no lock
    taken at BEGIN.
    """
    resolved = resolve_url(url)
    conninfo = postgres_conninfo(resolved)
    if conninfo is None:
        yield None
        return
    try:
        connection = psycopg.connect(conninfo)
    except psycopg.Error:
        yield None
        return
    where = hide_password(resolved)
    reader = Reader(connection, paramstyle=psycopg.paramstyle, dialect="postgresql",
                    errors=psycopg.Error, where=where)
    try:
        if not at_head(reader):
            yield None
            return
        connection.rollback()  # the stamp check's transaction; the command's starts afresh
        yield reader
        connection.commit()
    except psycopg.Error as exc:
        raise StoreError(describe_error(where, exc)) from exc
    finally:
        connection.close()  # without a commit, the transaction is rolled back
