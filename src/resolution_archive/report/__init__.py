"""Reports of a comparison: the 新旧対照表 in several formats, built from one `Report`.

`RENDERERS` maps each `--format` name to its renderer. Renderer modules import Jinja2 or
python-docx, so they are imported only inside `render`, keeping `archive --help` fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from resolution_archive.report.context import (
    EditionInfo,
    Report,
    build_report,
    edition_from_source,
)


@dataclass(frozen=True)
class Renderer:
    """How to produce one format: the module/function to call lazily and the file it makes."""

    name: str
    extension: str
    binary: bool
    media_type: str
    description: str
    module: str
    function: str

    def render(self, report: Report) -> bytes:
        """The whole file's bytes (text formats are UTF-8; CSV carries a BOM)."""
        module = importlib.import_module(f"resolution_archive.report.{self.module}")
        fn = cast(Callable[[Report], bytes], getattr(module, self.function))
        return fn(report)


RENDERERS: dict[str, Renderer] = {
    r.name: r
    for r in (
        Renderer(
            "html",
            "html",
            False,
            "text/html; charset=utf-8",
            "新旧対照表（ブラウザ表示・印刷用 HTML）",
            "html",
            "render_html",
        ),
        Renderer(
            "docx",
            "docx",
            True,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "新旧対照表（Word）",
            "docxfmt",
            "render_docx",
        ),
        Renderer(
            "md",
            "md",
            False,
            "text/markdown; charset=utf-8",
            "新旧対照表（Markdown, wiki 用）",
            "markdown",
            "render_markdown",
        ),
        Renderer(
            "csv",
            "csv",
            False,
            "text/csv; charset=utf-8",
            "変更一覧（Excel 用 CSV）",
            "csvfmt",
            "render_csv",
        ),
        Renderer(
            "json",
            "json",
            False,
            "application/json",
            "機械可読な差分（JSON）",
            "jsonfmt",
            "render_json",
        ),
    )
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def default_filename(report: Report, fmt: str) -> str:
    """shinkyu_2023-2024.html; a revision other than the first is named: shinkyu_2023-2024r2.md."""

    def edition(e: EditionInfo) -> str:
        return f"{e.year}" if e.revision == 1 else f"{e.year}r{e.revision}"

    return f"shinkyu_{edition(report.old)}-{edition(report.new)}.{RENDERERS[fmt].extension}"


__all__ = [
    "FORMATS",
    "RENDERERS",
    "EditionInfo",
    "Renderer",
    "Report",
    "build_report",
    "default_filename",
    "edition_from_source",
]
