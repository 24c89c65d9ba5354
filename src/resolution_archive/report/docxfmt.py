"""新旧対照表 as a Word document: A4 landscape, repeated header row, real underlines.

Word users edit and print this, so the underline (傍線) is run formatting rather than a visual
trick, the column-title row carries w:tblHeader so it repeats on every printed page, and the East
Asian font is set explicitly so Word does not fall back to a Chinese face. The zip is rewritten
with fixed timestamps so the same report always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from resolution_archive.report.context import Report
from resolution_archive.report.view import (
    LEGEND,
    Row,
    Section,
    column_title,
    date_text,
    example_notices,
    report_title,
    sections,
    status_label,
    summary_text,
)

MINCHO = "游明朝"
GOTHIC = "游ゴシック"
PAGE_W, PAGE_H, MARGIN = Mm(297), Mm(210), Mm(15)
BODY_PT = 10.5
RED = RGBColor(0xB0, 0x00, 0x20)
GREY = RGBColor(0x55, 0x55, 0x55)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _set_fonts(element: Any, east_asia: str, latin: str | None = None) -> None:
    """Set w:rFonts on a style or run's rPr; python-docx only sets the Latin font itself."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    if latin is not None:
        fonts.set(qn("w:ascii"), latin)
        fonts.set(qn("w:hAnsi"), latin)


def _setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_W, PAGE_H
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = MINCHO
    _set_fonts(normal.element, MINCHO, MINCHO)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ja-JP")
    lang.set(qn("w:eastAsia"), "ja-JP")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    _page_number_footer(section)


def _page_number_footer(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("－ ")
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), tag)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
    paragraph.add_run(" －")


def _shade(cell: Any, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: Any) -> None:
    """w:tblHeader: Word repeats this row at the top of each page the table spans."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _fixed_table(document: Any, rows: int, widths: list[Any]) -> Any:
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def _para(
    container: Any,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    color: RGBColor | None = None,
    align: Any = None,
    font: str | None = None,
) -> Any:
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
        if font:
            run.font.name = font
            _set_fonts(run._r, font, font)
    return paragraph


def _header(document: Any, report: Report) -> None:
    old, new = report.old, report.new
    _para(document, report.series, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, "決議・宣言 新旧対照表", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, f"{old.year}年 → {new.year}年", align=WD_ALIGN_PARAGRAPH.CENTER)
    for note in example_notices(report):
        _para(document, f"※ {note}", bold=True, color=RED)
    usable = PAGE_W - 2 * MARGIN
    label_w = Mm(30)
    table = _fixed_table(document, 6, [label_w, (usable - label_w) // 2, (usable - label_w) // 2])
    values = [
        ("", column_title(new, "new"), column_title(old, "old")),
        ("年月日", date_text(new), date_text(old)),
        ("版", f"第{new.revision}版", f"第{old.revision}版"),
        ("区分", status_label(new), status_label(old)),
        ("原文ファイル", new.filename, old.filename),
        ("SHA-256", new.sha256, old.sha256),
    ]
    statuses = ("", new.status, old.status)
    for r, row_values in enumerate(values):
        for c, value in enumerate(row_values):
            cell = table.cell(r, c)
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(value)
            run.font.size = Pt(8.5)
            if r == 0 or c == 0:
                _shade(cell, "EDEDED")
            if r == 3 and c and statuses[c] != "official":
                run.bold = True
                run.font.color.rgb = RED
    _para(document, report.tool_line, size=8.5, color=GREY)
    legend = document.add_paragraph()
    legend.add_run("傍線").font.underline = True
    legend.add_run("部分は変更箇所（改正後欄は追加・変更後、改正前欄は削除・変更前の字句）。")


def _cell(cell: Any, row: Row, side: str, section: Section) -> None:
    members = row.new if side == "new" else row.old
    first = cell.paragraphs[0]
    if not members:
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.add_run("（削除）" if side == "new" else "（新設）").font.color.rgb = GREY
        return
    indent = Pt(BODY_PT * len(section.item_prefix))
    for i, member in enumerate(members):
        label_p = first if i == 0 else cell.add_paragraph()
        if i:
            label_p.paragraph_format.space_before = Pt(6)
        label = label_p.add_run(member.label)
        label.font.size = Pt(8.5)
        label.font.color.rgb = GREY
        if side == "new" and i == 0:
            mark = label_p.add_run(" " + row.marker)
            mark.font.size = Pt(8.5)
            mark.bold = True
        text_p = cell.add_paragraph()
        if section.item_prefix:  # hanging 「一、」 like the printed resolution
            text_p.paragraph_format.left_indent = indent
            text_p.paragraph_format.first_line_indent = -indent
        else:  # declaration prose: the usual one-character first-line indent
            text_p.paragraph_format.first_line_indent = Pt(BODY_PT)
        if section.item_prefix:
            text_p.add_run(section.item_prefix)
        for segment in member.segments:
            run = text_p.add_run(segment.text)
            if segment.changed:
                run.font.underline = True


def _table(document: Any, rows: tuple[Row, ...], section: Section, report: Report) -> None:
    half = (PAGE_W - 2 * MARGIN) // 2
    table = _fixed_table(document, 1 + len(rows), [half, half])
    header = table.rows[0]
    _repeat_header(header)
    titles = (column_title(report.new, "new"), column_title(report.old, "old"))
    for cell, title in zip(header.cells, titles, strict=True):
        _shade(cell, "E0E0E0")
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(title).bold = True
    for table_row, row in zip(table.rows[1:], rows, strict=True):
        # Keep each row on one page, as printed 新旧対照表 do (Word still breaks a row taller
        # than a page).
        table_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        _cell(table_row.cells[0], row, "new", section)
        _cell(table_row.cells[1], row, "old", section)


def _section(document: Any, index: int, section: Section, report: Report) -> None:
    heading = _para(document, f"{index}　{section.title}", size=12, bold=True)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.keep_with_next = True
    _para(document, summary_text(section.summary), size=9).paragraph_format.keep_with_next = True
    if section.rows:
        _table(document, section.rows, section, report)
    else:
        _para(document, f"{section.title}に変更はありません。")
    if section.omitted_unchanged:
        _para(
            document,
            f"変更のない{section.unit}（{section.omitted_unchanged}件）は省略しています。",
            size=9,
            color=GREY,
        )
    if section.date_only:
        sub = _para(document, f"{section.title}・日付や年次のみの変更", bold=True)
        sub.paragraph_format.space_before = Pt(8)
        sub.paragraph_format.keep_with_next = True
        _table(document, section.date_only, section, report)


def _deterministic(data: bytes) -> bytes:
    """Re-zip with a fixed timestamp per entry, so identical reports are identical files."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_docx(report: Report) -> bytes:
    document = Document()
    _setup(document)
    props = document.core_properties
    props.title = report_title(report)
    props.author = props.last_modified_by = "resolution-archive"
    props.comments = f"resolution-archive {report.tool_version}"
    props.subject = report.series
    stamp = report.new.date or dt.date(report.new.year, 1, 1)
    props.created = props.modified = dt.datetime(stamp.year, stamp.month, stamp.day)
    # The template's first paragraph would leave a blank line above the title.
    body = document.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _header(document, report)
    for index, section in enumerate(sections(report), start=1):
        if section.key == "declaration" and not report.declaration.changes:
            continue
        _section(document, index, section, report)
    legend = _para(document, LEGEND, size=8.5, color=GREY)
    legend.paragraph_format.space_before = Pt(12)
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic(buffer.getvalue())
