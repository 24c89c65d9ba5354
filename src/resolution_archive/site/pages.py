"""Rendering the site: SiteData in, every file's bytes out (path → bytes). No I/O, no database.

Pages are Jinja2 templates with autoescaping, so a demand holding `<script>` or
`"><img onerror=…>` is shown as those characters. The pair pages import the HTML export's own
新旧対照表 macros (report/templates/taisho.html.j2) and its style, so the site and
`archive export --format html` show the same table. Output is deterministic (no build time in any
page), which is what lets a rebuild rewrite only the files whose content changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from typing import Any

import jinja2

from resolution_archive.compare import edition_info
from resolution_archive.lineage import Thread, Version
from resolution_archive.report.html import taisho_context
from resolution_archive.report.templating import environment as report_environment
from resolution_archive.report.threads import (
    CHANGE_LABELS,
    COLOURS,
    history_rows,
    span_label,
    timeline_context,
)
from resolution_archive.report.view import STATUS_LABELS, STATUS_SHORT, date_text
from resolution_archive.site.model import (
    INDEX,
    SiteData,
    SiteDecision,
    href,
    pair_page,
    source_file,
    thread_page,
    year_page,
)
from resolution_archive.site.search import index_script
from resolution_archive.store.publication import PublishedYear, RevisionSource

ASSETS = "assets"
STYLESHEET = f"{ASSETS}/site.css"
SEARCH_SCRIPT = f"{ASSETS}/search.js"
SEARCH_INDEX = f"{ASSETS}/search-index.js"
FAVICON = f"{ASSETS}/favicon.svg"
STATIC_ASSETS = ("search.js", "favicon.svg")


def environment() -> jinja2.Environment:
    """Site templates first, then the report's (for the shared 新旧対照表 macros and style)."""
    return report_environment("resolution_archive.site")


@dataclass(frozen=True)
class Link:
    label: str
    url: str


PROVENANCE_FIELDS = ("title", "source", "notes")


def _provenance(text: str | None) -> dict[str, str]:
    """The human-readable fields of a provenance record (title, source, notes; "" if absent)."""
    fields = dict.fromkeys(PROVENANCE_FIELDS, "")
    if not text:
        return fields
    try:
        data = json.loads(text)
    except ValueError:
        return {**fields, "notes": text}
    if isinstance(data, dict):
        fields.update({k: str(data[k]) for k in PROVENANCE_FIELDS if data.get(k)})
    return fields


def _size(size: int) -> str:
    return f"{size:,} バイト"


class Renderer:
    """Renders every page of one SiteData; `files()` yields (path, bytes) one page at a time."""

    def __init__(self, data: SiteData) -> None:
        self.data = data
        self.env = environment()
        self.years = {y.record.year: y for y in data.years}
        self.year_list = [y.record.year for y in data.years]
        self.pairs = {(p.old.year, p.new.year): p for p in data.pairs}

    def page_count(self) -> int:
        return 1 + len(self.years) + len(self.pairs) + len(self.data.threads.threads)

    def thread_link(self, from_path: str, thread_id: str) -> Link | None:
        thread = self.data.threads.thread(thread_id)
        if thread is None:
            return None
        return Link(f"{thread.id}　{thread.title}", href(from_path, thread_page(thread.id)))

    def demand_url(self, from_path: str, year: int, number: int) -> str:
        return href(from_path, f"{year_page(year)}#d-{number}")

    def _render(self, template: str, path: str, **context: Any) -> bytes:
        text = self.env.get_template(template).render(
            site=self.data,
            home=href(path, INDEX),
            stylesheet=href(path, STYLESHEET),
            favicon=href(path, FAVICON),
            **context,
        )
        return text.encode("utf-8")

    # --- pages -----------------------------------------------------------------------------

    def home(self) -> bytes:
        rows = []
        previous: int | None = None
        for year in self.data.years:
            record = year.record
            info = edition_info(record)
            rows.append({
                "year": record.year,
                "url": href(INDEX, year_page(record.year)),
                "date": date_text(info),
                "demands": len(record.demands),
                "paragraphs": len(record.paragraphs),
                "revision": record.revision,
                "revisions": record.revisions,
                "status": info.status,
                "status_label": STATUS_SHORT[info.status],
                "pair": None if previous is None else Link(
                    f"{previous}→{record.year}", href(INDEX, pair_page(previous, record.year))),
            })
            previous = record.year
        timeline = timeline_context(self.data.threads.timeline())
        return self._render("home.html.j2", INDEX, rows=list(reversed(rows)), nav=[],
                            timeline=timeline,
                            thread_url=lambda t: href(INDEX, thread_page(t.id)),
                            search_script=href(INDEX, SEARCH_SCRIPT),
                            search_index=href(INDEX, SEARCH_INDEX))

    def _neighbours(self, year: int) -> tuple[int | None, int | None]:
        i = self.year_list.index(year)
        before = self.year_list[i - 1] if i > 0 else None
        after = self.year_list[i + 1] if i + 1 < len(self.year_list) else None
        return before, after

    def _revision_row(self, path: str, year: int, revision: RevisionSource) -> dict[str, Any]:
        source = revision.source
        return {
            "number": revision.number,
            "date": revision.date.isoformat() if revision.date else "—",
            "filename": source.filename,
            "download": href(path, source_file(year, revision.number, source.filename)),
            "sha256": source.sha256,
            "encoding": source.encoding,
            "size": _size(source.size),
            "status": STATUS_LABELS.get(source.status, source.status),
            "imported_at": source.imported_at.strftime("%Y-%m-%d %H:%M UTC"),
            "provenance": _provenance(revision.provenance),
        }

    def year(self, year: PublishedYear) -> bytes:
        record = year.record
        path = year_page(record.year)
        info = edition_info(record)
        before, after = self._neighbours(record.year)
        nav: list[Link] = []
        if before is not None:
            nav.append(Link(f"← {before}年", href(path, year_page(before))))
            nav.append(Link(f"新旧対照表 {before}→{record.year}",
                            href(path, pair_page(before, record.year))))
        if after is not None:
            nav.append(Link(f"新旧対照表 {record.year}→{after}",
                            href(path, pair_page(record.year, after))))
            nav.append(Link(f"{after}年 →", href(path, year_page(after))))
        revisions = [self._revision_row(path, record.year, r) for r in year.revisions]
        threads = self.data.threads
        demand_threads = []
        for number in range(1, len(record.demands) + 1):
            thread = threads.thread_of(record.year, number)
            demand_threads.append(None if thread is None else href(path, thread_page(thread.id)))
        return self._render(
            "year.html.j2", path,
            record=record,
            info=info,
            date=date_text(info),
            status_label=STATUS_LABELS[info.status],
            nav=nav,
            current=revisions[-1],
            revisions=revisions,
            demands=list(zip(range(1, len(record.demands) + 1), record.demands, demand_threads,
                             strict=True)),
            paragraphs=list(enumerate(record.paragraphs, start=1)),
        )

    def pair(self, old: int, new: int) -> bytes:
        report = self.pairs[(old, new)]
        path = pair_page(old, new)
        nav = [Link(f"{old}年の決議・宣言", href(path, year_page(old))),
               Link(f"{new}年の決議・宣言", href(path, year_page(new)))]
        return self._render("pair.html.j2", path, nav=nav, **taisho_context(report))

    def _decision_row(self, path: str, decision: SiteDecision) -> dict[str, Any]:
        d, record = decision.resolved, decision.record
        kind = CHANGE_LABELS.get(d.kind or "", "")
        action = (f"同じ要望として結びつける（{kind}）" if d.action == "link"
                  else "別の要望として切り離す")
        return {
            "old": Link(f"{d.old_year}年 第{d.old}項", self.demand_url(path, d.old_year, d.old)),
            "new": Link(f"{d.new_year}年 第{d.new}項", self.demand_url(path, d.new_year, d.new)),
            "action": action,
            "decided_by": record.decided_by,
            "decided_at": record.decided_at.strftime("%Y-%m-%d"),
            "note": record.note or "",
        }

    def thread(self, thread: Thread) -> bytes:
        path = thread_page(thread.id)
        mine = {(v.year, v.number) for v in thread.versions}
        decisions = [self._decision_row(path, d) for d in self.data.decisions
                     if (d.resolved.old_year, d.resolved.old) in mine
                     or (d.resolved.new_year, d.resolved.new) in mine]
        years = [Link(f"{v.year}年 第{v.number}項{self._status_note(v.year)}",
                      self.demand_url(path, v.year, v.number))
                 for v in thread.versions]
        examples = [v.year for v in thread.versions if self._status_note(v.year)]
        pairs = [Link(f"{a.year}→{b.year}", href(path, pair_page(a.year, b.year)))
                 for a, b in pairwise(thread.versions)
                 if (a.year, b.year) in self.pairs]

        def year_url(version: Version) -> str:
            return self.demand_url(path, version.year, version.number)

        return self._render(
            "thread.html.j2", path,
            nav=[],
            thread=thread,
            row=history_rows([thread])[0],
            span=span_label(thread),
            split_from=None if thread.split_from is None
            else self.thread_link(path, thread.split_from),
            merged_into=None if thread.merged_into is None
            else self.thread_link(path, thread.merged_into),
            year_url=year_url,
            decisions=decisions,
            years=years,
            pair_links=pairs,
            examples=examples,
        )

    def _status_note(self, year: int) -> str:
        """（例示） after a year whose text is not official, wherever a page cites it."""
        status = edition_info(self.years[year].record).status
        return "" if status == "official" else f"（{STATUS_SHORT[status]}）"

    # --- every file ------------------------------------------------------------------------

    def files(self) -> Iterator[tuple[str, bytes]]:
        """Every file of the site; pages one by one so a caller can show progress."""
        yield INDEX, self.home()
        for year in self.data.years:
            yield year_page(year.record.year), self.year(year)
        for old, new in self.pairs:
            yield pair_page(old, new), self.pair(old, new)
        for thread in self.data.threads.threads:
            yield thread_page(thread.id), self.thread(thread)

    def assets(self) -> dict[str, bytes]:
        css = self.env.get_template("site.css.j2").render(colours=COLOURS)
        files = {STYLESHEET: css.encode("utf-8")}
        folder = resources.files("resolution_archive.site") / "assets"
        for name in STATIC_ASSETS:
            files[f"{ASSETS}/{name}"] = (folder / name).read_bytes()
        files[SEARCH_INDEX] = index_script(self.data)
        for year in self.data.years:
            for revision in year.revisions:
                name = source_file(year.record.year, revision.number, revision.source.filename)
                files[name] = revision.content
        return files

    def render_all(self, advance: Callable[[int], None] | None = None) -> dict[str, bytes]:
        """Every file of the site, keyed by its path under OUTDIR."""
        files = self.assets()
        for path, content in self.files():
            files[path] = content
            if advance is not None:
                advance(1)
        return files

