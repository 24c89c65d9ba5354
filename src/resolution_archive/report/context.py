"""Everything a report shows, gathered once so that renderers only format.

The CLI (or a test) builds a `Report` from the store's metadata and the engine's `DiffResult`s;
every renderer takes that one value. Renderers never query the archive or diff anything, so all
formats of one export agree and are deterministic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from resolution_archive import DEFAULT_SERIES_NAME, __version__
from resolution_archive.diff_model import DiffResult

Status = Literal["official", "example", "unknown"]
STATUSES: tuple[Status, ...] = ("official", "example", "unknown")

DEFAULT_SERIES = DEFAULT_SERIES_NAME  # reports cite the series by its display name


@dataclass(frozen=True)
class EditionInfo:
    """One archived text as the report cites it: which year and revision, and where it came from.

    `filename` and `sha256` let a reader check that the report was made from the file they hold;
    `status` says whether the text is the official one or a bundled example, which every format
    flags visibly so an example is never mistaken for the real resolution.
    """

    year: int
    revision: int
    date: dt.date | None
    series: str
    title: str | None
    filename: str
    sha256: str
    status: Status = "unknown"

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        if self.revision < 1:
            raise ValueError(f"revision must be 1 or more, not {self.revision}")

    @property
    def is_official(self) -> bool:
        return self.status == "official"


@dataclass(frozen=True)
class ConceptsInfo:
    """The office's own policy names a comparison used (`--concepts FILE`), cited like a source:
    the pairing of renamed demands depends on them, so a report says which file and which names."""

    filename: str
    sha256: str
    families: dict[str, tuple[str, ...]]

    def to_json(self) -> dict[str, Any]:
        """As JSON answers cite it ("concepts")."""
        return {
            "filename": self.filename,
            "sha256": self.sha256,
            "families": {name: list(terms) for name, terms in self.families.items()},
        }

    @property
    def note(self) -> str:
        return (
            f"独自の政策名：{self.filename}（{len(self.families)}件、"
            f"SHA-256 {self.sha256[:12]}…）"
        )


def edition_from_source(
    *,
    year: int,
    data: bytes,
    filename: str,
    revision: int = 1,
    date: dt.date | None = None,
    series: str = DEFAULT_SERIES,
    title: str | None = None,
    status: Status = "unknown",
) -> EditionInfo:
    """An `EditionInfo` for raw source bytes, hashing them so the digest always matches the file."""
    return EditionInfo(
        year=year,
        revision=revision,
        date=date,
        series=series,
        title=title,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        status=status,
    )


@dataclass(frozen=True)
class Report:
    """A comparison of two editions: the resolution's and the declaration's diffs plus provenance.

    `include_unchanged=False` asks table formats to leave out rows whose text and position are
    both unchanged; JSON always carries every change because it is the data contract.
    """

    series: str
    old: EditionInfo
    new: EditionInfo
    tool_version: str
    resolution: DiffResult
    declaration: DiffResult
    include_unchanged: bool = True
    concepts: ConceptsInfo | None = None
    """The office's own policy names, when the comparison was made with some."""

    @property
    def tool_line(self) -> str:
        """「作成：…」, naming the office's policy-name file when one was used."""
        line = f"作成：resolution-archive {self.tool_version}"
        return line if self.concepts is None else f"{line}　{self.concepts.note}"


def build_report(
    *,
    old: EditionInfo,
    new: EditionInfo,
    resolution: DiffResult,
    declaration: DiffResult | None = None,
    include_unchanged: bool = True,
    tool_version: str | None = None,
    series: str | None = None,
    concepts: ConceptsInfo | None = None,
) -> Report:
    """Assemble the one value every renderer formats.

    `series` defaults to the new edition's; comparing two different series is refused because the
    numbering of their demands has nothing in common. `tool_version` defaults to the installed
    package version (golden tests pin it so they do not churn on releases).
    """
    if series is None:
        if old.series != new.series:
            raise ValueError(
                f"cannot compare editions of different series: {old.series!r} and {new.series!r}"
            )
        series = new.series
    return Report(
        series=series,
        old=old,
        new=new,
        tool_version=__version__ if tool_version is None else tool_version,
        resolution=resolution,
        declaration=declaration if declaration is not None else DiffResult(changes=()),
        include_unchanged=include_unchanged,
        concepts=concepts,
    )
