"""Threads: one demand followed across every year of a series. Pure: plain data in, threads out.

A thread chains the year-to-year pairings the diff engine makes (one `Change` list per pair of
consecutive archive years) and adds what two-year diffs cannot see: a demand added this year is
also compared with demands dropped in earlier years, and a match resumes the old thread as
"reappeared" with the gap shown. Reviewer decisions (`Decision`) override the engine before the
chaining, so every view built from threads respects them. No database and no click here: the
store supplies texts, cached pairings and decisions; the CLI and the static site render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from resolution_archive.diff import (
    BUILT_IN,
    Change,
    Kind,
    Lexicon,
    Op,
    change_ops,
    diff_items,
    document_order,
    inline_ops,
)
from resolution_archive.text.normalize import comparison_map

VersionChange = Literal["added", "unchanged", "reworded", "merged", "split", "reappeared"]
VERSION_CHANGES: tuple[VersionChange, ...] = (
    "added", "unchanged", "reworded", "merged", "split", "reappeared")
LinkKind = Literal["reworded", "merged", "split", "unchanged"]
LINK_KINDS: tuple[LinkKind, ...] = ("reworded", "merged", "split", "unchanged")
TITLE_LENGTH = 24


def ref(year: int, number: int) -> str:
    """How a demand is named everywhere: `2024:7` (year, demand number in that year)."""
    return f"{year}:{number}"


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearItems:
    """One archive year's items (demands or declaration paragraphs), display texts in order."""

    year: int
    items: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """A reviewer's ruling on two demands, resolved to their current positions.

    `link` forces the two into one row (as `kind`), `unlink` forces them apart; the engine's
    answer stands for everything the decision does not mention.
    """

    old_year: int
    old: int
    new_year: int
    new: int
    action: Literal["link", "unlink"]
    kind: LinkKind | None
    decided_by: str


# --- decisions over one pairing -----------------------------------------------------------------


def _kind(old: Sequence[int], new: Sequence[int], same: bool) -> Kind:
    if not old:
        return "added"
    if not new:
        return "dropped"
    if len(old) > 1:
        return "merged"
    if len(new) > 1:
        return "split"
    return "unchanged" if same else "reworded"


def apply_decisions(
    changes: Sequence[Change],
    old_items: Sequence[str],
    new_items: Sequence[str],
    decisions: Iterable[Decision],
) -> tuple[Change, ...]:
    """The engine's rows for one pair of documents with the reviewers' links and unlinks applied.

    Rows no decision touches are returned as the engine made them; the rows a decision reshapes
    are rebuilt from the linked positions (connected old/new items form one row) with fresh
    inline changes, and carry `decided_by`. Positions outside the documents are ignored (a stale
    decision is reported by `archive verify`, never applied to another demand).
    """
    chosen = [d for d in decisions
              if 1 <= d.old <= len(old_items) and 1 <= d.new <= len(new_items)]
    if not chosen:
        return tuple(changes)
    edges: set[tuple[int, int]] = set()
    for c in changes:
        edges.update((i, j) for i in c.old for j in c.new)
    link_kind: dict[tuple[int, int], LinkKind | None] = {}
    by_old: dict[int, str] = {}
    by_new: dict[int, str] = {}
    for d in chosen:  # oldest first: a later decision on the same pair wins
        pair = (d.old, d.new)
        if d.action == "link":
            edges.add(pair)
            link_kind[pair] = d.kind
        else:
            edges.discard(pair)
            link_kind.pop(pair, None)
        by_old[d.old] = d.decided_by
        by_new[d.new] = d.decided_by

    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i in range(1, len(old_items) + 1):
        find(("o", i))
    for j in range(1, len(new_items) + 1):
        find(("n", j))
    for i, j in edges:
        parent[find(("o", i))] = find(("n", j))
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for i in range(1, len(old_items) + 1):
        groups.setdefault(find(("o", i)), ([], []))[0].append(i)
    for j in range(1, len(new_items) + 1):
        groups.setdefault(find(("n", j)), ([], []))[1].append(j)

    untouched = {(c.old, c.new): c for c in changes}
    rows: list[Change] = []
    for old, new in groups.values():
        key = (tuple(old), tuple(new))
        deciders = [by_old[i] for i in old if i in by_old] + [by_new[j] for j in new if j in by_new]
        if key in untouched and not deciders:
            rows.append(untouched[key])
            continue
        old_text = "\n".join(old_items[i - 1] for i in old)
        new_text = "\n".join(new_items[j - 1] for j in new)
        same = bool(old and new) and (comparison_map(old_text).text
                                      == comparison_map(new_text).text)
        kind = _kind(old, new, same)
        if kind == "reworded" and link_kind.get((old[0], new[0])) == "unchanged":
            kind = "unchanged"  # the reviewer judged the difference immaterial (notation)
        ops = change_ops(kind, old_text, new_text)
        previous = untouched.get(key)
        rows.append(Change(
            kind=kind, old=tuple(old), new=tuple(new), old_text=old_text, new_text=new_text,
            ops=ops, similarity=None if previous is None else previous.similarity,
            moved=False if previous is None else previous.moved,
            decided_by=deciders[-1] if deciders else None,
        ))
    return tuple(rows[k] for k in document_order([(r.old, r.new) for r in rows]))


# --- threads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One year's wording of a thread and how it came from the thread's previous wording.

    `ops` replay the previous wording into this one (for merged/split rows, the whole row: all
    merged demands into the new one, or the old demand into all its parts); `previous` names the
    demands it came from (several for a merge).
    """

    year: int
    number: int
    text: str
    change: VersionChange
    ops: tuple[Op, ...] = ()
    similarity: float | None = None
    previous: tuple[str, ...] = ()
    decided_by: str | None = None

    @property
    def ref(self) -> str:
        return ref(self.year, self.number)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "year": self.year,
            "number": self.number,
            "text": self.text,
            "change": self.change,
            "from": list(self.previous),
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "ops": [[op, text] for op, text in self.ops],
        }
        if self.decided_by is not None:
            data["decided_by"] = self.decided_by
        return data


Ending = Literal["dropped", "merged"]


@dataclass(frozen=True)
class Thread:
    """A demand's life: its wording year by year, how it began and how (if) it ended.

    `id` is the reference of its first version (`2022:7`), stable as long as that year is.
    `gaps` are (last year seen, year it reappeared) pairs; `missing_years` are years inside the
    thread's span that are not in the archive at all (a gap in the archive, not in the demand).
    """

    id: str
    versions: tuple[Version, ...]
    ending: Ending | None = None
    merged_into: str | None = None
    split_from: str | None = None
    gaps: tuple[tuple[int, int], ...] = ()
    missing_years: tuple[int, ...] = ()

    @property
    def first_year(self) -> int:
        return self.versions[0].year

    @property
    def last_year(self) -> int:
        return self.versions[-1].year

    @property
    def title(self) -> str:
        """A short label from the latest wording: up to its first 、 when that is short."""
        text = self.versions[-1].text
        head = text.split("、", 1)[0]
        if len(head) <= TITLE_LENGTH:
            return head
        return text[: TITLE_LENGTH - 1] + "…"

    def version_in(self, year: int) -> Version | None:
        return next((v for v in self.versions if v.year == year), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "ending": self.ending,
            "merged_into": self.merged_into,
            "split_from": self.split_from,
            "gaps": [list(g) for g in self.gaps],
            "missing_years": list(self.missing_years),
            "versions": [v.to_json() for v in self.versions],
        }


@dataclass(frozen=True)
class ThreadSet:
    """Every thread of one document kind of a series, and the archive years they span."""

    years: tuple[int, ...]
    threads: tuple[Thread, ...]
    _index: Mapping[tuple[int, int], str] = field(default_factory=dict, repr=False)
    _by_id: Mapping[str, Thread] = field(default_factory=dict, repr=False)

    def thread(self, thread_id: str) -> Thread | None:
        return self._by_id.get(thread_id)

    def thread_of(self, year: int, number: int) -> Thread | None:
        """The thread holding demand `number` of `year`, or None if there is no such demand."""
        found = self._index.get((year, number))
        return None if found is None else self._by_id[found]

    def matching(self, needle: str) -> tuple[Thread, ...]:
        """Threads any of whose wordings contain `needle` (compared on the normalised form)."""
        form = comparison_map(needle).text
        if not form:
            return ()
        return tuple(t for t in self.threads
                     if any(form in comparison_map(v.text).text for v in t.versions))

    def timeline(self, first: int | None = None, last: int | None = None) -> Timeline:
        years = tuple(y for y in self.years
                      if (first is None or y >= first) and (last is None or y <= last))
        chosen = set(years)
        rows = tuple(t for t in self.threads if any(v.year in chosen for v in t.versions))
        return Timeline(years=years, threads=rows)


@dataclass(frozen=True)
class Timeline:
    """Threads × years: which version (and change kind) each thread has in each year."""

    years: tuple[int, ...]
    threads: tuple[Thread, ...]

    @property
    def missing_years(self) -> tuple[int, ...]:
        if not self.years:
            return ()
        present = set(self.years)
        return tuple(y for y in range(self.years[0], self.years[-1] + 1) if y not in present)

    def cells(self, thread: Thread) -> dict[int, Version]:
        chosen = set(self.years)
        return {v.year: v for v in thread.versions if v.year in chosen}

    def to_json(self) -> dict[str, Any]:
        threads = []
        for t in self.threads:
            cells: dict[str, Any] = {}
            for year, v in self.cells(t).items():
                cell: dict[str, Any] = {"number": v.number, "change": v.change}
                if v.decided_by is not None:
                    cell["decided_by"] = v.decided_by
                cells[str(year)] = cell
            threads.append({"id": t.id, "title": t.title, "first_year": t.first_year,
                            "last_year": t.last_year, "ending": t.ending, "cells": cells})
        return {"years": list(self.years), "missing_years": list(self.missing_years),
                "threads": threads}


@dataclass(frozen=True)
class Reappearance:
    """A demand added in a later year judged to be a dropped demand coming back."""

    old: int  # index into the dormant wordings given to the matcher
    new: int  # index into the added wordings
    ops: tuple[Op, ...]
    similarity: float | None


Matcher = Callable[[Sequence[str], Sequence[str]], Sequence[Reappearance]]


def match_reappearances(
    dormant: Sequence[str], added: Sequence[str], lexicon: Lexicon = BUILT_IN
) -> list[Reappearance]:
    """The engine's one-to-one pairs between dropped demands' last wordings and new demands.

    Merges and splits across a gap are not recognised: a demand that comes back is one demand.
    """
    if not dormant or not added:
        return []
    result = diff_items(dormant, added, lexicon=lexicon)
    return [Reappearance(c.old[0] - 1, c.new[0] - 1, c.ops, c.similarity)
            for c in result.changes
            if c.kind in ("unchanged", "reworded") and len(c.old) == 1 and len(c.new) == 1]


@dataclass
class _Building:
    id: str
    versions: list[Version]
    ending: Ending | None = None
    merged_into: str | None = None
    split_from: str | None = None
    gaps: list[tuple[int, int]] = field(default_factory=list)


def _version_change(kind: Kind) -> VersionChange:
    if kind in ("unchanged", "reworded", "merged", "split"):
        return kind
    raise ValueError(f"a row with old and new items cannot be {kind!r}")


def build_threads(
    years: Sequence[YearItems],
    pairings: Sequence[Sequence[Change]],
    *,
    decisions: Sequence[Decision] = (),
    matcher: Matcher = match_reappearances,
) -> ThreadSet:
    """Chain the pairings of consecutive archive years into threads.

    `pairings[k]` is the engine's comparison of `years[k]` with `years[k + 1]` (as from
    `diff_items`); decisions on that pair are applied first. Demands added in a year are then
    offered to `matcher` together with the last wordings of threads dropped before the previous
    year; a match resumes the dropped thread. Gaps in the archive (a year with no text) are not
    papered over: the pairing runs across them and each thread lists them in `missing_years`.
    """
    if len(pairings) != max(len(years) - 1, 0):
        raise ValueError(f"{len(years)} years need {max(len(years) - 1, 0)} pairings, "
                         f"not {len(pairings)}")
    building: list[_Building] = []
    current: dict[int, int] = {}  # position in the current year → index into `building`
    if years:
        first = years[0]
        for n, text in enumerate(first.items, start=1):
            current[n] = len(building)
            building.append(_Building(ref(first.year, n), [Version(
                first.year, n, text, "added", (("+", text),))]))
    for k, changes in enumerate(pairings):
        old_year, new_year = years[k], years[k + 1]
        applied = apply_decisions(
            changes, old_year.items, new_year.items,
            [d for d in decisions if d.old_year == old_year.year and d.new_year == new_year.year])
        following: dict[int, int] = {}
        added: list[tuple[int, Change]] = []
        for c in applied:
            if not c.new:
                for i in c.old:
                    building[current[i]].ending = "dropped"
                continue
            if not c.old:
                added.append((c.new[0], c))
                continue
            previous = tuple(ref(old_year.year, i) for i in c.old)
            kind: VersionChange = "merged" if len(c.old) > 1 else _version_change(c.kind)
            head = current[c.old[0]]
            for i in c.old[1:]:
                other = building[current[i]]
                other.ending = "merged"
                other.merged_into = building[head].id
            for part, j in enumerate(c.new):
                version = Version(new_year.year, j, new_year.items[j - 1], kind, c.ops,
                                  c.similarity, previous, c.decided_by)
                if part == 0:
                    building[head].versions.append(version)
                    following[j] = head
                else:
                    following[j] = len(building)
                    building.append(_Building(ref(new_year.year, j), [version],
                                              split_from=building[head].id))
        dormant = [(n, b) for n, b in enumerate(building)
                   if b.ending == "dropped" and b.versions[-1].year < old_year.year]
        gap_decisions = [d for d in decisions if d.new_year == new_year.year
                         and d.old_year != old_year.year]
        resumed = _reappearances(dormant, added, new_year, matcher, gap_decisions)
        for j, c in added:
            if j in resumed:
                thread_index, version = resumed[j]
                thread = building[thread_index]
                thread.gaps.append((thread.versions[-1].year, new_year.year))
                thread.versions.append(version)
                thread.ending = None
                following[j] = thread_index
            else:
                following[j] = len(building)
                building.append(_Building(ref(new_year.year, j), [Version(
                    new_year.year, j, new_year.items[j - 1], "added", c.ops,
                    decided_by=c.decided_by)]))
        current = following
    archive_years = tuple(y.year for y in years)
    present = set(archive_years)
    threads = tuple(
        Thread(b.id, tuple(b.versions), b.ending, b.merged_into, b.split_from, tuple(b.gaps),
               tuple(y for y in range(b.versions[0].year, b.versions[-1].year + 1)
                     if y not in present))
        for b in building)
    by_id = {t.id: t for t in threads}
    index = {(v.year, v.number): t.id for t in threads for v in t.versions}
    return ThreadSet(archive_years, threads, index, by_id)


def _reappearances(
    dormant: list[tuple[int, _Building]],
    added: list[tuple[int, Change]],
    year: YearItems,
    matcher: Matcher,
    decisions: Sequence[Decision],
) -> dict[int, tuple[int, Version]]:
    """Added demands (by position) that resume a dormant thread: building index and version."""
    if not dormant or not added:
        return {}
    wordings = [b.versions[-1].text for _, b in dormant]
    texts = [c.new_text for _, c in added]
    found: dict[int, tuple[int, Reappearance, str | None]] = {}
    for match in matcher(wordings, texts):
        found[match.new] = (match.old, match, None)
    last_ref = {(b.versions[-1].year, b.versions[-1].number): k
                for k, (_, b) in enumerate(dormant)}
    position = {j: m for m, (j, _) in enumerate(added)}
    for d in decisions:
        k = last_ref.get((d.old_year, d.old))
        m = position.get(d.new)
        if k is None or m is None:
            continue
        if d.action == "unlink":
            if m in found and found[m][0] == k:
                found[m] = (-1, found[m][1], d.decided_by)
            continue
        for other, (kk, _, _) in list(found.items()):
            if kk == k:
                del found[other]
        found[m] = (k, Reappearance(k, m, inline_ops(wordings[k], texts[m]), None),
                    d.decided_by)
    resumed: dict[int, tuple[int, Version]] = {}
    used: set[int] = set()
    for m in sorted(found):
        k, match, decided_by = found[m]
        if k < 0 or k in used:
            continue
        used.add(k)
        j = added[m][0]
        building_index, thread = dormant[k]
        resumed[j] = (building_index, Version(
            year.year, j, year.items[j - 1], "reappeared", match.ops, match.similarity,
            (thread.versions[-1].ref,), decided_by))
    return resumed
