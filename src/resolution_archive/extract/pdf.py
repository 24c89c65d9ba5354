"""PDF with a text layer → text, with PDFium (pypdfium2).

Why PDFium: it is the engine Chromium uses, reads the CID fonts and ToUnicode maps Japanese
handouts use, is fast (a two-page handout in milliseconds, no Python-level layout analysis like
pdfminer.six) and is Apache-2.0/BSD licensed, so it fits this MIT project, which AGPL PyMuPDF
does not. PDFium returns text in content-stream order; lines are put back in reading order by
their position on the page (top to bottom), which fixes page-margin footers that generators
write first. Lines repeated at the top or bottom of several pages (the publisher's name, the
newsletter's title) are running headers/footers and are set aside.
"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2 as pdfium

from resolution_archive.errors import InputError
from resolution_archive.extract.model import Extracted

# Vertical writing comes out of PDFium one character per line; more than this share of
# one-character lines (over enough lines to judge) means the page is vertical.
_VERTICAL_SHARE = 0.6
_VERTICAL_MIN_LINES = 20
# Lines within this many points of each other vertically are one line when sorting.
_LINE_TOLERANCE = 2.0
_DIGITS = re.compile(r"[0-9０-９]+")


def _ordered_lines(textpage: pdfium.PdfTextPage) -> list[str]:
    """The page's lines, top to bottom (PDF y grows upwards), each in its own order."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    # get_text_range yields one UTF-16 unit per char index except for non-BMP characters,
    # so positions are only used when the two agree.
    aligned = len(text) == count
    lines: list[tuple[float, float, int, str]] = []
    start = 0
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n")):
        line = raw.replace("\r", "")
        top, left = 0.0, 0.0
        if aligned and line.strip():
            first = start + (len(line) - len(line.lstrip()))
            left, _bottom, _right, top = textpage.get_charbox(first)
        lines.append((top, left, number, line))
        start += len(raw) + 2  # the "\r\n" PDFium puts between lines
    if not aligned:
        return [line for *_, line in lines]
    rows = sorted(lines, key=lambda row: (-round(row[0] / _LINE_TOLERANCE), row[2]))
    return [line for *_, line in rows]


def _edge_key(line: str) -> str:
    """Running headers/footers compare equal across pages even when they carry the page number."""
    return _DIGITS.sub("#", "".join(line.split()))


def _drop_running_lines(pages: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Drop a page's first/last non-blank line when another page has it at an edge too."""
    if len(pages) < 2:
        return pages, []
    edges: Counter[str] = Counter()
    for lines in pages:
        body = [ln for ln in lines if ln.strip()]
        keys = {_edge_key(ln) for ln in (body[:1] + body[-1:])}
        edges.update(keys)
    running = {key for key, n in edges.items() if n >= 2 and key}
    removed: list[str] = []
    kept_pages: list[list[str]] = []
    for lines in pages:
        body_idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edge_idx = set(body_idx[:1] + body_idx[-1:])
        kept = []
        for i, line in enumerate(lines):
            if i in edge_idx and _edge_key(line) in running:
                removed.append(line.strip())
            else:
                kept.append(line)
        kept_pages.append(kept)
    return kept_pages, removed


def extract_pdf(data: bytes, filename: str) -> Extracted:
    """The text layer of every page; InputError for encrypted, damaged, scanned or vertical."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise InputError(
                f"{filename}: the PDF is encrypted (password-protected); open it with the "
                "password and save or print it as a PDF without protection, then import that"
            ) from None
        raise InputError(
            f"{filename}: the PDF is damaged and cannot be read ({error}); download or export "
            "it again"
        ) from None
    try:
        pages: list[list[str]] = []
        chars = 0
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            chars += textpage.count_chars()
            pages.append(_ordered_lines(textpage))
    except pdfium.PdfiumError as error:
        raise InputError(
            f"{filename}: the PDF is damaged and cannot be read ({error}); download or export "
            "it again"
        ) from None
    finally:
        document.close()
    visible = [ln.strip() for lines in pages for ln in lines if ln.strip()]
    if chars == 0 or not visible:
        raise InputError(
            f"{filename}: the PDF has no text layer (a scan or an image); run OCR on it first "
            "(e.g. with Acrobat or ocrmypdf -l jpn) and import the result, or type the text"
        )
    single = sum(1 for ln in visible if len(ln) == 1)
    if len(visible) >= _VERTICAL_MIN_LINES and single / len(visible) > _VERTICAL_SHARE:
        raise InputError(
            f"{filename}: the PDF is set in vertical writing (縦書き), which the text extractor "
            "cannot put in reading order; copy the text into a text file or a horizontal "
            "(横書き) PDF and import that"
        )
    pages, removed = _drop_running_lines(pages)
    text = "\n\n".join("\n".join(lines) for lines in pages)
    return Extracted("pdf", text, "pdf", set_aside=tuple(removed))
