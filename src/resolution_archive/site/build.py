"""One site build: read the archive, compare consecutive years, render, write what changed.

The database is read in one read-only transaction: the years, the reviewers' decisions and the
threads (built by `history.build`, which takes year-to-year pairings from the archive's cache and
computes only the missing ones; those are stored afterwards, as `archive history` does). The
新旧対照表 of each pair and the rendering happen after it is closed. The output folder is
checked before anything is computed, so a wrong OUTDIR fails at once and leaves both the
archive and the folder as they were.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import Engine

from resolution_archive import __version__
from resolution_archive import history as archive_history
from resolution_archive.compare import build_comparison
from resolution_archive.diff import with_local
from resolution_archive.report.context import ConceptsInfo
from resolution_archive.site.model import SiteData, SiteDecision
from resolution_archive.site.output import WriteStats, prepare, write_site
from resolution_archive.site.pages import Renderer
from resolution_archive.store import threads as store_threads
from resolution_archive.store.db import EngineAccess, session_scope
from resolution_archive.store.publication import PublishedYear, published_years, series_name
from resolution_archive.store.read import Reader
from resolution_archive.text.normalize import comparison_map


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
    threads: int
    pages: int
    stats: WriteStats
    seconds: float

    def line(self) -> str:
        """The outcome line `archive site` prints."""
        s = self.stats
        return (f"built the site in {self.outdir}: {_count(self.years, 'year')}, "
                f"{_count(self.pairs, 'comparison')}, {_count(self.threads, 'thread')}, "
                f"{_count(self.pages, 'page')}; {_count(len(s.written), 'file')} written, "
                f"{s.unchanged} unchanged, {len(s.removed)} removed ({self.seconds:.1f} s)")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def site_decisions(
    records: list[store_threads.DecisionRecord], years: tuple[PublishedYear, ...]
) -> tuple[SiteDecision, ...]:
    """Each decision in force with its demands' current positions; stale ones are left out
    (`archive verify` reports those). Resolved one at a time to keep each record with its
    resolution, through the same `resolve_decisions` that threads and comparisons use."""
    forms: dict[int, Sequence[str]] = {
        y.record.year: [comparison_map(t).text for t in y.record.demands] for y in years}
    found: list[SiteDecision] = []
    for record in store_threads.in_force(records):
        resolved, _stale = archive_history.resolve_decisions([record], forms)
        if resolved:
            found.append(SiteDecision(record, resolved[0]))
    return tuple(found)


def load_site_data(
    engine: Engine, series: str, progress: Progress, concepts: ConceptsInfo | None = None
) -> SiteData:
    """Everything the site shows; the 新旧対照表 are computed after the session is closed.

    An office's own policy names (`concepts`) shape the threads and the tables alike."""
    lexicon = with_local(None if concepts is None else concepts.families)
    progress.stage("reading", 1)
    with session_scope(engine, read_only=True) as session:
        name = series_name(session, series)
        years = tuple(published_years(session, series))
        records = store_threads.decisions(session, series)
        built = archive_history.build(Reader.of_session(session), series, "resolution", lexicon)
    archive_history.keep(EngineAccess(engine), built.pending)
    decisions = site_decisions(records, years)
    progress.advance()
    progress.stage("comparing", max(len(years) - 1, 0))
    pairs = []
    for old, new in pairwise(years):
        # the decisions between these two years, as compare.load_decisions finds them
        chosen = [d.resolved for d in decisions if d.resolved.old_year == old.record.year
                  and d.resolved.new_year == new.record.year]
        pairs.append(
            build_comparison(old.record, new.record, decisions=chosen, concepts=concepts)
        )
        progress.advance()
    return SiteData(series=series, series_name=name, years=years, pairs=tuple(pairs),
                    threads=built.threads, decisions=decisions, tool_version=__version__,
                    concepts_note=None if concepts is None else concepts.note)


def render_and_write(data: SiteData, outdir: Path, progress: Progress) -> tuple[int, WriteStats]:
    renderer = Renderer(data)
    progress.stage("rendering", renderer.page_count())
    files = renderer.render_all(progress.advance)
    progress.stage("writing", len(files))
    return renderer.page_count(), write_site(outdir, files, advance=progress.advance)


def build_site(
    engine: Engine,
    outdir: Path,
    series: str,
    progress: Progress | None = None,
    concepts: ConceptsInfo | None = None,
) -> BuildResult:
    """Build (or update) the static site of one series in `outdir`."""
    started = time.perf_counter()
    shown = progress or NoProgress()
    prepare(outdir)
    try:
        data = load_site_data(engine, series, shown, concepts)
        pages, stats = render_and_write(data, outdir, shown)
    finally:
        shown.close()
    return BuildResult(outdir, len(data.years), len(data.pairs), len(data.threads.threads), pages,
                       stats, time.perf_counter() - started)
