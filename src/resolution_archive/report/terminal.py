"""`archive diff` output: a summary line, then each change with its inline edits.

With colour, deletions are red struck-through and insertions green underlined; without it the
same edits read as `[-削除-]{+追加+}`, so piping to a file or a pager stays legible. Control
characters in the texts are shown escaped so an archived text can never drive the terminal.
"""

from __future__ import annotations

import re

from resolution_archive.diff_model import Change
from resolution_archive.report.context import EditionInfo, Report
from resolution_archive.report.view import (
    STATUS_SHORT,
    Row,
    Section,
    example_notices,
    notation_ops,
    sections,
    summary_text,
)

_RESET = "\x1b[0m"
_STYLE = {
    "-": "\x1b[31;9m",  # red, strike-through
    "+": "\x1b[32;4m",  # green, underline
    "bold": "\x1b[1m",
    "warn": "\x1b[33;1m",
    "dim": "\x1b[2m",
}
_PLAIN = {"-": ("[-", "-]"), "+": ("{+", "+}")}
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_INDENT = "    "


def _safe(text: str) -> str:
    """Escape control characters (ESC above all) but keep line breaks."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _style(text: str, style: str, color: bool) -> str:
    return f"{_STYLE[style]}{text}{_RESET}" if color and text else text


def _mark(text: str, op: str, color: bool) -> str:
    if op == "=":
        return text
    if color:
        return _style(text, op, color)
    start, end = _PLAIN[op]
    return f"{start}{text}{end}"


def _inline(change: Change, color: bool) -> str:
    """The edit ops as one marked-up string; a wrapper never spans a line break."""
    ops = change.ops
    if not ops or "".join(t for o, t in ops if o != "+") != change.old_text:
        if change.kind == "added":
            ops = (("+", change.new_text),)
        elif change.kind == "dropped":
            ops = (("-", change.old_text),)
        elif change.old_text == change.new_text:
            ops = (("=", change.new_text),)
        else:
            ops = (("-", change.old_text), ("+", change.new_text))
    plain = notation_ops(change) if ops is change.ops else frozenset()
    out: list[str] = []
    for k, (op, text) in enumerate(ops):
        if k in plain:
            # Notation only (３，４００ / 三千四百): the new side's characters, unmarked.
            if op == "-":
                continue
            op = "="
        pieces = _safe(text).split("\n")
        out.append("\n".join(_mark(p, op, color) if p else "" for p in pieces))
    return "".join(out)


def _heading(row: Row, color: bool) -> str:
    change = row.change
    tag = f"[{row.markers[0]}]"
    old = "+".join(f"旧{n}" for n in change.old)
    new = "+".join(f"新{n}" for n in change.new)
    head = f"{tag} {old} → {new}".replace("  ", " ").rstrip()
    if change.moved and change.kind != "unchanged":
        head += " (移動)"
    if change.decided_by is not None:
        head += f" (確認済み: {_safe(change.decided_by)})"
    head = _style(head, "bold", color)
    if row.related_label:
        shared = "、".join(dict.fromkeys(r.shared for r in change.related if r.shared))
        head += _style(
            f"  {row.related_label}" + (f"（共通: {shared}）" if shared else ""), "dim", color
        )
    if change.similarity is not None and change.kind not in ("unchanged", "added", "dropped"):
        head += _style(f"  類似度 {change.similarity:.2f}", "dim", color)
    return head


def _rows(rows: tuple[Row, ...], color: bool) -> list[str]:
    lines: list[str] = []
    for row in rows:
        lines.append(_heading(row, color))
        lines.extend(_INDENT + line for line in _inline(row.change, color).split("\n"))
    return lines


def _section(section: Section, color: bool) -> list[str]:
    lines = [_style(f"{section.title}: ", "bold", color) + summary_text(section.summary)]
    listed = tuple(r for r in section.rows if r.change.kind != "unchanged" or r.change.moved
                   or r.change.decided_by is not None)
    if not listed and not section.date_only:
        lines.append(_INDENT + "変更はありません。")
    lines.extend(_rows(listed, color))
    if section.date_only:
        lines.append("")
        lines.append(_style(f"{section.title}・日付や年次のみの変更:", "bold", color))
        lines.extend(_rows(section.date_only, color))
    return lines


def _edition(edition: EditionInfo) -> str:
    """2024年11月15日 第1版（公式）; the year alone when the text carries no date."""
    d = edition.date
    when = f"{d.year}年{d.month}月{d.day}日" if d else f"{edition.year}年"
    return f"{when} 第{edition.revision}版（{STATUS_SHORT[edition.status]}）"


def render_terminal(report: Report, *, color: bool) -> str:
    """The whole `archive diff` text, ending in a newline."""
    lines = [
        _style(report.series, "bold", color),
        f"{_edition(report.old)} → {_edition(report.new)}",
    ]
    lines.extend(_style(f"※ {note}", "warn", color) for note in example_notices(report))
    if report.concepts is not None:
        lines.append(report.concepts.note)
    for section in sections(report):
        if section.key == "declaration" and not report.declaration.changes:
            continue
        lines.append("")
        lines.extend(_section(section, color))
    return "\n".join(lines) + "\n"
