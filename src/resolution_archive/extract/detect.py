"""Which reader a file needs, decided from its first bytes; then that reader's Extracted."""

from __future__ import annotations

import io
import re
import zipfile

from resolution_archive.errors import InputError
from resolution_archive.extract.model import Extracted
from resolution_archive.extract.pdf import extract_pdf
from resolution_archive.extract.webpage import extract_html
from resolution_archive.extract.word import extract_docx
from resolution_archive.text.encoding import decode_source

#: Every format `extract` reads; stored with each source so `verify` knows how to re-extract.
FORMATS = ("text", "pdf", "docx", "html")

_HTML_SNIFF = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s[^>]*charset", re.IGNORECASE
)
# Formats people might hand over that have no text to read here: say which, and what to do.
_UNSUPPORTED = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word/Excel (.doc/.xls) file"),
    (b"{\\rtf", "an RTF file"),
)


def _zip_members(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def detect_format(data: bytes, filename: str = "") -> str:
    """"pdf", "docx", "html" or "text"; InputError for formats that hold no readable text."""
    name = filename.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        members = _zip_members(data)
        if members is not None and "word/document.xml" in members:
            return "docx"
        what = "a damaged zip archive" if members is None else "a zip archive but not a Word file"
        raise InputError(
            f"{filename}: the file is {what} (no word/document.xml); give a .docx saved by "
            "Word or LibreOffice, a PDF, a web page or a text file"
        )
    if name.endswith(".docx"):
        raise InputError(
            f"{filename}: the file is named .docx but is not a Word document (not a zip "
            "archive); open it in Word and save it again as .docx, or give the PDF or text"
        )
    for magic, what in _UNSUPPORTED:
        if data.startswith(magic):
            raise InputError(
                f"{filename}: the file is {what}, an unsupported format; give the resolution "
                "as a PDF with text, a Word .docx, a saved web page (.html) or a text file "
                "(for a scan, run OCR first)"
            )
    stripped = data.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    if _HTML_SNIFF.search(stripped[:4096]) or _HTML_SNIFF.search(
        stripped[:8192].replace(b"\x00", b"")
    ):
        return "html"
    return "text"


def extract(data: bytes, filename: str = "") -> Extracted:
    """The file's text for the parser; InputError (one line) if it cannot be read."""
    fmt = detect_format(data, filename)
    if fmt == "pdf":
        return extract_pdf(data, filename)
    if fmt == "docx":
        return extract_docx(data, filename)
    if fmt == "html":
        return extract_html(data, filename)
    if filename.lower().endswith(".pdf"):
        try:
            decoded = decode_source(data)
        except InputError:
            raise InputError(
                f"{filename}: the file is named .pdf but is not a PDF (no %PDF header: damaged "
                "or cut short); download or export the PDF again"
            ) from None
    else:
        decoded = decode_source(data)
    return Extracted("text", decoded.text, decoded.encoding)
