"""What threads, search and reviewer decisions need from the database, as plain records.

Three things live here: the latest wording of every year of a series (what threads are built
from), the pairing cache (the engine's answers kept by a digest of their inputs), the reviewers'
decisions (append-only) and the search query, which runs on the engine's own index — FTS5
trigram on SQLite, pg_trgm on PostgreSQL (see migration 0003_threads).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from resolution_archive.errors import NotFound
from resolution_archive.store import read
from resolution_archive.store.db import session_scope
from resolution_archive.store.models import (
    Decision,
    PairingCache,
)
from resolution_archive.store.records import DecisionRecord as DecisionRecord
from resolution_archive.store.records import SearchRow as SearchRow
from resolution_archive.store.records import YearText as YearText
from resolution_archive.store.records import in_force as in_force
from resolution_archive.store.records import locate as locate
from resolution_archive.store.repository import as_utc, get_or_create_series, get_series

DOCUMENTS = ("resolution", "declaration")
TRIGRAM = read.TRIGRAM


def year_texts(session: Session, series_slug: str, document: str) -> list[YearText]:
    """The latest revision of every year, oldest first, with that document's items (store.read)."""
    return read.year_texts(read.Reader.of_session(session), series_slug, document)


# --- pairing cache ----------------------------------------------------------------------------


def cached(session: Session, digests: Iterable[str]) -> dict[str, str]:
    """The stored results among `digests` (digest → JSON text; store.read)."""
    return read.cached(read.Reader.of_session(session), digests)


def store_cached(session: Session, rows: Sequence[tuple[str, str, str, str]]) -> None:
    """Keep (digest, engine version, scope, JSON) results; a digest already there is kept
    (store.read)."""
    read.store_cached(read.Reader.of_session(session), rows)


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
    """Every decision (of one series, or all), oldest first (store.read)."""
    return read.decisions(read.Reader.of_session(session), series_slug)


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


def search(
    session: Session,
    series_slug: str,
    form: str,
    *,
    first: int | None = None,
    last: int | None = None,
    document: str | None = None,
) -> list[SearchRow]:
    """Items of the latest revisions whose comparison form contains `form` (store.read)."""
    return read.search(read.Reader.of_session(session), series_slug, form, first=first,
                       last=last, document=document)


def record_decision(
    engine: Engine, series: str, old: tuple[int, int], new: tuple[int, int], *, action: str,
    kind: str | None, note: str | None, decided_by: str,
) -> DecisionRecord:
    """`archive link` / `unlink`: add a decision in its own transaction."""
    with session_scope(engine) as session:
        return add_decision(session, series, old, new, action=action, kind=kind, note=note,
                            decided_by=decided_by)
