"""Building the comparison of two archived years: records in, Report out, no database.

Split from `compare` (which loads the records and decisions through a SQLAlchemy session) so
the reading commands can build a comparison from records read without SQLAlchemy
(`store.read`); `compare` re-exports `build_comparison` and `edition_info`.
"""

from __future__ import annotations

from collections.abc import Sequence

from resolution_archive.diff import DiffResult, diff_items, diff_paragraphs, with_local
from resolution_archive.diff.thresholds import Thresholds
from resolution_archive.lineage import Decision, apply_decisions
from resolution_archive.report.context import (
    STATUSES,
    ConceptsInfo,
    EditionInfo,
    Report,
    build_report,
)
from resolution_archive.store.records import EditionRecord


def edition_info(record: EditionRecord) -> EditionInfo:
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
    concepts: ConceptsInfo | None = None,
) -> Report:
    """Diff the demands and the declaration paragraphs of two records into one Report.

    Reviewers' `decisions` (from `load_decisions`) reshape the engine's rows before any format
    sees them, so every output marks them (確認済み, "decided_by") the same way. An office's
    own policy names (`concepts`) join the built-in ones for this comparison, and the report
    cites them.
    """
    lexicon = with_local(None if concepts is None else concepts.families)
    resolution = diff_items(old.demands, new.demands, thresholds=thresholds, lexicon=lexicon)
    if decisions:
        resolution = DiffResult(
            apply_decisions(resolution.changes, old.demands, new.demands, decisions),
            resolution.thresholds)
    return build_report(
        old=edition_info(old),
        new=edition_info(new),
        resolution=resolution,
        declaration=diff_paragraphs(
            old.paragraphs, new.paragraphs, thresholds=thresholds, lexicon=lexicon
        ),
        include_unchanged=include_unchanged,
        concepts=concepts,
    )
