"""What the reading commands read (and the pairing cache they keep), in plain SQL.

`archive list`, `show`, `diff`, `export`, `timeline`, `history` and `search` read a few rows,
yet SQLAlchemy with the ORM models cost them ~170 ms of imports before the first query — more
than all their own work. So these queries are written once in plain SQL over a DB-API
connection (`Reader`), which is either

- stdlib sqlite3 opened directly on the archive file (`open_sqlite_reader`), or psycopg on a
  plain PostgreSQL URL (`store.postgres`), when the archive's schema is already current;
  nothing of SQLAlchemy loads;
- or the connection under a SQLAlchemy session (`Reader.of_session`), for anything the quick
  path does not take (a missing file, an old schema that must be migrated, a database that is
  not an archive: `store.db.open_archive` handles and reports those), and for
  `store.repository` / `store.threads`, whose reading functions are these.

Both give the same records: values SQLite keeps as text (dates, timestamps) are converted as
SQLAlchemy's SQLite types would.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from resolution_archive import DEFAULT_SERIES
from resolution_archive.errors import NotFound, StoreError
from resolution_archive.store.records import (
    DecisionRecord,
    EditionRecord,
    EditionSummary,
    Ref,
    SearchRow,
    SourceRecord,
    YearText,
    as_utc,
)
from resolution_archive.store.schema import describe_error, head_revision, resolve_url, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SQLITE_BUSY_TIMEOUT_S = 30.0  # as store.db: wait for a writer instead of failing


class Reader:
    """A DB-API connection inside a read transaction, with the driver's parameter style.

    Queries are written with `?` placeholders; drivers of the "format" family (psycopg) get
    `%s`. (No query here contains a literal `?` or `%`.)
    """

    def __init__(self, connection: Any, *, paramstyle: str, dialect: str,
                 errors: type[Exception], where: str) -> None:
        self.connection = connection
        self.qmark = paramstyle == "qmark"
        self.dialect = dialect  # "sqlite" or "postgresql": the search index differs
        self.errors = errors  # the driver's DB-API Error class
        self.where = where  # the archive's URL without password, for messages

    @classmethod
    def of_session(cls, session: Session) -> Reader:
        """The connection of an open SQLAlchemy session (its transaction, its snapshot)."""
        connection = session.connection()
        dialect = connection.dialect
        return cls(connection.connection.driver_connection, paramstyle=dialect.paramstyle,
                   dialect=dialect.name, errors=dialect.loaded_dbapi.Error,
                   where=connection.engine.url.render_as_string(hide_password=True))

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        cursor = self.connection.cursor()
        try:
            cursor.execute(self._sql(sql), params)
            return [tuple(row) for row in cursor.fetchall()]
        except self.errors as exc:  # as store.db.session_scope reports SQLAlchemy's
            raise StoreError(describe_error(self.where, exc)) from exc
        finally:
            cursor.close()

    def write(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        cursor = self.connection.cursor()
        try:
            cursor.executemany(self._sql(sql), rows)
        except self.errors as exc:
            raise StoreError(describe_error(self.where, exc)) from exc
        finally:
            cursor.close()

    def _sql(self, sql: str) -> str:
        return sql if self.qmark else sql.replace("?", "%s")


class Access(Protocol):
    """How history/threads reach an archive: a read transaction, and a write transaction for
    keeping computed pairings (cli_common.Context, or store.db.EngineAccess over an Engine)."""

    def reading(self) -> AbstractContextManager[Reader]: ...

    def writing(self) -> AbstractContextManager[Reader]: ...


@contextmanager
def open_sqlite_reader(url: str | None, *, write: bool = False) -> Iterator[Reader | None]:
    """A read transaction on the SQLite archive `url` names, through stdlib sqlite3; None when
    this quick path does not apply and the caller must go through `store.db.open_archive`.

    It applies only to a plain SQLite file URL whose file exists, is an archive and whose
    schema is this code's head, so every refusal and every migration stays in one place.
    Errors of the queries themselves become StoreError, as in `store.db.session_scope`.
    `write` takes the write lock at BEGIN, as store.db's writers do.
    """
    resolved = resolve_url(url)
    path = sqlite_path(resolved)
    connection = _connect(path) if path is not None else None
    where = resolved
    if connection is None:
        yield None
        return
    try:
        # one snapshot for every query of the command; writers queue for the lock at BEGIN
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        yield Reader(connection, paramstyle=sqlite3.paramstyle, dialect="sqlite",
                     errors=sqlite3.Error, where=where)
        connection.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StoreError(describe_error(where, exc)) from exc
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


def at_head(reader: Reader) -> bool:
    """Whether the archive's schema stamp is this code's head (False: no stamp table)."""
    try:
        return reader.rows("SELECT version_num FROM alembic_version") == [(head_revision(),)]
    except StoreError:
        return False


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


# --- threads, pairing cache, decisions, search (history.py) -----------------------------------

TRIGRAM = 3  # the shortest query the trigram indexes can answer; shorter ones use instr/LIKE
_LATEST = ("r.number = (SELECT max(latest.number) FROM revision latest "
           "WHERE latest.edition_id = e.id)")


def year_texts(reader: Reader, series_slug: str, document: str) -> list[YearText]:
    """The latest revision of every year, oldest first, with that document's items (one query)."""
    rows = reader.rows(
        "SELECT e.year, r.id, i.text, i.comparison FROM revision r "
        "JOIN edition e ON e.id = r.edition_id "
        "JOIN series se ON se.id = e.series_id "
        "LEFT JOIN document d ON d.revision_id = r.id AND d.kind = ? "
        "LEFT JOIN item i ON i.document_id = d.id "
        f"WHERE se.slug = ? AND {_LATEST} "
        "ORDER BY e.year, i.position", document, series_slug)
    years: dict[int, tuple[int, list[str], list[str]]] = {}
    for year, revision_id, item_text, form in rows:
        entry = years.setdefault(year, (revision_id, [], []))
        if item_text is not None:
            entry[1].append(item_text)
            entry[2].append(form)
    return [YearText(year, rid, tuple(texts), tuple(forms))
            for year, (rid, texts, forms) in years.items()]


def cached(reader: Reader, digests: Iterable[str]) -> dict[str, str]:
    """The stored engine answers among `digests` (digest → JSON text)."""
    wanted = sorted(set(digests))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(reader.rows(
            f"SELECT digest, result FROM pairing_cache WHERE digest IN ({marks})", *chunk))
    return found


def store_cached(writer: Reader, rows: Sequence[tuple[str, str, str, str]]) -> None:
    """Keep (digest, engine version, scope, JSON) results; a digest already there is kept.

    Two processes computing the same pairing at once both try to insert it; the loser's row is
    skipped by the database (ON CONFLICT DO NOTHING — SQLite and PostgreSQL alike), not
    reported as an error.
    """
    if not rows:
        return
    now = dt.datetime.now(dt.UTC)
    # as SQLAlchemy's DateTime keeps it: SQLite text without a zone (UTC), PostgreSQL timestamptz
    created: Any = now.strftime("%Y-%m-%d %H:%M:%S.%f") if writer.qmark else now
    writer.write(
        "INSERT INTO pairing_cache (digest, engine_version, scope, result, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING",
        [(digest, version, scope, result, created) for digest, version, scope, result in rows])


def decisions(reader: Reader, series_slug: str | None = None) -> list[DecisionRecord]:
    """Every decision (of one series, or all), oldest first."""
    where, params = ("WHERE se.slug = ? ", (series_slug,)) if series_slug is not None else ("", ())
    return [DecisionRecord(id_, slug, old_year, old_number, old_text, new_year, new_number,
                           new_text, action, kind, note, decided_by, _moment(decided_at))
            for (id_, slug, old_year, old_number, old_text, new_year, new_number, new_text,
                 action, kind, note, decided_by, decided_at) in reader.rows(
                "SELECT d.id, se.slug, d.old_year, d.old_number, d.old_text, d.new_year, "
                "d.new_number, d.new_text, d.action, d.kind, d.note, d.decided_by, "
                "d.decided_at FROM decision d JOIN series se ON se.id = d.series_id "
                f"{where}ORDER BY d.id", *params)]


def _like_pattern(form: str) -> str:
    escaped = form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(
    reader: Reader,
    series_slug: str,
    form: str,
    *,
    first: int | None = None,
    last: int | None = None,
    document: str | None = None,
) -> list[SearchRow]:
    """Items of the latest revisions whose comparison form contains `form`, via the index.

    SQLite: FTS5 trigram MATCH for three characters or more, instr() on the column below that
    (the trigram index cannot answer one- and two-character queries). PostgreSQL: LIKE, which
    the pg_trgm GIN index serves. Order: year, document, number.
    """
    sql = ("SELECT e.year, d.kind, i.position, i.text FROM item i "
           "JOIN document d ON d.id = i.document_id "
           "JOIN revision r ON r.id = d.revision_id "
           "JOIN edition e ON e.id = r.edition_id "
           "JOIN series se ON se.id = e.series_id "
           f"WHERE se.slug = ? AND {_LATEST}")
    params: list[Any] = [series_slug]
    if reader.dialect == "sqlite" and len(form) >= TRIGRAM:
        sql += " AND i.id IN (SELECT rowid FROM item_search WHERE item_search MATCH ?)"
        params.append('"' + form.replace('"', '""') + '"')
    elif reader.dialect == "sqlite":
        sql += " AND instr(i.comparison, ?) > 0"
        params.append(form)
    else:
        sql += " AND i.comparison LIKE ? ESCAPE '\\'"
        params.append(_like_pattern(form))
    if first is not None:
        sql += " AND e.year >= ?"
        params.append(first)
    if last is not None:
        sql += " AND e.year <= ?"
        params.append(last)
    if document is not None:
        sql += " AND d.kind = ?"
        params.append(document)
    rows = reader.rows(sql + " ORDER BY e.year, d.kind, i.position", *params)
    return [SearchRow(year, kind, number, text) for year, kind, number, text in rows]
