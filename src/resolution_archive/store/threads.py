"""What threads, search and reviewer decisions need from the database, as plain records.

Three things live here: the latest wording of every year of a series (what threads are built
from), the pairing cache (the engine's answers kept by a digest of their inputs), the reviewers'
decisions (append-only) and the search query, which runs on the engine's own index — FTS5
trigram on SQLite, pg_trgm on PostgreSQL (see migration 0002_threads).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select, text
from sqlalchemy.orm import Session, aliased

from resolution_archive.errors import NotFound
from resolution_archive.store.models import (
    Decision,
    Document,
    Edition,
    Item,
    PairingCache,
    Revision,
    Series,
)
from resolution_archive.store.repository import as_utc, get_or_create_series, get_series

DOCUMENTS = ("resolution", "declaration")
TRIGRAM = 3  # the shortest query the trigram indexes can answer; shorter ones use instr/LIKE


@dataclass(frozen=True)
class YearText:
    """One year's latest revision of one document: display and comparison forms, in order."""

    year: int
    revision_id: int
    texts: tuple[str, ...]
    forms: tuple[str, ...]


@dataclass(frozen=True)
class DecisionRecord:
    id: int
    series: str
    old_year: int
    old_number: int
    old_text: str
    new_year: int
    new_number: int
    new_text: str
    action: str
    kind: str | None
    note: str | None
    decided_by: str
    decided_at: dt.datetime


@dataclass(frozen=True)
class SearchRow:
    year: int
    document: str
    number: int
    text: str


def year_texts(session: Session, series_slug: str, document: str) -> list[YearText]:
    """The latest revision of every year, oldest first, with that document's items (one query)."""
    latest = (
        select(Revision.id)
        .join(Edition, Revision.edition_id == Edition.id)
        .join(Series, Edition.series_id == Series.id)
        .where(Series.slug == series_slug)
        .where(Revision.number == select(func.max(Revision.number).label("n"))
               .where(Revision.edition_id == Edition.id)
               .correlate(Edition).scalar_subquery())
    )
    rows = session.execute(
        select(Edition.year, Revision.id, Item.text, Item.comparison)
        .select_from(Revision)
        .join(Edition, Revision.edition_id == Edition.id)
        .outerjoin(Document, and_(Document.revision_id == Revision.id,
                                  Document.kind == document))
        .outerjoin(Item, Item.document_id == Document.id)
        .where(Revision.id.in_(latest))
        .order_by(Edition.year, Item.position)
    ).all()
    years: dict[int, tuple[int, list[str], list[str]]] = {}
    for year, revision_id, item_text, form in rows:
        entry = years.setdefault(year, (revision_id, [], []))
        if item_text is not None:
            entry[1].append(item_text)
            entry[2].append(form)
    return [YearText(year, rid, tuple(texts), tuple(forms))
            for year, (rid, texts, forms) in years.items()]


# --- pairing cache ----------------------------------------------------------------------------


def cached(session: Session, digests: Iterable[str]) -> dict[str, str]:
    """The stored results among `digests` (digest → JSON text)."""
    wanted = sorted(set(digests))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update(session.execute(
            select(PairingCache.digest, PairingCache.result)
            .where(PairingCache.digest.in_(chunk))).all())
    return found


def store_cached(session: Session, rows: Sequence[tuple[str, str, str, str]]) -> None:
    """Keep (digest, engine version, scope, JSON) results; a digest already there is kept.

    Two processes computing the same pairing at once both try to insert it; the loser's row is
    skipped by the database (ON CONFLICT DO NOTHING), not reported as an error.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    values: list[dict[str, Any]] = [{"digest": d, "engine_version": v, "scope": s, "result": r,
               "created_at": dt.datetime.now(dt.UTC)} for d, v, s, r in rows]
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(PairingCache).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        for start in range(0, len(values), 100):  # SQLite's limit on bound variables
            session.execute(sqlite_insert(PairingCache).values(values[start:start + 100])
                            .on_conflict_do_nothing())
    else:  # pragma: no cover - the archive runs on SQLite and PostgreSQL only
        have = cached(session, [v["digest"] for v in values])
        session.add_all(PairingCache(**v) for v in values if v["digest"] not in have)


def cache_size(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PairingCache)) or 0


# --- decisions --------------------------------------------------------------------------------


def _decision_record(row: Decision, slug: str) -> DecisionRecord:
    return DecisionRecord(row.id, slug, row.old_year, row.old_number, row.old_text, row.new_year,
                          row.new_number, row.new_text, row.action, row.kind, row.note,
                          row.decided_by, as_utc(row.decided_at))


def demand_form(session: Session, series_slug: str, year: int, number: int) -> str:
    """The comparison form of demand `number` in the latest revision of `year`, or NotFound."""
    for entry in year_texts(session, series_slug, "resolution"):
        if entry.year != year:
            continue
        if 1 <= number <= len(entry.forms):
            return entry.forms[number - 1]
        raise NotFound(f"{year} has {len(entry.forms)} demands, no demand {number}; "
                       f"see `archive show {year}`")
    years = ", ".join(str(e.year) for e in year_texts(session, series_slug, "resolution"))
    raise NotFound(f"year {year} is not in the archive (years: {years or 'none yet'})")


def add_decision(
    session: Session,
    series_slug: str,
    old: tuple[int, int],
    new: tuple[int, int],
    *,
    action: str,
    kind: str | None,
    note: str | None,
    decided_by: str,
) -> DecisionRecord:
    """Record a decision on two existing demands (NotFound names what does not exist)."""
    old_text = demand_form(session, series_slug, *old)
    new_text = demand_form(session, series_slug, *new)
    series = get_or_create_series(session, series_slug)
    row = Decision(series_id=series.id, old_year=old[0], old_number=old[1], old_text=old_text,
                   new_year=new[0], new_number=new[1], new_text=new_text, action=action,
                   kind=kind, note=note, decided_by=decided_by,
                   decided_at=dt.datetime.now(dt.UTC))
    session.add(row)
    session.flush()
    return _decision_record(row, series_slug)


def decisions(session: Session, series_slug: str | None = None) -> list[DecisionRecord]:
    """Every decision (of one series, or all), oldest first."""
    query = select(Decision, Series.slug).join(Series, Decision.series_id == Series.id)
    if series_slug is not None:
        query = query.where(Series.slug == series_slug)
    return [_decision_record(row, slug)
            for row, slug in session.execute(query.order_by(Decision.id)).all()]


def in_force(records: Sequence[DecisionRecord]) -> list[DecisionRecord]:
    """The latest decision for each pair of demands (by year and wording), oldest first."""
    latest: dict[tuple[str, int, str, int, str], DecisionRecord] = {}
    for record in records:
        latest[(record.series, record.old_year, record.old_text, record.new_year,
                record.new_text)] = record
    return sorted(latest.values(), key=lambda r: r.id)


def locate(forms: Sequence[str], number: int, form: str) -> int | None:
    """Where the demand a decision names is now: its number if the wording is still there,
    else wherever that wording moved to (a revision renumbered it), else nowhere."""
    if 1 <= number <= len(forms) and forms[number - 1] == form:
        return number
    return next((k for k, f in enumerate(forms, start=1) if f == form), None)


def stale_decisions(session: Session) -> list[DecisionRecord]:
    """Decisions in force whose demands (year and wording) are no longer in the archive."""
    stale: list[DecisionRecord] = []
    records = decisions(session)
    for series in sorted({r.series for r in records}):
        forms = {y.year: y.forms for y in year_texts(session, series, "resolution")}
        for r in in_force([r for r in records if r.series == series]):
            if (locate(forms.get(r.old_year, ()), r.old_number, r.old_text) is None
                    or locate(forms.get(r.new_year, ()), r.new_number, r.new_text) is None):
                stale.append(r)
    return stale


def insert_decision(session: Session, record: DecisionRecord) -> None:
    """Write a decision as it was (restore): same who, when, why."""
    series = get_series(session, record.series)
    if series is None:
        raise NotFound(f"series {record.series!r} is not in the archive")
    session.add(Decision(series_id=series.id, old_year=record.old_year,
                         old_number=record.old_number, old_text=record.old_text,
                         new_year=record.new_year, new_number=record.new_number,
                         new_text=record.new_text, action=record.action, kind=record.kind,
                         note=record.note, decided_by=record.decided_by,
                         decided_at=record.decided_at))


# --- search -----------------------------------------------------------------------------------


def _like_pattern(form: str) -> str:
    escaped = form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(
    session: Session,
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
    dialect = session.get_bind().dialect.name
    rev = aliased(Revision)
    latest_number = (select(func.max(rev.number)).where(rev.edition_id == Edition.id)
                     .correlate(Edition).scalar_subquery())
    query = (
        select(Edition.year, Document.kind, Item.position, Item.text)
        .select_from(Item)
        .join(Document, Item.document_id == Document.id)
        .join(Revision, Document.revision_id == Revision.id)
        .join(Edition, Revision.edition_id == Edition.id)
        .join(Series, Edition.series_id == Series.id)
        .where(Series.slug == series_slug, Revision.number == latest_number)
    )
    if dialect == "sqlite" and len(form) >= TRIGRAM:
        phrase = '"' + form.replace('"', '""') + '"'
        query = query.where(Item.id.in_(
            select(text("rowid")).select_from(text("item_search"))
            .where(text("item_search MATCH :phrase"))
        )).params(phrase=phrase)
    elif dialect == "sqlite":
        query = query.where(func.instr(Item.comparison, form) > 0)
    else:
        query = query.where(Item.comparison.like(_like_pattern(form), escape="\\"))
    if first is not None:
        query = query.where(Edition.year >= first)
    if last is not None:
        query = query.where(Edition.year <= last)
    if document is not None:
        query = query.where(Document.kind == document)
    rows = session.execute(query.order_by(Edition.year, Document.kind, Item.position)).all()
    return [SearchRow(year, kind, number, item_text) for year, kind, number, item_text in rows]
