"""What a published copy of the archive needs from the store: every year with all its revisions
and their original source bytes, as plain records.

`archive site` reads this once per build; the records are detached from the session so the
builder renders and writes without a database connection open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from resolution_archive.errors import NotFound
from resolution_archive.store.models import Document, Edition, Revision, Series
from resolution_archive.store.repository import EditionRecord, SourceRecord, as_utc, to_record


@dataclass(frozen=True)
class RevisionSource:
    """One revision of a year as imported: its number, date, source metadata and exact bytes."""

    number: int
    date: dt.date | None
    source: SourceRecord
    content: bytes
    provenance: str | None


@dataclass(frozen=True)
class PublishedYear:
    """A year's current text (its latest revision) and every revision's source."""

    record: EditionRecord
    revisions: tuple[RevisionSource, ...]


def series_name(session: Session, slug: str) -> str:
    """The display name of a series, or NotFound listing the series the archive holds."""
    found = session.scalars(select(Series).where(Series.slug == slug)).one_or_none()
    if found is not None:
        return found.name
    known = sorted(session.scalars(select(Series.slug)))
    listing = ", ".join(known) if known else "none yet — run `archive import FILE`"
    raise NotFound(f"series {slug!r} is not in the archive (series: {listing})")


def published_years(session: Session, series_slug: str) -> list[PublishedYear]:
    """Every year of a series, oldest first; NotFound if the series is unknown or empty."""
    name = series_name(session, series_slug)
    revisions = session.scalars(
        select(Revision)
        .join(Revision.edition)
        .join(Edition.series)
        .where(Series.slug == series_slug)
        .order_by(Edition.year, Revision.number)
        .options(
            selectinload(Revision.documents).selectinload(Document.items),
            selectinload(Revision.source),
            selectinload(Revision.edition).selectinload(Edition.series),
        )
    ).all()
    if not revisions:
        raise NotFound(f"the series {name} has no years yet; import a text first with "
                       "`archive import FILE`")
    by_year: dict[int, list[Revision]] = {}
    for revision in revisions:
        by_year.setdefault(revision.edition.year, []).append(revision)
    years: list[PublishedYear] = []
    for year_revisions in by_year.values():
        sources = tuple(
            RevisionSource(
                number=r.number,
                date=r.date,
                source=SourceRecord(
                    sha256=r.source.sha256,
                    filename=r.source.filename,
                    encoding=r.source.encoding,
                    size=r.source.size,
                    status=r.source.status,
                    imported_at=as_utc(r.source.imported_at),
                ),
                content=bytes(r.source.content),
                provenance=r.source.provenance,
            )
            for r in year_revisions
        )
        years.append(PublishedYear(record=to_record(year_revisions[-1]), revisions=sources))
    return years
