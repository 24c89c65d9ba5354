"""Bringing a file into the archive: read → extract → parse → store, as one transaction.

`prepare` is pure (bytes in, a Prepared import out), so everything that can go wrong with the
input is found before the database is touched; `store_prepared` then writes it or refuses, and
the caller's transaction makes the whole import all-or-nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from resolution_archive import DEFAULT_SERIES, DEFAULT_SERIES_NAME
from resolution_archive.errors import Conflict, InputError, ParseError
from resolution_archive.extract import extract
from resolution_archive.parse import parse_text
from resolution_archive.parse.model import ParsedDocument
from resolution_archive.store.models import Document, Edition, Item, Revision, Source
from resolution_archive.store.repository import get_or_create_series, latest_revision
from resolution_archive.text.encoding import MAX_SOURCE_BYTES
from resolution_archive.text.normalize import comparison_form

STATUSES = ("official", "example", "unknown")
#: File name endings a folder import picks up (any file given by name is read by its content).
SUPPORTED_SUFFIXES = (".txt", ".text", ".pdf", ".docx", ".html", ".htm")
MIN_YEAR, MAX_YEAR = 1900, 2200


@dataclass(frozen=True)
class Prepared:
    """A parsed file ready to store: the original bytes and everything derived from them."""

    filename: str
    data: bytes
    sha256: str
    encoding: str
    document: ParsedDocument
    year: int
    status: str
    provenance: str | None
    format: str = "text"
    extracted_text: str = ""
    # what the reader (running page headers/footers) and the parser (masthead, 以上, page
    # numbers, footer) set aside, in that order
    set_aside: tuple[str, ...] = ()

    @property
    def series(self) -> str:
        """The series the text names itself (全国町村長大会 …), else the 国保 conference."""
        name = self.document.conference
        if name is None or name == DEFAULT_SERIES_NAME:
            return DEFAULT_SERIES
        return name

    @property
    def content_hash(self) -> str:
        """Hash of the normalised content: the same text in another encoding or layout is equal."""
        doc = self.document
        payload = {
            "year": self.year,
            "date": doc.date.isoformat() if doc.date else None,
            "preamble": comparison_form(doc.preamble),
            "demands": [d.comparison for d in doc.demands],
            "declaration": [comparison_form(p) for p in doc.declaration],
        }
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class ImportOutcome:
    filename: str
    year: int
    revision: int
    action: Literal["imported", "revised", "unchanged"]
    demands: int
    paragraphs: int
    sha256: str
    status: str

    def line(self) -> str:
        extra = "" if self.status != "example" else " [EXAMPLE text, not official]"
        if self.action == "unchanged":
            return (
                f"{self.filename}: {self.year} already in the archive with the same content "
                f"(revision {self.revision}); nothing changed{extra}"
            )
        return (
            f"{self.filename}: {self.action} {self.year} revision {self.revision} — "
            f"{self.demands} demands, {self.paragraphs} declaration paragraphs, "
            f"sha256 {self.sha256[:12]}…{extra}"
        )


def read_file(path: Path) -> bytes:
    """The file's bytes, or InputError for a missing path, a directory or an oversize file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give the text file(s) inside it")
    if size > MAX_SOURCE_BYTES:
        raise InputError(
            f"{path}: {size:,} bytes is over the {MAX_SOURCE_BYTES:,}-byte limit for one "
            "conference text; split the file or check that it is the right one"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def find_provenance(path: Path, sha256: str) -> tuple[str | None, str | None]:
    """(status, json text) from a `<stem>.provenance.json` beside the file, if it vouches for it.

    A provenance record whose sha256 does not match the bytes is ignored: it describes some
    other version of the file.
    """
    candidate = path.with_name(path.stem + ".provenance.json")
    if not candidate.is_file():
        return None, None
    try:
        text = candidate.read_text(encoding="utf-8")
        record = json.loads(text)
    except (OSError, ValueError):
        return None, None
    if not isinstance(record, dict) or record.get("sha256") != sha256:
        return None, None
    status = record.get("status")
    return (status if status in STATUSES else None), text


def prepare(
    data: bytes,
    filename: str,
    *,
    year: int | None = None,
    status: str | None = None,
    provenance: str | None = None,
) -> Prepared:
    """Extract, decode and parse; raise InputError/ParseError before anything is stored."""
    extracted = extract(data, filename)
    try:
        document = parse_text(extracted.text)
    except ParseError as error:
        if extracted.format == "text":
            raise
        raise ParseError(f"{filename}: no resolution in this {extracted.format.upper()} file: "
                         f"{error}") from None
    chosen = year if year is not None else document.year
    if chosen is None:
        raise ParseError(
            f"{filename}: no date or year found in the text (e.g. 令和6年11月15日); "
            "give it with --year 2024"
        )
    if not MIN_YEAR <= chosen <= MAX_YEAR:
        raise InputError(f"{filename}: year {chosen} is out of range; give --year YYYY")
    return Prepared(
        filename=filename,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=extracted.encoding,
        document=document,
        year=chosen,
        status=status or "unknown",
        provenance=provenance,
        format=extracted.format,
        extracted_text=extracted.text,
        set_aside=extracted.set_aside + document.set_aside,
    )


#: How often `store_prepared` decides again after losing a race to another importer.
RACE_ATTEMPTS = 5


def store_prepared(
    session: Session, prepared: Prepared, *, series: str, revise: bool = False
) -> ImportOutcome:
    """Write a new year or revision; a no-op for identical content; Conflict otherwise.

    Several processes may import at once. On PostgreSQL two of them can both see a year (or the
    series, or a revision number) as free and insert it; the second insert waits for the first
    transaction and then fails with a unique violation. The work is done in a savepoint, so that
    loser rolls back to it and decides again against the committed rows (READ COMMITTED):
    "unchanged" for the same content, Conflict or the next revision otherwise. SQLite never
    gets here: BEGIN IMMEDIATE makes importers take turns.
    """
    for attempt in range(1, RACE_ATTEMPTS + 1):
        try:
            with session.begin_nested():
                return _store(session, prepared, series=series, revise=revise)
        except IntegrityError:
            if attempt == RACE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _store(session: Session, prepared: Prepared, *, series: str, revise: bool) -> ImportOutcome:
    doc = prepared.document
    content_hash = prepared.content_hash
    series_row = get_or_create_series(session, series)
    latest = latest_revision(session, series_row, prepared.year)

    def outcome(action: Literal["imported", "revised", "unchanged"], number: int) -> ImportOutcome:
        return ImportOutcome(
            filename=prepared.filename,
            year=prepared.year,
            revision=number,
            action=action,
            demands=len(doc.demands),
            paragraphs=len(doc.declaration),
            sha256=prepared.sha256,
            status=prepared.status,
        )

    if latest is not None:
        if latest.content_hash == content_hash:
            return outcome("unchanged", latest.number)
        if not revise:
            raise Conflict(
                f"{prepared.filename}: {prepared.year} is already archived (revision "
                f"{latest.number}, from {latest.source.filename}) with different content; "
                "re-run with --revise to keep both as revisions, or check --year"
            )
        edition = latest.edition
        number = latest.number + 1
    else:
        edition = Edition(series=series_row, year=prepared.year)
        session.add(edition)
        number = 1

    source = session.scalars(select(Source).where(Source.sha256 == prepared.sha256)).first()
    if source is None:
        source = Source(
            sha256=prepared.sha256,
            filename=prepared.filename,
            encoding=prepared.encoding,
            size=len(prepared.data),
            content=prepared.data,
            status=prepared.status,
            provenance=prepared.provenance,
            format=prepared.format,
            extracted_text=prepared.extracted_text,
        )
        session.add(source)

    revision = Revision(
        edition=edition,
        number=number,
        source=source,
        date=doc.date,
        title=doc.title,
        content_hash=content_hash,
    )
    resolution = Document(kind="resolution", preamble=doc.preamble)
    resolution.items = [
        Item(position=d.number, text=d.text, comparison=d.comparison) for d in doc.demands
    ]
    declaration = Document(kind="declaration", preamble="")
    declaration.items = [
        Item(position=i, text=p, comparison=comparison_form(p))
        for i, p in enumerate(doc.declaration, start=1)
    ]
    revision.documents = [resolution, declaration]
    session.add(revision)
    session.flush()
    return outcome("revised" if number > 1 else "imported", number)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files to import: each file as given, and every supported file directly in a folder."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                           and not p.name.startswith("."))
            if not found:
                raise InputError(f"{path}: the folder has no {', '.join(SUPPORTED_SUFFIXES)} "
                                 "files in it; check the folder")
            out += found
        else:
            out.append(path)
    return out


def prepare_path(
    path: Path, *, year: int | None = None, status: str | None = None
) -> Prepared:
    """Read and parse one file (its provenance record included); touches no database."""
    data = read_file(path)
    sha256 = hashlib.sha256(data).hexdigest()
    found_status, provenance = find_provenance(path, sha256)
    return prepare(
        data, path.name, year=year, status=status or found_status, provenance=provenance
    )


def import_path(
    session: Session,
    path: Path,
    *,
    series: str | None = None,
    year: int | None = None,
    revise: bool = False,
    status: str | None = None,
) -> ImportOutcome:
    """Read, parse and store one file inside the caller's transaction. Without `series`, the
    text's own conference name decides (the 国保 conference when it names none)."""
    prepared = prepare_path(path, year=year, status=status)
    return store_prepared(session, prepared, series=series or prepared.series, revise=revise)
