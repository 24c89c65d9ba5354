"""One site build: read the archive, compare consecutive years, render, write what changed.

The database is read in one short read-only transaction; comparing and rendering happen after
it is closed. The output folder is checked before anything is computed, so a wrong OUTDIR fails
at once and leaves both the archive and the folder as they were.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import Engine

from resolution_archive import __version__
from resolution_archive.compare import build_comparison
from resolution_archive.site.model import SiteData
from resolution_archive.site.output import WriteStats, prepare, write_site
from resolution_archive.site.pages import Renderer
from resolution_archive.store.db import session_scope
from resolution_archive.store.publication import published_years, series_name


class Progress(Protocol):
    """Where a build reports how far it is (a terminal bar, or nothing)."""

    def stage(self, name: str, total: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def close(self) -> None: ...


class NoProgress:
    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class BuildResult:
    outdir: Path
    years: int
    pairs: int
    pages: int
    stats: WriteStats
    seconds: float

    def line(self) -> str:
        """The outcome line `archive site` prints."""
        s = self.stats
        return (f"built the site in {self.outdir}: {self.years} years, {self.pairs} comparisons, "
                f"{self.pages} pages; {len(s.written)} files written, {s.unchanged} unchanged, "
                f"{len(s.removed)} removed ({self.seconds:.1f} s)")


def load_site_data(engine: Engine, series: str, progress: Progress) -> SiteData:
    """Everything the site shows; the comparisons are computed after the session is closed."""
    with session_scope(engine, read_only=True) as session:
        name = series_name(session, series)
        years = tuple(published_years(session, series))
    progress.stage("comparing", max(len(years) - 1, 0))
    pairs = []
    for old, new in pairwise(years):
        pairs.append(build_comparison(old.record, new.record))
        progress.advance()
    return SiteData(series=series, series_name=name, years=years, pairs=tuple(pairs),
                    tool_version=__version__)


def render_and_write(data: SiteData, outdir: Path, progress: Progress) -> tuple[int, WriteStats]:
    renderer = Renderer(data)
    progress.stage("rendering", renderer.page_count())
    files = renderer.render_all(progress.advance)
    progress.stage("writing", len(files))
    return renderer.page_count(), write_site(outdir, files, advance=progress.advance)


def build_site(
    engine: Engine, outdir: Path, series: str, progress: Progress | None = None
) -> BuildResult:
    """Build (or update) the static site of one series in `outdir`."""
    started = time.perf_counter()
    shown = progress or NoProgress()
    prepare(outdir)
    try:
        data = load_site_data(engine, series, shown)
        pages, stats = render_and_write(data, outdir, shown)
    finally:
        shown.close()
    return BuildResult(outdir, len(data.years), len(data.pairs), pages, stats,
                       time.perf_counter() - started)
