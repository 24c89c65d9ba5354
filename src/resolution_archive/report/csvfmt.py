"""One CSV row per change, for Excel: UTF-8 with BOM (so Excel detects Japanese), CRLF endings.

Cells that Excel would read as a formula (starting with = + - @, tab or CR) are prefixed with a
single quote: an archived text is untrusted input and must not run as a formula when opened.
The last two columns say on every row whether each side's text is official, an EXAMPLE or of
unknown source — a filtered or copied row still carries it, as every other format shows it.
"""

from __future__ import annotations

import csv
import io

from resolution_archive.report.context import Report
from resolution_archive.report.view import Row, ops_summary, sections, status_label

HEADER = (
    "区分",
    "種別",
    "表示",
    "移動",
    "日付のみ",
    "旧番号",
    "新番号",
    "類似度",
    "改正後",
    "改正前",
    "変更内容",
    "改正後の区分",
    "改正前の区分",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(cell: str) -> str:
    """Neutralise a cell Excel or LibreOffice would evaluate as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _numbers(numbers: tuple[int, ...]) -> str:
    return "・".join(str(n) for n in numbers)


def _record(report: Report, section_title: str, row: Row) -> list[str]:
    c = row.change
    return [
        section_title,
        c.kind,
        "・".join(row.markers),
        "○" if c.moved else "",
        "○" if c.date_only else "",
        _numbers(c.old),
        _numbers(c.new),
        "" if c.similarity is None else f"{c.similarity:.4f}",
        c.new_text,
        c.old_text,
        ops_summary(c),
        status_label(report.new),
        status_label(report.old),
    ]


def render_csv_text(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    for section in sections(report):
        for row in section.ordered:
            writer.writerow([guard(cell) for cell in _record(report, section.title, row)])
    return buffer.getvalue()


def render_csv(report: Report) -> bytes:
    return render_csv_text(report).encode("utf-8-sig")
