"""The Word report opened by a real office suite: LibreOffice converts it to PDF headless, and the
PDF must be A4 landscape, of a sensible length, with the column titles repeated on every page the
table spans (w:tblHeader honoured). Skips when soffice is absent (apt-get install
libreoffice-writer-nogui; CI installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from resolution_archive.report import RENDERERS
from tests.conftest import require_tool
from tests.test_report_helpers import example_report

SOFFICE = os.environ.get("SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_path: Path, workdir: Path) -> Path:
    soffice = require_tool("LibreOffice (soffice)", SOFFICE,
                           "apt-get install libreoffice-writer-nogui")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(docx_path),
        ],
        capture_output=True,
        timeout=240,
        check=True,
    )
    pdf = workdir / (docx_path.stem + ".pdf")
    assert pdf.exists(), "LibreOffice produced no PDF"
    return pdf


def page_info(pdf: Path) -> tuple[int, list[tuple[float, float]]]:
    """Page count and page sizes: from pdfinfo when present, else from the PDF's own objects."""
    data = pdf.read_bytes()
    sizes = [
        (float(w), float(h))
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    ]
    pdfinfo = require_tool("pdfinfo", shutil.which("pdfinfo"), "apt-get install poppler-utils",
                           optional=True)
    if pdfinfo:
        out = subprocess.run(
            [pdfinfo, str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        match = re.search(r"^Pages:\s+(\d+)", out, re.M)
        assert match is not None
        return int(match.group(1)), sizes
    return len(re.findall(rb"/Type\s*/Page(?!s)", data)), sizes


@pytest.mark.slow
def test_docx_converts_to_a4_landscape_pdf_with_repeated_heads(tmp_path: Path) -> None:
    docx_path = tmp_path / "shinkyu.docx"
    docx_path.write_bytes(RENDERERS["docx"].render(example_report()))
    pdf = to_pdf(docx_path, tmp_path)
    pages, sizes = page_info(pdf)
    # 12 demands and 5 declaration paragraphs side by side: a few landscape pages, not dozens.
    assert 2 <= pages <= 8, pages
    assert sizes and all(w > h and abs(w - 841.9) < 2 and abs(h - 595.3) < 2 for w, h in sizes)
    pdftotext = require_tool("pdftotext", shutil.which("pdftotext"),
                             "apt-get install poppler-utils", optional=True)
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        # pdftotext puts spaces between digits and kanji ("2024 年"): compare without spaces.
        page_texts = [re.sub(r"\s+", "", t) for t in text.split("\f") if t.strip()]
        assert len(page_texts) == pages
        # Every page holds table rows, so every page starts its table with the column titles.
        for page_text in page_texts:
            assert "改正後（2024年）" in page_text and "改正前（2023年）" in page_text
        assert "例示用のサンプル" in page_texts[0]
