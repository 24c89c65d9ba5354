"""Reading the files people have: PDF handouts, Word, saved web pages — each made with real
tools (Chromium, LibreOffice, python-docx) from one labelled resolution, then read by
extract → parse exactly as `archive import` does.

The PDFs take seconds to print, so they are made once per session. A missing tool skips these
tests locally; under CI (ARCHIVE_TEST_REQUIRE_ALL=1, set by .ci/run) it fails them.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

import pytest

from resolution_archive.errors import InputError, ParseError
from resolution_archive.extract import detect_format, extract
from resolution_archive.importer import prepare
from resolution_archive.text.normalize import comparison_form
from tests import sources
from tests.source_fixtures import R2024


def texts(items: Any) -> list[str]:
    return [comparison_form(t) for t in items]


def assert_reads_2024(data: bytes, name: str) -> None:
    prepared = prepare(data, name)
    doc = prepared.document
    assert [d.comparison for d in doc.demands] == texts(R2024["demands"])
    assert texts(doc.declaration) == texts(R2024["declaration"])
    assert doc.date is not None and doc.date.isoformat() == R2024["date"]
    assert prepared.series == "kokuho-taikai"
    assert doc.warnings == ()


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_handout_reads_exactly_and_sets_the_footer_aside(handout_pdf: bytes) -> None:
    assert_reads_2024(handout_pdf, "handout.pdf")
    extracted = extract(handout_pdf, "handout.pdf")
    assert extracted.format == "pdf"
    assert sources.FOOTER not in extracted.text  # on both pages: a running footer
    assert sources.FOOTER in extracted.set_aside
    assert extracted.text.index("決") < extracted.text.index("宣")  # page order kept


def test_format_comes_from_the_content_not_the_name(handout_pdf: bytes) -> None:
    assert detect_format(handout_pdf, "kessgi.txt") == "pdf"
    assert detect_format(sources.word_file(R2024), "kessgi") == "docx"
    assert detect_format(sources.web_page(R2024), "page.txt") == "html"
    assert detect_format("決議\n一、こと。".encode(), "notes.html") == "text"
    assert_reads_2024(handout_pdf, "kessgi.txt")


def test_vertical_pdf_is_refused(vertical_pdf: bytes) -> None:
    with pytest.raises(InputError, match="vertical writing") as raised:
        extract(vertical_pdf, "tate.pdf")
    assert "\n" not in str(raised.value)


def test_scanned_pdf_says_run_ocr(scanned_pdf: bytes) -> None:
    with pytest.raises(InputError, match=r"no text layer.*run OCR") as raised:
        extract(scanned_pdf, "scan.pdf")
    assert "\n" not in str(raised.value)


def test_encrypted_pdf(encrypted_pdf: bytes) -> None:
    with pytest.raises(InputError, match="encrypted") as raised:
        extract(encrypted_pdf, "locked.pdf")
    assert "\n" not in str(raised.value)


def test_damaged_pdf(handout_pdf: bytes) -> None:
    with pytest.raises(InputError, match="damaged"):
        extract(handout_pdf[: len(handout_pdf) // 3], "cut.pdf")
    with pytest.raises(InputError, match="damaged"):
        extract(b"%PDF-1.7\n" + bytes(range(256)) * 4, "junk.pdf")


def test_binary_named_pdf_without_header_is_damaged() -> None:
    with pytest.raises(InputError, match="not a PDF"):
        extract(bytes(range(256)) * 8, "handout.pdf")


# --- Word -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["numbered", "typed", "table"])
def test_word_files(kind: str) -> None:
    data = sources.word_file(R2024, numbered=kind == "numbered", table=kind == "table")
    assert_reads_2024(data, f"{kind}.docx")
    text = extract(data, "x.docx").text
    assert "内部資料" not in text and sources.FOOTER not in text  # header and footer


def test_word_automatic_numbering_becomes_the_marker() -> None:
    text = extract(sources.word_file(R2024, numbered=True), "x.docx").text
    assert f"一、{R2024['demands'][0]}" in text.split("\n")


def test_docx_that_is_not_a_zip() -> None:
    with pytest.raises(InputError, match=r"not a Word document.*save it again") as raised:
        extract("決議\n一、こと。".encode("utf-16"), "kessgi.docx")
    assert "\n" not in str(raised.value)


def test_zip_that_is_not_word() -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(InputError, match="not a Word file"):
        extract(out.getvalue(), "kessgi.docx")


@pytest.mark.parametrize(("magic", "what"), [(b"\x89PNG\r\n\x1a\n", "PNG image"),
                                             (b"\xff\xd8\xff\xe0", "JPEG image"),
                                             (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc")])
def test_unsupported_formats(magic: bytes, what: str) -> None:
    with pytest.raises(InputError, match=rf"{what}.*unsupported format"):
        extract(magic + bytes(200), "file.bin")


# --- web pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("demands_in", ["li", "p", "para"])
@pytest.mark.parametrize("charset", ["utf-8", "shift_jis"])
def test_web_pages(charset: str, demands_in: str) -> None:
    page = sources.web_page(R2024, charset=charset, demands_in=demands_in)
    assert_reads_2024(page, "kessgi.html")
    extracted = extract(page, "kessgi.html")
    assert extracted.encoding == ("cp932" if charset == "shift_jis" else "utf-8")
    for chrome in ("トップ ＞", "各種申請", "関連情報", "Copyright", "お問い合わせ"):
        assert chrome not in extracted.text


def test_web_page_report_prose_is_not_the_preamble() -> None:
    doc = prepare(sources.web_page(R2024), "kessgi.html").document
    assert "市長が出席" not in doc.preamble
    assert doc.preamble.startswith("本日ここに")


def test_web_page_without_a_resolution() -> None:
    page = ("<html><head><meta charset='shift_jis'></head><body><nav>トップ</nav>"
            "<p>国保の保険料が変わります。</p></body></html>").encode("cp932")
    with pytest.raises(ParseError, match=r"no resolution in this HTML file.*「一、」") as raised:
        prepare(page, "news.html")
    assert "\n" not in str(raised.value)
