"""Queries and writes over the archive models, returning plain records.

Callers get frozen dataclasses, not ORM objects, so nothing outside the store depends on a live
session and the CLI and reports never touch SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from resolution_archive import DEFAULT_SERIES, DEFAULT_SERIES_NAME
from resolution_archive.store import read
from resolution_archive.store.models import (
    Document,
    Edition,
    Revision,
    Series,
)

# the records are defined in store.records; these names stay importable from here
from resolution_archive.store.records import EditionRecord as EditionRecord
from resolution_archive.store.records import EditionSummary as EditionSummary
from resolution_archive.store.records import Ref as Ref
from resolution_archive.store.records import SourceRecord as SourceRecord
from resolution_archive.store.records import as_utc as as_utc


def get_series(session: Session, slug: str = DEFAULT_SERIES) -> Series | None:
    return session.scalars(select(Series).where(Series.slug == slug)).one_or_none()


def get_or_create_series(session: Session, slug: str = DEFAULT_SERIES) -> Series:
    series = get_series(session, slug)
    if series is None:
        name = DEFAULT_SERIES_NAME if slug == DEFAULT_SERIES else slug
        series = Series(slug=slug, name=name)
        session.add(series)
        session.flush()
    return series


def latest_revision(session: Session, series: Series, year: int) -> Revision | None:
    return session.scalars(
        select(Revision)
        .join(Edition)
        .where(Edition.series_id == series.id, Edition.year == year)
        .order_by(Revision.number.desc())
        .limit(1)
    ).first()


def _with_content() -> tuple[Any, ...]:
    """Loader options that bring a revision's documents, items, source and series in one go."""
    return (
        selectinload(Revision.documents).selectinload(Document.items),
        selectinload(Revision.source),
        selectinload(Revision.edition).selectinload(Edition.series),
    )


def all_revisions(session: Session) -> list[Revision]:
    """Every revision of every series, fully loaded, in series, year, revision order."""
    return list(
        session.scalars(
            select(Revision)
            .join(Revision.edition)
            .join(Edition.series)
            .order_by(Series.slug, Edition.year, Revision.number)
            .options(*_with_content())
        )
    )


def to_record(revision: Revision) -> EditionRecord:
    resolution = revision.document("resolution")
    declaration = revision.document("declaration")
    source = revision.source
    return EditionRecord(
        series=revision.edition.series.slug,
        series_name=revision.edition.series.name,
        year=revision.edition.year,
        revision=revision.number,
        revisions=len(revision.edition.revisions),
        date=revision.date,
        title=revision.title,
        preamble=resolution.preamble if resolution else "",
        demands=tuple(i.text for i in resolution.items) if resolution else (),
        paragraphs=tuple(i.text for i in declaration.items) if declaration else (),
        source=SourceRecord(
            sha256=source.sha256,
            filename=source.filename,
            encoding=source.encoding,
            size=source.size,
            status=source.status,
            imported_at=as_utc(source.imported_at),
        ),
    )


def load_edition(session: Session, ref: Ref, series_slug: str = DEFAULT_SERIES) -> EditionRecord:
    """The revision `ref` names, or NotFound saying which years/revisions exist (store.read)."""
    return read.load_edition(read.Reader.of_session(session), ref, series_slug)


def list_editions(session: Session, series_slug: str = DEFAULT_SERIES) -> list[EditionSummary]:
    """The latest revision of every year, oldest year first (store.read)."""
    return read.list_editions(read.Reader.of_session(session), series_slug)
