"""Word (.docx) → text: body paragraphs and tables in document order; headers/footers left out.

Automatic numbering is not in a paragraph's text, so a numbered paragraph gets 「一、」 in front:
in a resolution the numbered list is the list of demands. Headers and footers live in their
own parts of the file and are never read.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from resolution_archive.errors import InputError
from resolution_archive.extract.model import Extracted

_MARKERS = ("一、", "一，", "一,", "一､", "一．", "一.")


def _numbered(paragraph: object) -> bool:
    """True when the paragraph (or its style chain) has automatic numbering switched on."""
    element = paragraph._p  # type: ignore[attr-defined]
    num = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num is not None:
        return str(num.get(qn("w:val"))) != "0"
    style = paragraph.style  # type: ignore[attr-defined]
    while style is not None:
        found = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if found is not None:
            return str(found.get(qn("w:val"))) != "0"
        style = style.base_style
    return False


def _paragraph_line(paragraph: object) -> str:
    text: str = paragraph.text  # type: ignore[attr-defined]
    if _numbered(paragraph) and text.strip() and not text.lstrip().startswith(_MARKERS):
        return "一、" + text.strip()
    return text


def extract_docx(data: bytes, filename: str) -> Extracted:
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(
            f"{filename}: the Word file is damaged and cannot be read ({error}); open it in "
            "Word or LibreOffice and save it again as .docx"
        ) from None
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append(_paragraph_line(Paragraph(block, document)))
        elif block.tag == qn("w:tbl"):
            table = Table(block, document)
            for row in table.rows:
                for cell in row.cells:
                    lines += [_paragraph_line(p) for p in cell.paragraphs]
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise InputError(f"{filename}: the Word file has no text in it; check that it is the "
                         "resolution's file")
    return Extracted("docx", text, "docx")
