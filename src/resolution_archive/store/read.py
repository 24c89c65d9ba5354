"""Reading one year, the list of years and whether decisions exist, in plain SQL.

`archive list`, `show`, `diff` and `export` only read a few rows, yet SQLAlchemy with the ORM
models costs them ~170 ms of imports before the first query — more than all their own work.
So these queries are written once in plain SQL over a DB-API connection (`Reader`), which is
either

- stdlib sqlite3 opened directly on the archive file (`open_sqlite_reader`), used when the
  URL names a plain SQLite file whose schema is already current; nothing of SQLAlchemy loads;
- or the connection under a SQLAlchemy session (`Reader.of_session`), for PostgreSQL, for
  anything the quick path does not take (a missing file, an old schema that must be migrated,
  a file that is not an archive: `store.db.open_archive` handles and reports those), and for
  `store.repository`, whose `load_edition` / `list_editions` are these functions.

Both give the same records: values SQLite keeps as text (dates, timestamps) are converted as
SQLAlchemy's SQLite types would.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from resolution_archive import DEFAULT_SERIES
from resolution_archive.errors import NotFound, StoreError
from resolution_archive.store.records import (
    EditionRecord,
    EditionSummary,
    Ref,
    SourceRecord,
    as_utc,
)
from resolution_archive.store.schema import head_revision, resolve_url, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SQLITE_BUSY_TIMEOUT_S = 30.0  # as store.db: wait for a writer instead of failing


class Reader:
    """A DB-API connection inside a read transaction, with the driver's parameter style.

    Queries are written with `?` placeholders; drivers of the "format" family (psycopg) get
    `%s`. (No query here contains a literal `?` or `%`.)
    """

    def __init__(self, connection: Any, paramstyle: str) -> None:
        self.connection = connection
        self.qmark = paramstyle == "qmark"

    @classmethod
    def of_session(cls, session: Session) -> Reader:
        """The connection of an open SQLAlchemy session (its transaction, its snapshot)."""
        connection = session.connection()
        return cls(connection.connection.driver_connection, connection.dialect.paramstyle)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql if self.qmark else sql.replace("?", "%s"), params)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()


@contextmanager
def open_sqlite_reader(url: str | None) -> Iterator[Reader | None]:
    """A read transaction on the SQLite archive `url` names, through stdlib sqlite3; None when
    this quick path does not apply and the caller must go through `store.db.open_archive`.

    It applies only to a plain SQLite file URL whose file exists, is an archive and whose
    schema is this code's head, so every refusal and every migration stays in one place.
    Errors of the queries themselves become StoreError, as in `store.db.session_scope`.
    """
    path = sqlite_path(resolve_url(url))
    connection = _connect(path) if path is not None else None
    if connection is None:
        yield None
        return
    try:
        connection.execute("BEGIN")  # one snapshot for every query of the command
        yield Reader(connection, sqlite3.paramstyle)
        connection.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot use sqlite:///{path}: {exc}") from exc
    finally:
        connection.close()


def _connect(path: Path) -> sqlite3.Connection | None:
    """An sqlite3 connection to an existing archive at head, else None (no file is created)."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True,
                                     timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        stamp = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        stamp = []
    if stamp != [(head_revision(),)]:
        with suppress(sqlite3.Error):
            connection.close()
        return None
    return connection


def _date(value: Any) -> dt.date | None:
    """A DATE column: SQLite keeps 'YYYY-MM-DD' text, PostgreSQL returns a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _moment(value: Any) -> dt.datetime:
    """A DATETIME column in UTC: SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff' text."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    return as_utc(value)


_REVISION = """
SELECT r.id, se.slug, se.name, e.year, r.number, r.date, r.title,
       s.sha256, s.filename, s.encoding, s.size, s.status, s.imported_at,
       (SELECT count(*) FROM revision other WHERE other.edition_id = e.id)
FROM revision r
JOIN edition e ON e.id = r.edition_id
JOIN series se ON se.id = e.series_id
JOIN source s ON s.id = r.source_id
WHERE se.slug = ? AND e.year = ?"""


def load_edition(reader: Reader, ref: Ref, series_slug: str = DEFAULT_SERIES) -> EditionRecord:
    """The revision `ref` names with its texts, or NotFound saying which years/revisions exist."""
    if ref.revision is None:
        found = reader.rows(_REVISION + " ORDER BY r.number DESC LIMIT 1", series_slug, ref.year)
    else:
        found = reader.rows(_REVISION + " AND r.number = ?", series_slug, ref.year, ref.revision)
    if not found:
        raise _not_found(reader, ref, series_slug)
    (revision_id, slug, name, year, number, date, title, sha256, filename, encoding, size,
     status, imported_at, revisions) = found[0]
    documents: dict[str, tuple[str, list[str]]] = {}
    for kind, preamble, text in reader.rows(
            "SELECT d.kind, d.preamble, i.text FROM document d "
            "LEFT JOIN item i ON i.document_id = d.id "
            "WHERE d.revision_id = ? ORDER BY d.kind, i.position", revision_id):
        texts = documents.setdefault(kind, (preamble, []))[1]
        if text is not None:
            texts.append(text)
    resolution = documents.get("resolution")
    declaration = documents.get("declaration")
    return EditionRecord(
        series=slug,
        series_name=name,
        year=year,
        revision=number,
        revisions=revisions,
        date=_date(date),
        title=title,
        preamble=resolution[0] if resolution else "",
        demands=tuple(resolution[1]) if resolution else (),
        paragraphs=tuple(declaration[1]) if declaration else (),
        source=SourceRecord(sha256=sha256, filename=filename, encoding=encoding, size=size,
                            status=status, imported_at=_moment(imported_at)),
    )


def _not_found(reader: Reader, ref: Ref, series_slug: str) -> NotFound:
    years = [year for (year,) in reader.rows(
        "SELECT e.year FROM edition e JOIN series se ON se.id = e.series_id "
        "WHERE se.slug = ? ORDER BY e.year", series_slug)]
    if ref.year in years:
        [(count,)] = reader.rows(
            "SELECT max(r.number) FROM revision r JOIN edition e ON e.id = r.edition_id "
            "JOIN series se ON se.id = e.series_id WHERE se.slug = ? AND e.year = ?",
            series_slug, ref.year)
        have = "only revision 1" if count == 1 else f"revisions 1–{count}"
        return NotFound(
            f"{ref.year} has no revision {ref.revision} ({have}); use {ref.year} for the latest"
        )
    listing = ", ".join(map(str, years)) if years else "none yet — run `archive import FILE`"
    return NotFound(f"year {ref.year} is not in the archive (years: {listing})")


def list_editions(reader: Reader, series_slug: str = DEFAULT_SERIES) -> list[EditionSummary]:
    """The latest revision of every year, oldest year first."""
    rows = reader.rows(
        "SELECT e.year, r.date, "
        "(SELECT count(i.id) FROM item i JOIN document d ON d.id = i.document_id "
        " WHERE d.revision_id = r.id AND d.kind = 'resolution'), "
        "r.number, s.sha256, s.status, s.filename "
        "FROM edition e "
        "JOIN series se ON se.id = e.series_id "
        "JOIN revision r ON r.edition_id = e.id "
        "JOIN source s ON s.id = r.source_id "
        "WHERE se.slug = ? AND r.number = "
        "(SELECT max(latest.number) FROM revision latest WHERE latest.edition_id = e.id) "
        "ORDER BY e.year", series_slug)
    return [EditionSummary(year, _date(date), demands, number, sha256, status, filename)
            for year, date, demands, number, sha256, status, filename in rows]


def has_decisions(reader: Reader, series_slug: str, old_year: int, new_year: int) -> bool:
    """Whether any reviewer's decision (archive link/unlink) was made between these two years
    of the series; when none was — the common case — a diff needs nothing more about them."""
    return bool(reader.rows(
        "SELECT 1 FROM decision d JOIN series se ON se.id = d.series_id "
        "WHERE se.slug = ? AND d.old_year = ? AND d.new_year = ? LIMIT 1",
        series_slug, old_year, new_year))
