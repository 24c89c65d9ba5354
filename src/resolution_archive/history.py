"""The archive across years: threads, search and reviewer decisions over a stored series.

Like compare.py this sits between the store and the pure core: it reads the latest wording of
every year and the cached pairings from the store, computes only the pairings the cache lacks
(with `diff_items`), builds threads with `lineage`, then writes the new pairings back in a
short transaction of their own. A read-only archive still answers; it just cannot keep what it
computed. A site builder calls `load_threads` / `search` directly, without the CLI.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from resolution_archive.diff import BUILT_IN, ENGINE_VERSION, Change, Lexicon, diff_items
from resolution_archive.errors import InputError, NotFound, StoreError
from resolution_archive.lineage import (
    Decision,
    LinkKind,
    Reappearance,
    Thread,
    ThreadSet,
    YearItems,
    build_threads,
    match_reappearances,
)
from resolution_archive.store import read as store
from resolution_archive.store.read import Access, Reader
from resolution_archive.store.records import DecisionRecord, SearchRow, in_force, locate
from resolution_archive.text.normalize import comparison_form, comparison_map

Pending = list[tuple[str, str, str, str]]


def digest(
    scope: str, old: Sequence[str], new: Sequence[str], lexicon: Lexicon = BUILT_IN
) -> str:
    """The cache key of one engine answer: engine version, what was compared, both texts, and
    the office's own policy names when some were given (answers with the built-in ones keep
    the keys they always had)."""
    key: list[object] = [ENGINE_VERSION, scope, list(old), list(new)]
    if lexicon != BUILT_IN:
        key.append(lexicon.fingerprint)
    payload = json.dumps(key, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def change_to_json(change: Change) -> dict[str, Any]:
    """A change as the cache keeps it: the public JSON with the similarity unrounded."""
    return {**change.to_json(), "similarity": change.similarity}


def change_from_json(data: dict[str, Any]) -> Change:
    return Change(
        kind=data["kind"], old=tuple(data["old"]), new=tuple(data["new"]),
        old_text=data["old_text"], new_text=data["new_text"],
        ops=tuple((op, text) for op, text in data["ops"]), similarity=data["similarity"],
        moved=data["moved"], date_only=data["date_only"],
    )


# --- decisions --------------------------------------------------------------------------------


def resolve_decisions(
    records: Sequence[DecisionRecord], forms: dict[int, Sequence[str]]
) -> tuple[list[Decision], list[DecisionRecord]]:
    """Decisions in force mapped to current positions, and those whose demands no longer exist.

    `forms` maps a year to the comparison forms of its current demands.
    """
    resolved: list[Decision] = []
    stale: list[DecisionRecord] = []
    for record in in_force(records):
        old = locate(forms.get(record.old_year, ()), record.old_number, record.old_text)
        new = locate(forms.get(record.new_year, ()), record.new_number, record.new_text)
        if old is None or new is None:
            stale.append(record)
            continue
        kind: LinkKind | None = record.kind  # type: ignore[assignment]
        resolved.append(Decision(record.old_year, old, record.new_year, new,
                                 "link" if record.action == "link" else "unlink", kind,
                                 record.decided_by))
    return resolved, stale


def decisions_for(
    reader: Reader, series: str, old: tuple[int, Sequence[str]], new: tuple[int, Sequence[str]]
) -> list[Decision]:
    """The decisions in force between two documents given as (year, demand display texts)."""
    forms: dict[int, Sequence[str]] = {old[0]: [comparison_map(t).text for t in old[1]],
             new[0]: [comparison_map(t).text for t in new[1]]}
    resolved, _ = resolve_decisions(store.decisions(reader, series), forms)
    return [d for d in resolved if d.old_year == old[0] and d.new_year == new[0]]


# --- threads ----------------------------------------------------------------------------------


@dataclass
class Built:
    """Threads and what building them cost: pairings reused from the cache or computed."""

    threads: ThreadSet
    reused: int = 0
    computed: int = 0
    pending: Pending = field(default_factory=list)


def build(
    reader: Reader, series: str, document: str = "resolution", lexicon: Lexicon = BUILT_IN
) -> Built:
    """Threads of one document kind of a series, from the cache where it can (no writes)."""
    years = store.year_texts(reader, series, document)
    keys = [digest("pair", a.texts, b.texts, lexicon) for a, b in pairwise(years)]
    have = store.cached(reader, keys)
    built = Built(ThreadSet((), ()))
    pairings: list[Sequence[Change]] = []
    for key, (a, b) in zip(keys, pairwise(years), strict=True):
        if key in have:
            built.reused += 1
            pairings.append([change_from_json(c) for c in json.loads(have[key])])
            continue
        result = diff_items(a.texts, b.texts, lexicon=lexicon)
        built.computed += 1
        built.pending.append((key, ENGINE_VERSION, "pair", json.dumps(
            [change_to_json(c) for c in result.changes], ensure_ascii=False)))
        pairings.append(result.changes)

    def matcher(dormant: Sequence[str], added: Sequence[str]) -> Sequence[Reappearance]:
        key = digest("gap", dormant, added, lexicon)
        stored = store.cached(reader, [key]).get(key)
        if stored is not None:
            built.reused += 1
            return [Reappearance(o, n, tuple((op, t) for op, t in ops), sim)
                    for o, n, ops, sim in json.loads(stored)]
        found = match_reappearances(dormant, added, lexicon)
        built.computed += 1
        built.pending.append((key, ENGINE_VERSION, "gap", json.dumps(
            [[m.old, m.new, [list(op) for op in m.ops], m.similarity] for m in found],
            ensure_ascii=False)))
        return found

    decisions: list[Decision] = []
    if document == "resolution":
        forms: dict[int, Sequence[str]] = {y.year: y.forms for y in years}
        decisions = resolve_decisions(store.decisions(reader, series), forms)[0]
    built.threads = build_threads([YearItems(y.year, y.texts) for y in years], pairings,
                                  decisions=decisions, matcher=matcher)
    return built


def keep(access: Access, pending: Pending) -> bool:
    """Store computed pairings; False when the archive cannot be written (read-only)."""
    if not pending:
        return True
    try:
        with access.writing() as writer:
            store.store_cached(writer, pending)
    except StoreError:
        return False
    return True


def load_threads(
    access: Access, series: str, document: str = "resolution", lexicon: Lexicon = BUILT_IN
) -> Built:
    """Every thread of a series' resolutions (or declarations), caching what was computed."""
    with access.reading() as reader:
        built = build(reader, series, document, lexicon)
    keep(access, built.pending)
    return built


# --- search -----------------------------------------------------------------------------------


def highlight_spans(text: str, form: str) -> tuple[tuple[int, int], ...]:
    """Where `form` (a comparison form) occurs in `text`, as [start, end) display offsets."""
    mapped = comparison_map(text)
    spans: list[tuple[int, int]] = []
    start = mapped.text.find(form)
    while form and start >= 0:
        end = start + len(form)
        spans.append((mapped.source[start], mapped.source[end - 1] + 1))
        start = mapped.text.find(form, end)
    return tuple(spans)


@dataclass(frozen=True)
class Hit:
    year: int
    document: str
    number: int
    text: str
    thread: str | None
    spans: tuple[tuple[int, int], ...]

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "document": self.document, "number": self.number,
                "text": self.text, "thread": self.thread,
                "highlights": [list(s) for s in self.spans]}


@dataclass(frozen=True)
class SearchResult:
    query: str
    form: str
    hits: tuple[Hit, ...]
    threads: dict[str, Thread]

    def grouped(self) -> list[tuple[Thread | None, list[Hit]]]:
        """Hits by thread, threads in order of their first hit."""
        groups: dict[str | None, list[Hit]] = {}
        for hit in self.hits:
            groups.setdefault(hit.thread, []).append(hit)
        return [(None if key is None else self.threads.get(key), hits)
                for key, hits in groups.items()]

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "hits": [h.to_json() for h in self.hits]}


def query_form(query: str) -> str:
    form = comparison_form(query)
    if not form:
        raise InputError("the search text is empty once spaces are removed; give a word "
                         "to look for, e.g. 子育て")
    return form


def search_rows(
    reader: Reader, series: str, form: str, *, first: int | None = None,
    last: int | None = None, document: str | None = None,
) -> list[SearchRow]:
    """The index query alone (what the benchmark times as "search's own query")."""
    return store.search(reader, series, form, first=first, last=last, document=document)


def search(
    access: Access, series: str, query: str, *, first: int | None = None,
    last: int | None = None, document: str | None = None, lexicon: Lexicon = BUILT_IN,
) -> SearchResult:
    """Every demand and declaration paragraph containing `query`, each with its thread."""
    form = query_form(query)
    pending: Pending = []
    with access.reading() as reader:
        rows = search_rows(reader, series, form, first=first, last=last, document=document)
        sets: dict[str, ThreadSet] = {}
        for kind in sorted({r.document for r in rows}):
            built = build(reader, series, kind, lexicon)
            sets[kind] = built.threads
            pending += built.pending
    keep(access, pending)
    hits: list[Hit] = []
    threads: dict[str, Thread] = {}
    for row in rows:
        thread = sets[row.document].thread_of(row.year, row.number)
        key = None if thread is None else thread_key(row.document, thread)
        if thread is not None and key is not None:
            threads[key] = thread
        hits.append(Hit(row.year, row.document, row.number, row.text, key,
                        highlight_spans(row.text, form)))
    return SearchResult(query, form, tuple(hits), threads)


def thread_key(document: str, thread: Thread) -> str:
    """Thread ids are per document; a declaration thread is named 宣言2022:3 to tell them apart."""
    return thread.id if document == "resolution" else f"宣言{thread.id}"


# --- history ----------------------------------------------------------------------------------


def find_history(
    access: Access, series: str, *, demand: tuple[int, int] | None = None,
    text: str | None = None, lexicon: Lexicon = BUILT_IN,
) -> list[Thread]:
    """The thread of demand (year, number), or every demand thread whose wording has `text`."""
    if demand is not None:
        threads = load_threads(access, series, lexicon=lexicon).threads
        year, number = demand
        thread = threads.thread_of(year, number)
        if thread is not None:
            return [thread]
        if year not in threads.years:
            listing = ", ".join(map(str, threads.years)) or "none yet — run `archive import FILE`"
            raise NotFound(f"year {year} is not in the archive (years: {listing})")
        count = sum(1 for t in threads.threads for v in t.versions if v.year == year)
        raise NotFound(f"{year} has {count} demands, no demand {number}; "
                       f"see `archive show {year}`")
    assert text is not None
    result = search(access, series, text, document="resolution", lexicon=lexicon)
    found: list[Thread] = []
    for hit in result.hits:
        thread = result.threads.get(hit.thread or "")
        if thread is not None and thread not in found:
            found.append(thread)
    if not found:
        raise NotFound(f"no demand contains 「{text}」; try `archive search {text}` for "
                       "declarations too, or a shorter word")
    return found


# --- decisions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionView:
    """A decision as `archive decisions` lists it, with its state now.

    state: "in force", "superseded" (a later decision on the same demands), or "needs review"
    (its demands' wording is no longer in the archive, e.g. after `import --revise`).
    """

    record: DecisionRecord
    state: str

    def to_json(self) -> dict[str, Any]:
        r = self.record
        return {"id": r.id, "series": r.series,
                "old": {"year": r.old_year, "number": r.old_number},
                "new": {"year": r.new_year, "number": r.new_number},
                "action": r.action, "kind": r.kind, "note": r.note,
                "decided_by": r.decided_by, "decided_at": r.decided_at.isoformat(),
                "state": self.state}

    def line(self) -> str:
        r = self.record
        what = f"link as {r.kind}" if r.action == "link" else "unlink"
        note = f"  — {r.note}" if r.note else ""
        return (f"{r.id:>4}  {r.decided_at:%Y-%m-%d %H:%M}  {r.decided_by}  "
                f"{r.old_year}:{r.old_number} → {r.new_year}:{r.new_number}  {what}  "
                f"[{self.state}]{note}")


def list_decisions(access: Access, series: str) -> list[DecisionView]:
    with access.reading() as reader:
        records = store.decisions(reader, series)
        years = store.year_texts(reader, series, "resolution")
    forms: dict[int, Sequence[str]] = {y.year: y.forms for y in years}
    _, stale = resolve_decisions(records, forms)
    current = {r.id for r in in_force(records)}
    stale_ids = {r.id for r in stale}
    return [DecisionView(r, "needs review" if r.id in stale_ids
                         else "in force" if r.id in current else "superseded")
            for r in records]
