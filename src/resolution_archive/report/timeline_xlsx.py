"""The timeline as an Excel workbook (openpyxl): the heat-map's colours, the wording as notes.

Offices open these in Excel; openpyxl writes real .xlsx (fills, frozen panes, cell comments)
without Excel itself.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from resolution_archive.lineage import Timeline
from resolution_archive.report.threads import CHANGE_LABELS, COLOURS, DECIDED_LABEL, change_label


def timeline_xlsx(timeline: Timeline) -> bytes:
    """Sheet 年表: one row per thread, one column per year, coloured by change kind."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "年表"
    sheet.append(["スレッド", "見出し", *timeline.years])
    for column, _ in enumerate(timeline.years, start=3):
        sheet.cell(row=1, column=column).alignment = Alignment(text_rotation=90)
    for r, thread in enumerate(timeline.threads, start=2):
        sheet.cell(row=r, column=1, value=thread.id)
        title = sheet.cell(row=r, column=2, value=thread.title)
        title.data_type = "s"  # a wording that starts with "=" is text, never a formula
        cells = timeline.cells(thread)
        for c, year in enumerate(timeline.years, start=3):
            version = cells.get(year)
            if version is None:
                continue
            cell = sheet.cell(row=r, column=c, value=version.number)
            background, text = COLOURS[version.change]
            cell.fill = PatternFill("solid", fgColor=background)
            cell.font = Font(color=text, bold=version.decided_by is not None)
            cell.alignment = Alignment(horizontal="center")
            note = f"{year}年 {version.number}（{change_label(version)}）\n{version.text}"
            cell.comment = Comment(note, "resolution-archive", width=360, height=160)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 36
    legend = book.create_sheet("凡例")
    legend.append(["変化", "色"])
    for kind, label in CHANGE_LABELS.items():
        legend.append([label, kind])
        cell = legend.cell(row=legend.max_row, column=2)
        background, text = COLOURS[kind]
        cell.fill = PatternFill("solid", fgColor=background)
        cell.font = Font(color=text)
    legend.append([f"太字＝{DECIDED_LABEL}", ""])
    if timeline.missing_years:
        legend.append(["未収録の年", "、".join(map(str, timeline.missing_years))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
