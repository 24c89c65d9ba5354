"""`archive import` of PDF, Word and web pages, folders, --dry-run and series, end to end on
every engine: stored bytes and hashes, the extracted text `verify` re-checks, one-line refusals
that leave every table as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests import sources
from tests.conftest import SEED, Cli, snapshot
from tests.source_fixtures import OTHER_SERIES, R2024


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def source_rows(url: str) -> list[tuple[str, str, str, str | None]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT sha256, format, encoding, extracted_text "
                                     "FROM source ORDER BY sha256")).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]
    finally:
        engine.dispose()


def test_pdf_import_keeps_bytes_hash_and_extracted_text(cli: Cli, tmp_path: Path,
                                                        handout_pdf: bytes) -> None:
    path = write(tmp_path, "handout.pdf", handout_pdf)
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    sha = hashlib.sha256(handout_pdf).hexdigest()
    assert result.output == (f"handout.pdf: imported 2024 revision 1 — 12 demands, "
                             f"5 declaration paragraphs, sha256 {sha[:12]}…\n")
    [(stored_sha, fmt, encoding, extracted)] = source_rows(cli.url)
    assert (stored_sha, fmt, encoding) == (sha, "pdf", "pdf")
    assert extracted is not None and "一、医療保険制度の一本化を早" in extracted
    shown = json.loads(cli("show", "2024", "--format", "json").output)
    assert shown["source"]["sha256"] == sha and shown["source"]["size"] == len(handout_pdf)
    assert [i["text"] for i in shown["resolution"]["items"]] == R2024["demands"]
    again = cli("import", str(path))
    assert "already in the archive with the same content" in again.output
    verified = cli("verify")
    assert verified.exit_code == 0, verified.output


def test_verify_reports_a_changed_extraction(cli: Cli, tmp_path: Path,
                                             handout_pdf: bytes) -> None:
    assert cli("import", str(write(tmp_path, "h.pdf", handout_pdf))).exit_code == 0
    engine = create_engine(cli.url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE source SET extracted_text = 'edited'"))
    engine.dispose()
    result = cli("verify")
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(
        "2024@1: extracted: the pdf reader now extracts other text from the source than was "
        "stored at import (6 → ")


@pytest.mark.parametrize("kind", ["docx", "html-sjis"])
def test_word_and_web_page_import(cli: Cli, tmp_path: Path, kind: str) -> None:
    if kind == "docx":
        path = write(tmp_path, "kessgi.docx", sources.word_file(R2024))
    else:
        path = write(tmp_path, "kessgi.htm", sources.web_page(R2024, charset="shift_jis"))
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 2024 revision 1 — 12 demands, 5 declaration paragraphs" in result.output
    [(_, fmt, encoding, _)] = source_rows(cli.url)
    assert (fmt, encoding) == (("docx", "docx") if kind == "docx" else ("html", "cp932"))


@pytest.mark.parametrize(
    ("name", "fixture", "message"),
    [("tate.pdf", "vertical_pdf", "is set in vertical writing (縦書き)"),
     ("scan.pdf", "scanned_pdf", "has no text layer (a scan or an image); run OCR"),
     ("locked.pdf", "encrypted_pdf", "is encrypted (password-protected)")],
)
def test_bad_pdfs_are_one_line_errors(cli: Cli, tmp_path: Path, name: str, fixture: str,
                                      message: str, request: pytest.FixtureRequest) -> None:
    assert cli("import", str(SEED)).exit_code == 0
    before = snapshot(cli.url)
    path = write(tmp_path, name, request.getfixturevalue(fixture))
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {name}: the PDF {message}")
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot(cli.url) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [("kessgi.docx", "決議".encode("utf-16"), "is named .docx but is not a Word document"),
     ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(100), "is a JPEG image, an unsupported format"),
     ("news.html", "<html><body><p>お知らせです。</p></body></html>".encode(),
      "no resolution in this HTML file"),
     ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<<", "the PDF is damaged")],
)
def test_bad_files_are_one_line_errors(cli: Cli, tmp_path: Path, name: str, data: bytes,
                                       message: str) -> None:
    assert cli("import", str(SEED)).exit_code == 0
    before = snapshot(cli.url)
    result = cli("import", str(write(tmp_path, name, data)))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {name}: ")
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot(cli.url) == before


def test_dry_run_shows_everything_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(SEED)).exit_code == 0
    before = snapshot(cli.url)
    path = write(tmp_path, "news.txt", sources.one_paragraph(R2024).encode())
    result = cli("import", "--dry-run", str(path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("news.txt: would import 2024 (date 2024-11-15, series "
                               "kokuho-taikai, text, sha256 ")
    assert lines[0].endswith("— nothing written")
    assert f"    1. 一、{R2024['demands'][0]}" in lines
    assert f"   12. 一、{R2024['demands'][-1]}" in lines
    assert f"  宣言 5: {R2024['declaration'][-1]}" in lines
    assert "  set aside: ○○県国保連だより 第218号" in lines
    assert "  set aside: ○○県国民健康保険団体連合会 ３" in lines
    assert snapshot(cli.url) == before


def test_dry_run_creates_no_database(tmp_path: Path) -> None:
    target = tmp_path / "new" / "archive.sqlite3"
    target.parent.mkdir()
    cli = Cli(f"sqlite:///{target}")
    cut = write(tmp_path, "cut.txt", sources.cut_off(R2024)[0].encode())
    result = cli("import", "--dry-run", str(cut))
    assert result.exit_code == 0, result.output
    assert "  [possibly cut off]" in result.output
    assert "warning: demand 7 does not end in 「。」" in result.output
    assert list(target.parent.iterdir()) == []


def test_folder_imports_every_supported_file(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    write(folder, "a-2024.docx", sources.word_file(R2024))
    write(folder, "b-choson.html", sources.web_page(OTHER_SERIES))
    write(folder, "c-2023.txt", sources.clean_text({**R2024, "date": "2023-11-16"}).encode())
    write(folder, "notes.md", b"# not a resolution")
    write(folder, "d-bad.docx", b"not a zip")
    result = cli("import", str(folder))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 4  # one per supported file, notes.md not read; no progress bar piped
    assert lines[0].startswith("a-2024.docx: imported 2024 revision 1")
    assert lines[1].startswith("b-choson.html: imported 2015 revision 1 — 6 demands")
    assert lines[2].startswith("c-2023.txt: imported 2023 revision 1")
    assert lines[3].startswith(f"Error: {folder / 'd-bad.docx'}: ") or lines[3].startswith(
        "Error: d-bad.docx: ")


def test_series_from_the_text_and_from_the_option(cli: Cli, tmp_path: Path) -> None:
    page = write(tmp_path, "choson.txt", sources.clean_text(OTHER_SERIES).encode())
    assert "imported 2015 revision 1" in cli("import", str(page)).output
    assert cli("list").output.startswith("The archive is empty")  # the 国保 series
    listing = cli("list", "--series", "全国町村長大会", "--format", "json")
    assert [row["year"] for row in json.loads(listing.output)] == [2015]
    shown = json.loads(cli("show", "2015", "--series", "全国町村長大会", "--format",
                           "json").output)
    assert shown["series"] == "全国町村長大会" and len(shown["resolution"]["items"]) == 6
    # --series wins over the text's own name
    other = write(tmp_path, "other.txt", sources.clean_text(
        {**OTHER_SERIES, "date": "2016-11-30"}).encode())
    assert cli("import", "--series", "kokuho-taikai", str(other)).exit_code == 0
    assert [r["year"] for r in json.loads(cli("list", "--format", "json").output)] == [2016]


def test_year_option_refused_for_a_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", "--year", "2024", str(tmp_path))
    assert result.exit_code == 2


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    """stderr on a terminal: a tqdm bar; outcome lines still go to stdout, one per file."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    folder = tmp_path / "inbox"
    folder.mkdir()
    for year in (2021, 2022, 2023):
        write(folder, f"{year}.txt", sources.clean_text({**R2024, "date": f"{year}-11-16"})
              .encode())
    archive = str(Path(sys.executable).with_name("archive"))
    env = {**os.environ, "ARCHIVE_DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}"}
    leader, follower = pty.openpty()
    # a terminal 100 columns wide (a fresh pty has 0, and a bar 0 wide prints nothing)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    try:
        done = subprocess.run([archive, "import", str(folder)], stdout=subprocess.PIPE,
                              stderr=follower, env=env, timeout=120, check=False)
        os.close(follower)
        terminal = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            terminal += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    assert [line.split(":")[0] for line in done.stdout.decode().splitlines()] == [
        "2021.txt", "2022.txt", "2023.txt"]
    assert b"0/3" in terminal and b"file/s" in terminal  # the bar was drawn
    piped = subprocess.run([archive, "import", str(folder)], capture_output=True, env=env,
                           timeout=120, check=True)
    assert piped.stderr == b""  # no bar when stderr is not a terminal
