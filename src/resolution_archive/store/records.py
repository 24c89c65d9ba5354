"""The plain records the store hands out, and the year references users type.

Kept apart from the SQLAlchemy models so the reading commands (and the CLI's argument parsing)
can use them without importing SQLAlchemy; `store.repository` re-exports them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

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



def as_utc(moment: dt.datetime) -> dt.datetime:
    """Timestamps are stored in UTC; SQLite hands them back without a zone, PostgreSQL with one.

    Normalising here makes every output the same whichever engine holds the archive.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


# --- threads, decisions and search (store.threads, store.read) ---------------------------------


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
