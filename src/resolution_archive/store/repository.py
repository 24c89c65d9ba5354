"""Queries and writes over the archive models, returning plain records.

Callers get frozen dataclasses, not ORM objects, so nothing outside the store depends on a live
session and the CLI and reports never touch SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from resolution_archive import DEFAULT_SERIES, DEFAULT_SERIES_NAME
from resolution_archive.errors import NotFound
from resolution_archive.store.models import (
    Document,
    Edition,
    Item,
    Revision,
    Series,
    Source,
)

_REF = re.compile(r"^\s*(\d{4})\s*(?:@\s*(\d+))?\s*$")


@dataclass(frozen=True)
class Ref:
    """A year, optionally with a revision: `2024` is the latest, `2024@1` the first."""

    year: int
    revision: int | None = None

    @classmethod
    def parse(cls, text: str) -> Ref:
        match = _REF.match(text)
        if not match:
            raise ValueError(
                f"{text!r} is not a year; write it as 2024, or 2024@2 for a revision"
            )
        return cls(int(match.group(1)), int(match.group(2)) if match.group(2) else None)

    def __str__(self) -> str:
        return f"{self.year}" if self.revision is None else f"{self.year}@{self.revision}"


@dataclass(frozen=True)
class SourceRecord:
    sha256: str
    filename: str
    encoding: str
    size: int
    status: str
    imported_at: dt.datetime


@dataclass(frozen=True)
class EditionRecord:
    """One revision of one year, everything a view or a diff needs, detached from the DB."""

    series: str
    series_name: str
    year: int
    revision: int
    revisions: int
    date: dt.date | None
    title: str | None
    preamble: str
    demands: tuple[str, ...]
    paragraphs: tuple[str, ...]
    source: SourceRecord


@dataclass(frozen=True)
class EditionSummary:
    year: int
    date: dt.date | None
    demands: int
    revision: int
    sha256: str
    status: str
    filename: str


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


def _years(session: Session, series_slug: str) -> list[int]:
    return list(
        session.scalars(
            select(Edition.year).join(Series).where(Series.slug == series_slug)
            .order_by(Edition.year)
        )
    )


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


def find_revision(session: Session, ref: Ref, series_slug: str = DEFAULT_SERIES) -> Revision:
    """The revision `ref` names, or NotFound saying which years/revisions exist."""
    query = (
        select(Revision)
        .join(Edition)
        .join(Series)
        .where(Series.slug == series_slug, Edition.year == ref.year)
        .options(*_with_content())
    )
    if ref.revision is None:
        query = query.order_by(Revision.number.desc()).limit(1)
    else:
        query = query.where(Revision.number == ref.revision)
    found = session.scalars(query).first()
    if found is not None:
        return found
    years = _years(session, series_slug)
    if ref.year in years:
        count = session.scalar(
            select(func.max(Revision.number)).join(Edition).join(Series)
            .where(Series.slug == series_slug, Edition.year == ref.year)
        )
        have = "only revision 1" if count == 1 else f"revisions 1–{count}"
        raise NotFound(
            f"{ref.year} has no revision {ref.revision} ({have}); use {ref.year} for the latest"
        )
    listing = ", ".join(map(str, years)) if years else "none yet — run `archive import FILE`"
    raise NotFound(f"year {ref.year} is not in the archive (years: {listing})")


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


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Timestamps are stored in UTC; SQLite hands them back without a zone, PostgreSQL with one.

    Normalising here makes every output the same whichever engine holds the archive.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def load_edition(session: Session, ref: Ref, series_slug: str = DEFAULT_SERIES) -> EditionRecord:
    return to_record(find_revision(session, ref, series_slug))


def list_editions(session: Session, series_slug: str = DEFAULT_SERIES) -> list[EditionSummary]:
    """The latest revision of every year, oldest year first."""
    latest = (
        select(Edition.id, func.max(Revision.number).label("number"))
        .join(Revision)
        .join(Series)
        .where(Series.slug == series_slug)
        .group_by(Edition.id)
        .subquery()
    )
    demand_count = (
        select(func.count(Item.id))
        .join(Document)
        .where(Document.revision_id == Revision.id, Document.kind == "resolution")
        .correlate(Revision)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Edition.year, Revision.date, demand_count, Revision.number, Source.sha256,
               Source.status, Source.filename)
        .join(Revision, Revision.edition_id == Edition.id)
        .join(latest, (latest.c.id == Edition.id) & (latest.c.number == Revision.number))
        .join(Source, Source.id == Revision.source_id)
        .order_by(Edition.year)
    ).all()
    return [EditionSummary(*row) for row in rows]
