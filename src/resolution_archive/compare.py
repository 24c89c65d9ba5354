"""Comparing two archived years: load both from the store, diff them, build the Report.

Split in two so the database session is held only while loading: `load_pair` reads, and
`build_comparison` is pure (records in, Report out) and can be used without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from resolution_archive.diff.thresholds import Thresholds
    from resolution_archive.lineage import Decision
    from resolution_archive.report.context import EditionInfo, Report
    from resolution_archive.store.repository import EditionRecord, Ref


def load_pair(
    session: Session, old: Ref, new: Ref, series: str
) -> tuple[EditionRecord, EditionRecord]:
    from resolution_archive.store.repository import load_edition

    return load_edition(session, old, series), load_edition(session, new, series)


def load_decisions(
    session: Session, old: EditionRecord, new: EditionRecord
) -> list[Decision]:
    """The reviewers' decisions in force between the two records' demands (archive link)."""
    from resolution_archive.history import decisions_for

    if old.series != new.series:
        return []
    return decisions_for(session, new.series, (old.year, old.demands), (new.year, new.demands))


def edition_info(record: EditionRecord) -> EditionInfo:
    from resolution_archive.report.context import STATUSES, EditionInfo

    status = record.source.status if record.source.status in STATUSES else "unknown"
    return EditionInfo(
        year=record.year,
        revision=record.revision,
        date=record.date,
        series=record.series_name,
        title=record.title,
        filename=record.source.filename,
        sha256=record.source.sha256,
        status=status,
    )


def build_comparison(
    old: EditionRecord,
    new: EditionRecord,
    *,
    thresholds: Thresholds | None = None,
    include_unchanged: bool = True,
    decisions: Sequence[Decision] = (),
) -> Report:
    """Diff the demands and the declaration paragraphs of two records into one Report.

    Reviewers' `decisions` (from `load_decisions`) reshape the engine's rows before any format
    sees them, so every output marks them (確認済み, "decided_by") the same way.
    """
    from resolution_archive.diff import DiffResult, diff_items, diff_paragraphs
    from resolution_archive.lineage import apply_decisions
    from resolution_archive.report.context import build_report

    resolution = diff_items(old.demands, new.demands, thresholds=thresholds)
    if decisions:
        resolution = DiffResult(
            apply_decisions(resolution.changes, old.demands, new.demands, decisions),
            resolution.thresholds)
    return build_report(
        old=edition_info(old),
        new=edition_info(new),
        resolution=resolution,
        declaration=diff_paragraphs(old.paragraphs, new.paragraphs, thresholds=thresholds),
        include_unchanged=include_unchanged,
    )
