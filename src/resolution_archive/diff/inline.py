"""Inline edit operations between two texts, on whole words, over the original characters.

The character diff (diff-match-patch) runs on comparison forms, so width and line breaks are
never differences. Its change boundaries are then widened to SudachiPy word boundaries (core
dictionary, split mode B) so a reader sees 「[-子ども-]{+こども+}」 rather than
「[-子-]{+こ+}ども」, and numbers are kept whole (「[-3,400-]{+3,500+}」). Finally each range is
mapped back to the original characters with `Mapped.original`, so the "=" and "-" parts joined
give the old text and the "=" and "+" parts joined give the new text, exactly.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Literal

import sudachidict_core
from diff_match_patch import diff_match_patch
from sudachipy import Dictionary, SplitMode

from resolution_archive.diff.pages import release_file_pages
from resolution_archive.diff_model import Op
from resolution_archive.text.normalize import Mapped, comparison_map

_ARABIC_NUMBER = re.compile(r"[0-9][0-9,.]*[0-9]|[0-9]")
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百千]+")
_NUMERIC_TOKEN = re.compile(
    r"(?:[0-9][0-9,.]*|[〇一二三四五六七八九十百千]+)(?:[万億兆](?:[0-9][0-9,.]*|[〇一二三四五六七八九十百千]+)?)*"
)
_UNIT = re.compile(r"[万億兆]")


# the file Dictionary(dict="core") memory-maps
SYSTEM_DICTIONARY = Path(sudachidict_core.__file__).parent / "resources" / "system.dic"


@functools.cache
def tokenizer() -> Any:
    """The Sudachi tokenizer, created once per process (loading the dictionary is the cost).

    Loading reads the dictionary's whole connection matrix (~72 MiB of the mapped file) once;
    those pages are handed back right away (diff/pages.py) and only the few that tokenizing
    touches come back, so a diff's peak memory is ~50 MiB lower with the same results.
    """
    dictionary = Dictionary(dict="core")
    release_file_pages(SYSTEM_DICTIONARY)
    return dictionary.tokenizer(SplitMode.B)


@functools.lru_cache(maxsize=8192)
def word_boundaries(text: str) -> frozenset[int]:
    """Offsets in `text` where a word starts or ends; numbers count as one word.

    Sudachi glues a number to its unit (「3,400億」, 「三千四百億」); the unit is split off so
    only the figure changes, and boundaries inside a run of digits are removed.
    """
    bounds = {0, len(text)}
    if not text:
        return frozenset(bounds)
    for morpheme in tokenizer().tokenize(text):
        begin, end = morpheme.begin(), morpheme.end()
        bounds.update((begin, end))
        surface = text[begin:end]
        if _NUMERIC_TOKEN.fullmatch(surface):
            for unit in _UNIT.finditer(surface):
                bounds.update((begin + unit.start(), begin + unit.end()))
    for pattern in (_ARABIC_NUMBER, _KANJI_NUMBER):
        for number in pattern.finditer(text):
            if pattern is _KANJI_NUMBER and number.end() - number.start() < 2:
                continue
            bounds.difference_update(range(number.start() + 1, number.end()))
    return frozenset(bounds)


def _char_diff(a: str, b: str) -> list[tuple[int, str]]:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # no time limit: the same input always gives the same diff
    diffs: list[tuple[int, str]] = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return diffs


Region = tuple[int, int, int, int]  # old start, old end, new start, new end (comparison form)


def _regions(a: str, b: str) -> list[Region]:
    """Maximal changed regions of the character diff, in both texts' coordinates."""
    regions: list[Region] = []
    i = j = 0
    current: list[int] | None = None
    for op, text in _char_diff(a, b):
        if op == 0:
            if current is not None:
                regions.append((current[0], i, current[1], j))
                current = None
            i += len(text)
            j += len(text)
            continue
        if current is None:
            current = [i, j]
        if op < 0:
            i += len(text)
        else:
            j += len(text)
    if current is not None:
        regions.append((current[0], i, current[1], j))
    return regions


def _widen(regions: list[Region], a: str, b: str) -> list[Region]:
    """Move region edges outwards until they fall on word boundaries in both texts."""
    bounds_a = word_boundaries(a)
    bounds_b = word_boundaries(b)
    out: list[Region] = []
    for k, (a0, a1, b0, b1) in enumerate(regions):
        limit = out[-1][1] if out else 0
        while a0 > limit and not (a0 in bounds_a and b0 in bounds_b):
            a0 -= 1
            b0 -= 1
        if out and a0 == out[-1][1]:
            a0, _, b0, _ = out.pop()
        limit = regions[k + 1][0] if k + 1 < len(regions) else len(a)
        while a1 < limit and not (a1 in bounds_a and b1 in bounds_b):
            a1 += 1
            b1 += 1
        out.append((a0, a1, b0, b1))
    # A region widened up to the next one's original start touches it: merge them.
    merged: list[Region] = []
    for region in out:
        if merged and region[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], region[1], merged[-1][2], region[3])
        else:
            merged.append(region)
    return merged


def _common_prefix(x: str, y: str) -> int:
    n = 0
    for cx, cy in zip(x, y, strict=False):
        if cx != cy:
            break
        n += 1
    return n


def _equal_ops(
    old_map: Mapped, new_map: Mapped, old_text: str, new_text: str, a: Region
) -> list[Op]:
    """Ops for a range equal in comparison form; width or spacing may still differ."""
    a0, a1, b0, _ = a
    old_slice = old_map.original(a0, a1, old_text)
    new_slice = new_map.original(b0, b0 + (a1 - a0), new_text)
    if old_slice == new_slice:
        return [("=", old_slice)]
    ops: list[Op] = []
    for k in range(a1 - a0):
        o = old_map.original(a0 + k, a0 + k + 1, old_text)
        n = new_map.original(b0 + k, b0 + k + 1, new_text)
        p = _common_prefix(o, n)
        ops.extend((("=", o[:p]), ("-", o[p:]), ("+", n[p:])))
    return ops


def _coalesce(ops: list[Op]) -> tuple[Op, ...]:
    """Drop empty parts, join neighbours, and order each change as deletion then insertion."""
    out: list[Op] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append(("-", "".join(deleted)))
        if inserted:
            out.append(("+", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text in ops:
        if not text:
            continue
        if op == "=":
            flush()
            if out and out[-1][0] == "=":
                out[-1] = ("=", out[-1][1] + text)
            else:
                out.append(("=", text))
        elif op == "-":
            deleted.append(text)
        else:
            inserted.append(text)
    flush()
    return tuple(out)


def inline_ops(old_text: str, new_text: str) -> tuple[Op, ...]:
    """Word-level edit operations turning `old_text` into `new_text` (display texts).

    Texts of merged or split changes are their member texts joined with "\\n"; the line break
    disappears in the comparison form and travels with the character before it.
    """
    old_map = comparison_map(old_text)
    new_map = comparison_map(new_text)
    a, b = old_map.text, new_map.text
    if not a or not b:
        return _coalesce([("-", old_text), ("+", new_text)])
    regions = _widen(_regions(a, b), a, b)
    ops: list[Op] = []
    i = j = 0
    for a0, a1, b0, b1 in [*regions, (len(a), len(a), len(b), len(b))]:
        if a0 > i:
            ops.extend(_equal_ops(old_map, new_map, old_text, new_text, (i, a0, j, b0)))
        if a1 > a0:
            ops.append(("-", old_map.original(a0, a1, old_text)))
        if b1 > b0:
            ops.append(("+", new_map.original(b0, b1, new_text)))
        i, j = a1, b1
    return _coalesce(ops)


def render(ops: tuple[Op, ...]) -> str:
    """Compact text form for logs and tests: 「[-old-]{+new+}」 around changes."""
    marks: dict[Literal["=", "-", "+"], tuple[str, str]] = {
        "=": ("", ""),
        "-": ("[-", "-]"),
        "+": ("{+", "+}"),
    }
    return "".join(marks[op][0] + text + marks[op][1] for op, text in ops)
