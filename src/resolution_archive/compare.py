"""Comparing two archived years: load both from the store, diff them, build the Report.

Split in two so the database session is held only while loading: `load_pair` reads, and
`build_comparison` (in `comparison`, re-exported here) is pure — records in, Report out — and
can be used without a database.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

# the pure half lives in comparison.py (no SQLAlchemy); importable from here as before
from resolution_archive.comparison import build_comparison as build_comparison
from resolution_archive.comparison import edition_info as edition_info
from resolution_archive.history import decisions_for
from resolution_archive.lineage import Decision
from resolution_archive.store.read import Reader
from resolution_archive.store.records import EditionRecord, Ref
from resolution_archive.store.repository import load_edition


def load_pair(
    session: Session, old: Ref, new: Ref, series: str
) -> tuple[EditionRecord, EditionRecord]:
    return load_edition(session, old, series), load_edition(session, new, series)


def load_decisions(
    session: Session, old: EditionRecord, new: EditionRecord
) -> list[Decision]:
    """The reviewers' decisions in force between the two records' demands (archive link)."""
    if old.series != new.series:
        return []
    return decisions_for(Reader.of_session(session), new.series, (old.year, old.demands),
                         (new.year, new.demands))
