"""What the 新旧対照表 formats share: rows split into demands, underlined passages, labels.

HTML, DOCX, Markdown, CSV and the terminal all need the same derived facts about a change (which
passages to underline on which side, 新3 / 旧3・旧9 labels, the （統合）（移動） markers, which rows
go in the main table and which are listed apart as date-only). Computing them here once keeps the
formats consistent; this module only reshapes the `Report`, it never diffs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from resolution_archive.diff_model import Change, DiffResult, Op
from resolution_archive.report.context import EditionInfo, Report
from resolution_archive.text.numerals import same_notation

SectionKey = Literal["resolution", "declaration"]

KIND_LABELS: dict[str, str] = {
    "reworded": "変更",
    "merged": "統合",
    "split": "分割",
    "added": "新設",
    "dropped": "削除",
    "unchanged": "変更なし",
}
MOVED_LABEL = "移動"
RELATED_LABEL = "関連"
NOTATION_LABEL = "表記のみ"
DECIDED_LABEL = "確認済み"  # a reviewer's decision (archive link/unlink) made this row
DATE_ONLY_LABEL = "日付のみ"
# Order of the counts in every summary line: substantive kinds first, then the flags.
SUMMARY_ORDER: tuple[str, ...] = (
    "reworded",
    "merged",
    "split",
    "added",
    "dropped",
    "unchanged",
    "moved",
    "date_only",
)
SUMMARY_LABELS: dict[str, str] = {**KIND_LABELS, "moved": MOVED_LABEL, "date_only": DATE_ONLY_LABEL}

STATUS_SHORT: dict[str, str] = {"official": "公式", "example": "例示", "unknown": "出典未確認"}
STATUS_LABELS: dict[str, str] = {
    "official": "公式",
    "example": "例示（公式文書ではありません）",
    "unknown": "出典未確認",
}

LEGEND = (
    "傍線（下線）は変更箇所を示す。改正後欄は追加・変更後の字句、改正前欄は削除・変更前の字句。"
    "（新設）は前年になかったもの、（削除）は本年にないもの、（統合）（分割）は複数の項目が"
    "まとめられた／分けられたもの、（移動）は順番が変わったもの、（表記のみ）は全角・半角や漢数字・算用数字など"
    "表記だけが異なるもの（変更なしとして数える）。（関連: 旧N）は対応づけるほどではないが、"
    "特徴的な字句や主題を旧Nと共有する新設項目（削除項目では新N）。"
)

# Era boundaries for 和暦; only the eras a modern resolution can carry.
_ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
)


@dataclass(frozen=True)
class Segment:
    """A run of characters on one side; `changed` ones are underlined (傍線)."""

    text: str
    changed: bool


@dataclass(frozen=True)
class Member:
    """One demand (or declaration paragraph) inside a row: merged/split rows hold several."""

    number: int | None
    label: str
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass(frozen=True)
class Row:
    """One row of the 新旧対照表: a change with both columns ready to format."""

    change: Change
    new: tuple[Member, ...]
    old: tuple[Member, ...]

    @property
    def markers(self) -> tuple[str, ...]:
        """Marker words for this row, e.g. ("統合", "移動"); an unchanged row that moved is 移動."""
        kind = self.change.kind
        if kind == "unchanged":
            # Equal after normalisation; underlines left are notation only (ＫＤＢ/KDB).
            notation = (NOTATION_LABEL,) if self.has_underline else ()
            return ((MOVED_LABEL,) if self.change.moved else (KIND_LABELS[kind],)) + notation \
                + self._decided
        words = [KIND_LABELS[kind]]
        if self.change.moved and kind not in ("added", "dropped"):
            words.append(MOVED_LABEL)
        if self.related_label:
            words.append(self.related_label)
        return (*words, *self._decided)

    @property
    def _decided(self) -> tuple[str, ...]:
        return (DECIDED_LABEL,) if self.change.decided_by is not None else ()

    @property
    def related_label(self) -> str:
        """関連: 旧8 on an added row (関連: 新8 on a dropped one); empty without related demands."""
        if not self.change.related:
            return ""
        prefix = "旧" if self.change.kind == "added" else "新"
        numbers = number_label(prefix, (r.number for r in self.change.related))
        return f"{RELATED_LABEL}: {numbers}"

    @property
    def has_underline(self) -> bool:
        return any(s.changed for m in self.new + self.old for s in m.segments)

    @property
    def marker(self) -> str:
        """Markers as a document shows them: （統合）（移動）."""
        return "".join(f"（{w}）" for w in self.markers)

    @property
    def new_label(self) -> str:
        return number_label("新", self.change.new)

    @property
    def old_label(self) -> str:
        return number_label("旧", self.change.old)


@dataclass(frozen=True)
class Section:
    """The resolution or the declaration, split into the main table and the date-only list."""

    key: SectionKey
    title: str
    item_prefix: str
    unit: str
    summary: dict[str, int]
    rows: tuple[Row, ...]
    date_only: tuple[Row, ...]
    omitted_unchanged: int
    ordered: tuple[Row, ...] = ()
    """Main and date-only rows together, in document order (for one-row-per-change formats)."""

    @property
    def summary_items(self) -> list[tuple[str, int]]:
        return summary_items(self.summary)


def number_label(prefix: str, numbers: Iterable[int]) -> str:
    """新3, 旧3・旧9; empty when the side has no items (added/dropped)."""
    return "・".join(f"{prefix}{n}" for n in numbers)


def summary_items(summary: dict[str, int]) -> list[tuple[str, int]]:
    """Counts as (Japanese label, count) in a fixed order, so every format lists them alike."""
    return [(SUMMARY_LABELS[key], summary.get(key, 0)) for key in SUMMARY_ORDER]


def summary_text(summary: dict[str, int]) -> str:
    return "　".join(f"{label} {count}" for label, count in summary_items(summary))


def wareki_year(date: dt.date) -> str:
    """令和6年 for 2024-11-15; 元年 for an era's first year."""
    for start, era in _ERAS:
        if date >= start:
            n = date.year - start.year + 1
            return f"{era}{'元' if n == 1 else n}年"
    return f"{date.year}年"


def date_text(edition: EditionInfo) -> str:
    """2024年11月15日（令和6年）, or just 2024年 when the text carries no date."""
    if edition.date is None:
        return f"{edition.year}年（日付の記載なし）"
    d = edition.date
    return f"{d.year}年{d.month}月{d.day}日（{wareki_year(d)}）"


def status_label(edition: EditionInfo) -> str:
    return STATUS_LABELS[edition.status]


def column_title(edition: EditionInfo, side: Literal["new", "old"]) -> str:
    """改正後（2024年） / 改正前（2023年）: the wording Japanese 新旧対照表 use for the columns."""
    word = "改正後" if side == "new" else "改正前"
    return f"{word}（{edition.year}年）"


def report_title(report: Report) -> str:
    return f"{report.series} 決議・宣言 新旧対照表（{report.old.year}年 → {report.new.year}年）"


def example_notices(report: Report) -> list[str]:
    """One warning per non-official edition; formats show these prominently near the top."""
    notes = []
    for edition in (report.new, report.old):
        if edition.status == "example":
            notes.append(
                f"{edition.year}年のテキスト（{edition.filename}）は例示用のサンプルであり、"
                "公式の決議・宣言ではありません。"
            )
        elif edition.status == "unknown":
            notes.append(
                f"{edition.year}年のテキスト（{edition.filename}）は出典が確認されていません。"
            )
    return notes


def _normalise(parts: Iterable[tuple[str, bool]]) -> tuple[Segment, ...]:
    """Drop empty runs and join neighbours with the same flag, so output has no empty <ins>."""
    out: list[Segment] = []
    for text, changed in parts:
        if not text:
            continue
        if out and out[-1].changed == changed:
            out[-1] = Segment(out[-1].text + text, changed)
        else:
            out.append(Segment(text, changed))
    return tuple(out)


def notation_ops(change: Change) -> frozenset[int]:
    """Indices of the ops of a changed row that differ from their counterpart in notation only.

    In a reworded (merged, split) row the engine's ops also mark width and numbers written
    another way (「[-３，４００-]{+三千四百+}億円」); a 新旧対照表 underlines changes of wording,
    so such a deletion and insertion are shown plain on both sides. Unchanged rows keep their
    underlines, which the table labels 表記のみ.
    """
    if change.kind == "unchanged":
        return frozenset()
    ops: tuple[Op, ...] = change.ops
    found: set[int] = set()
    for k in range(len(ops) - 1):
        (op_a, old), (op_b, new) = ops[k], ops[k + 1]
        if op_a != "-" or op_b != "+" or "\n" in old or "\n" in new:
            continue
        after = ops[k + 2][1] if k + 2 < len(ops) and ops[k + 2][0] == "=" else ""
        if same_notation(old, new, after):
            found.update((k, k + 1))
    return frozenset(found)


def side_segments(change: Change, side: Literal["new", "old"]) -> tuple[Segment, ...]:
    """The side's text as underlined/plain runs, taken from the engine's ops.

    If the ops are missing or do not rebuild the side's text (a contract breach we do not want to
    show as wrong underlines), the whole text is marked changed unless both sides are equal.
    Notation-only differences in a changed row are not underlined (notation_ops).
    """
    text = change.new_text if side == "new" else change.old_text
    keep = "+" if side == "new" else "-"
    if change.ops:
        plain = notation_ops(change)
        parts = [
            (t, op == keep and k not in plain)
            for k, (op, t) in enumerate(change.ops)
            if op in ("=", keep)
        ]
        if "".join(t for t, _ in parts) == text:
            return _normalise(parts)
    if change.kind == "unchanged":
        changed = False
    elif change.kind in ("added", "dropped"):
        changed = True
    else:
        changed = change.old_text != change.new_text
    return _normalise([(text, changed)])


def _members(
    segments: tuple[Segment, ...], numbers: tuple[int, ...], prefix: str
) -> tuple[Member, ...]:
    """Split a side's runs at the "\\n" that joins merged/split member texts."""
    if not numbers and not segments:
        return ()
    pieces: list[list[tuple[str, bool]]] = [[]]
    for seg in segments:
        lines = seg.text.split("\n")
        for i, line in enumerate(lines):
            if i:
                pieces.append([])
            pieces[-1].append((line, seg.changed))
    if len(pieces) != len(numbers):
        # Member texts that themselves contain newlines: keep the side whole under one label.
        label = number_label(prefix, numbers)
        return (Member(numbers[0] if len(numbers) == 1 else None, label, segments),)
    return tuple(
        Member(n, f"{prefix}{n}", _normalise(p)) for n, p in zip(numbers, pieces, strict=True)
    )


def build_row(change: Change) -> Row:
    return Row(
        change=change,
        new=_members(side_segments(change, "new"), change.new, "新"),
        old=_members(side_segments(change, "old"), change.old, "旧"),
    )


def shown(change: Change, include_unchanged: bool) -> bool:
    """Whether a table lists the change: unchanged rows only on request, unless they moved."""
    return (include_unchanged or change.kind != "unchanged" or change.moved
            or change.decided_by is not None)


def build_section(key: SectionKey, diff: DiffResult, *, include_unchanged: bool) -> Section:
    rows: list[Row] = []
    date_only: list[Row] = []
    ordered: list[Row] = []
    omitted = 0
    for change in diff.changes:
        if not change.date_only and not shown(change, include_unchanged):
            omitted += 1
            continue
        row = build_row(change)
        ordered.append(row)
        (date_only if change.date_only else rows).append(row)
    is_resolution = key == "resolution"
    return Section(
        key=key,
        title="決議" if is_resolution else "宣言",
        item_prefix="一、" if is_resolution else "",
        unit="項目" if is_resolution else "段落",
        summary=diff.summary,
        rows=tuple(rows),
        date_only=tuple(date_only),
        omitted_unchanged=omitted,
        ordered=tuple(ordered),
    )


def sections(report: Report) -> tuple[Section, Section]:
    """The resolution's and the declaration's sections, in the order documents show them."""
    return (
        build_section("resolution", report.resolution, include_unchanged=report.include_unchanged),
        build_section(
            "declaration", report.declaration, include_unchanged=report.include_unchanged
        ),
    )


def ops_summary(change: Change) -> str:
    """A one-line account of the edits: 「令和5年」→「令和6年」／「、」を追加.

    Used in CSV, where underlining is impossible. Each group of deletions/insertions between two
    unchanged runs becomes one phrase.
    """
    if change.kind == "added":
        return "新設"
    if change.kind == "dropped":
        return "削除"
    rebuilt = "".join(t for op, t in change.ops if op != "+")
    if not change.ops or rebuilt != change.old_text:
        return "" if change.old_text == change.new_text else "全文変更"
    phrases: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        d = "".join(deleted).replace("\n", "／").strip("／")
        i = "".join(inserted).replace("\n", "／").strip("／")
        if d and i:
            phrases.append(f"「{d}」→「{i}」")
        elif d:
            phrases.append(f"「{d}」を削除")
        elif i:
            phrases.append(f"「{i}」を追加")
        deleted.clear()
        inserted.clear()

    for op, text in change.ops:
        if op == "=":
            flush()
        elif op == "-":
            deleted.append(text)
        else:
            inserted.append(text)
    flush()
    return "／".join(phrases)
