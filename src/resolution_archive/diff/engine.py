"""The public diff entry points: items (demands) or paragraphs in, DiffResult out. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from resolution_archive.diff.align import Group, align, moved_groups
from resolution_archive.diff.concepts import BUILT_IN, Lexicon
from resolution_archive.diff.dates import is_date_only
from resolution_archive.diff.inline import inline_ops
from resolution_archive.diff.thresholds import Thresholds
from resolution_archive.diff_model import Change, DiffResult, Kind, Op, Related
from resolution_archive.text.normalize import (
    comparison_form,
    comparison_map,
    demand_body,
    display_form,
    heading_name,
)
from resolution_archive.text.numerals import value_form

JOINER = "\n"
"""Separator of member texts in old_text/new_text of merged and split changes."""


def as_written(shared: str, text: str) -> str:
    """`shared` (found on comparison/value forms) in the characters `text` uses.

    Related links are found on normalised forms, where ＤＸ is DX and （税） is (税); a reader
    must see the wording as the demand prints it. Wording that holds a number written another
    way (only the value form has it) cannot be located and is shown as found.
    """
    mapped = comparison_map(text)
    at = mapped.text.find(shared)
    if not shared or at < 0:
        return shared
    return display_form(mapped.original(at, at + len(shared), text))


def _kind(group: Group) -> Kind:
    if not group.old:
        return "added"
    if not group.new:
        return "dropped"
    if len(group.old) > 1:
        return "merged"
    if len(group.new) > 1:
        return "split"
    return "unchanged" if group.exact else "reworded"


def _retitled(old: str, new: str) -> bool:
    """Whether both items carry a title (item_heading) and the titles differ.

    A title only one year prints is the source's layout (a book titles its demands, a web page
    does not); a title both print and one changed is a visible edit to the demand."""
    titles = heading_name(old), heading_name(new)
    return all(titles) and comparison_form(titles[0]) != comparison_form(titles[1])


def change_ops(kind: Kind, old_text: str, new_text: str) -> tuple[Op, ...]:
    """The inline ops of one change: a whole insertion or deletion, else word-level edits.

    Shared by the engine and by reviewer decisions (lineage), so a corrected comparison shows
    its rows exactly as the engine would.
    """
    if kind == "added":
        return (("+", new_text),)
    if kind == "dropped":
        return (("-", old_text),)
    return inline_ops(old_text, new_text)


def document_order(rows: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[int]:
    """Indices of (old positions, new positions) rows in document order.

    Rows with new items go by their first new position; a dropped row goes right after the row
    holding its preceding old neighbour (chains of drops follow each other), or first when it
    has none. Positions may count from 0 or 1. Shared by the engine and by reviewer decisions
    (lineage), so a corrected comparison reads in the same order as the engine's own.
    """
    holder: dict[int, int] = {}
    for k, (old, _) in enumerate(rows):
        for i in old:
            holder[i] = k
    after: dict[int, list[int]] = {}
    head: list[int] = []
    for k, (old, new) in enumerate(rows):
        if new:
            continue
        before = old[0] - 1
        if before in holder and holder[before] != k:
            after.setdefault(holder[before], []).append(k)
        else:
            head.append(k)
    ordered: list[int] = []
    seen: set[int] = set()

    def emit(start: int) -> None:
        # Depth first, a row then its followers in order; a stack, not recursion, since a run of
        # a thousand dropped demands is a chain a thousand deep.
        stack = [start]
        while stack:
            k = stack.pop()
            if k in seen:
                continue
            seen.add(k)
            ordered.append(k)
            stack.extend(reversed(after.get(k, ())))

    for k in head:
        emit(k)
    for k in sorted((k for k, (_, new) in enumerate(rows) if new), key=lambda k: rows[k][1][0]):
        emit(k)
    for k in range(len(rows)):  # anything a cycle of drops left out, in input order
        emit(k)
    return ordered


def diff_items(
    old: Sequence[str],
    new: Sequence[str],
    *,
    thresholds: Thresholds | None = None,
    lexicon: Lexicon = BUILT_IN,
) -> DiffResult:
    """Compare two documents' items (display texts, one per demand, without 「一、」).

    Every old and new item appears in exactly one Change; changes come in document order. The
    result depends only on the input (and the lexicon of policy names, built-in by default):
    the same input gives byte-identical JSON.
    """
    th = thresholds or Thresholds()
    # Items are aligned on value forms: comparison forms with numbers by value (numerals), of
    # the demand's own text (demand_body): its title, page numbers and a caption after its
    # last sentence are not what it asks. Titles are kept apart to pair by (_pair_titles).
    old_forms = [value_form(comparison_map(demand_body(text)).text) for text in old]
    new_forms = [value_form(comparison_map(demand_body(text)).text) for text in new]
    titles = (
        [comparison_form(heading_name(text)) for text in old],
        [comparison_form(heading_name(text)) for text in new],
    )
    groups = align(old_forms, new_forms, th, lexicon, titles)
    moved = moved_groups(groups)
    changes: list[Change] = []
    for k in document_order([(g.old, g.new) for g in groups]):
        group = groups[k]
        kind = _kind(group)
        if kind == "unchanged" and _retitled(old[group.old[0]], new[group.new[0]]):
            kind = "reworded"
        old_text = JOINER.join(old[i] for i in group.old)
        new_text = JOINER.join(new[j] for j in group.new)
        ops = change_ops(kind, old_text, new_text)
        date_only = kind == "reworded" and is_date_only(
            old_forms[group.old[0]], new_forms[group.new[0]]
        )
        changes.append(
            Change(
                kind=kind,
                old=tuple(i + 1 for i in group.old),
                new=tuple(j + 1 for j in group.new),
                old_text=old_text,
                new_text=new_text,
                ops=ops,
                similarity=1.0 if kind == "unchanged" else group.similarity,
                moved=k in moved,
                date_only=date_only,
                related=tuple(
                    Related(other + 1, score, as_written(shared, new_text or old_text))
                    for other, score, shared in group.related
                ),
            )
        )
    return DiffResult(tuple(changes), th.as_dict())


def diff_paragraphs(
    old: Sequence[str],
    new: Sequence[str],
    *,
    thresholds: Thresholds | None = None,
    lexicon: Lexicon = BUILT_IN,
) -> DiffResult:
    """Compare declaration (宣言) paragraphs with the same engine as demands.

    Paragraphs are longer and share more vocabulary than demands, but the same thresholds
    separate them on the 2024 declaration and its variants, so no separate tuning exists.
    """
    return diff_items(old, new, thresholds=thresholds, lexicon=lexicon)
