"""新旧対照表 as one self-contained HTML file (screen, phone and A4-landscape print).

Jinja2 with autoescaping does the markup, so a demand that contains `<script>` is shown as text.
Imported only when an HTML export is asked for (see report.RENDERERS).
"""

from __future__ import annotations

from typing import Any

from resolution_archive.report.context import Report
from resolution_archive.report.templating import environment
from resolution_archive.report.view import (
    LEGEND,
    column_title,
    date_text,
    example_notices,
    report_title,
    sections,
    status_label,
)


def taisho_context(report: Report) -> dict[str, Any]:
    """What the 新旧対照表 macros (templates/taisho.html.j2) read; the static site reuses it."""
    old, new = report.old, report.new
    meta_rows = [
        ("年月日", (date_text(new), ""), (date_text(old), "")),
        ("版", (f"第{new.revision}版", ""), (f"第{old.revision}版", "")),
        ("区分", (status_label(new), f"st-{new.status}"), (status_label(old), f"st-{old.status}")),
        ("原文ファイル", (new.filename, ""), (old.filename, "")),
        ("SHA-256", (new.sha256, "hash"), (old.sha256, "hash")),
    ]
    return {
        "report": report,
        "legend": LEGEND,
        "title": report_title(report),
        "notices": example_notices(report),
        "meta_rows": meta_rows,
        "sections": sections(report),
        "new_column": column_title(new, "new"),
        "old_column": column_title(old, "old"),
    }


def render_html_text(report: Report) -> str:
    return environment().get_template("report.html.j2").render(**taisho_context(report))


def render_html(report: Report) -> bytes:
    return render_html_text(report).encode("utf-8")
