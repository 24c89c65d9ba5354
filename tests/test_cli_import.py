"""`archive import / list / show` end to end through the CLI, on every engine under test.

Each failure case checks the one-line message, the exit code, and that the database is exactly
as it was before (snapshot of every table).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import SEED, Cli, snapshot

SEED_BYTES = SEED.read_bytes()
SEED_SHA = hashlib.sha256(SEED_BYTES).hexdigest()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture
def archived(cli: Cli) -> Cli:
    result = cli("import", str(SEED))
    assert result.exit_code == 0, result.output
    return cli


def test_import_seed_then_list(cli: Cli) -> None:
    result = cli("import", str(SEED))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2024.txt: imported 2024 revision 1 — 12 demands, ")
    listing = cli("list")
    assert listing.exit_code == 0
    rows = listing.output.splitlines()
    assert rows[0].split() == ["year", "date", "demands", "rev", "sha256", "status", "file"]
    assert rows[1].split() == ["2024", "2024-11-15", "12", "1", SEED_SHA[:12], "official",
                               "2024.txt"]


def test_show_json_shape(archived: Cli) -> None:
    result = archived("show", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["year"] == 2024
    assert data["date"] == "2024-11-15"
    assert data["series"] == "国保制度改善強化全国大会"
    assert data["revision"] == 1
    items = data["resolution"]["items"]
    assert [i["number"] for i in items] == list(range(1, 13))
    assert items[0]["text"] == "医療保険制度の一本化を早期に実現すること。"
    assert items[-1]["text"] == "国民健康保険組合の健全な運営を確保すること。"
    # display keeps the original full-width characters, lines unwrapped
    assert "ＫＤＢシステムの更なる活用を進めるため" in items[9]["text"]
    assert all(not i["text"].startswith("一、") and "\n" not in i["text"] for i in items)
    assert data["resolution"]["preamble"].startswith("本日ここに、全国の国民健康保険関係者が")
    paragraphs = data["declaration"]["paragraphs"]
    assert paragraphs[0].startswith("国民健康保険は制度創設以来")
    assert paragraphs[-1].startswith("我々国保関係者は")
    assert data["source"] == {**data["source"], "sha256": SEED_SHA, "filename": "2024.txt"}
    everything = json.dumps(data, ensure_ascii=False)
    for noise in ("相扶共済", "アクセス", "協会けんぽ", "登壇者", "永田町"):
        assert noise not in everything


def test_original_bytes_kept(archived: Cli) -> None:
    from sqlalchemy import create_engine, select

    from resolution_archive.store.models import Source

    engine = create_engine(archived.url)
    with engine.connect() as conn:
        content, sha = conn.execute(select(Source.content, Source.sha256)).one()
    engine.dispose()
    assert bytes(content) == SEED_BYTES
    assert sha == SEED_SHA


def test_show_text(archived: Cli) -> None:
    result = archived("show", "2024")
    assert result.exit_code == 0
    assert "  1. 一、医療保険制度の一本化を早期に実現すること。" in result.output
    assert "宣言" in result.output


def test_reimport_identical_is_noop(archived: Cli) -> None:
    before = snapshot(archived.url)
    result = archived("import", str(SEED))
    assert result.exit_code == 0
    assert "already in the archive with the same content (revision 1); nothing changed" in (
        result.output
    )
    assert snapshot(archived.url) == before


def test_reimport_same_text_other_encoding_is_noop(archived: Cli, tmp_path: Path) -> None:
    text = SEED_BYTES.decode("utf-8").replace("\n", "\r\n")
    utf16 = write(tmp_path, "2024-utf16.txt", text.encode("utf-16"))
    before = snapshot(archived.url)
    result = archived("import", str(utf16))
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert snapshot(archived.url) == before


def changed_seed(tmp_path: Path) -> Path:
    text = SEED_BYTES.decode("utf-8").replace("国民健康保険組合の健全な運営を確保すること。",
                                              "国民健康保険組合の健全な運営を確保し、支援を講じること。")
    return write(tmp_path, "2024-v2.txt", text.encode("utf-8"))


def test_conflicting_reimport_refused(archived: Cli, tmp_path: Path) -> None:
    before = snapshot(archived.url)
    result = archived("import", str(changed_seed(tmp_path)))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: 2024-v2.txt: 2024 is already archived (revision 1")
    assert "--revise" in lines[0]
    assert snapshot(archived.url) == before


def test_revise_keeps_old_revision(archived: Cli, tmp_path: Path) -> None:
    result = archived("import", "--revise", str(changed_seed(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "revised 2024 revision 2" in result.output
    latest = json.loads(archived("show", "2024", "--format", "json").output)
    first = json.loads(archived("show", "2024@1", "--format", "json").output)
    assert latest["revision"] == 2 and first["revision"] == 1
    assert latest["resolution"]["items"][-1]["text"].endswith("支援を講じること。")
    first_last = first["resolution"]["items"][-1]["text"]
    assert first_last == "国民健康保険組合の健全な運営を確保すること。"
    assert first["source"]["sha256"] == SEED_SHA
    assert archived("list").output.splitlines()[1].split()[3] == "2"
    missing = archived("show", "2024@3")
    assert missing.exit_code == 1
    assert "2024 has no revision 3 (revisions 1–2)" in missing.output


NO_DEMANDS = "決　議\n\n本日ここに大会を開催した。\n\n令和6年11月15日\n".encode()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\r\n  ", "whitespace"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        ("nodemands.txt", NO_DEMANDS, "一、"),
    ],
)
def test_bad_input_one_line_error_archive_unchanged(
    archived: Cli, tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = write(tmp_path, name, data)
    before = snapshot(archived.url)
    result = archived("import", str(path))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert name in lines[0]
    assert expected in lines[0]
    assert snapshot(archived.url) == before


def test_unreadable_encoding(archived: Cli, tmp_path: Path) -> None:
    # bytes that are valid in no Japanese encoding the tool knows and no plausible text
    data = bytes([0x81, 0x39, 0xFF, 0xFE, 0x80, 0xA0]) * 50 + b"\x85\x7f\xfd" * 30
    path = write(tmp_path, "garbled.txt", data)
    before = snapshot(archived.url)
    result = archived("import", str(path))
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot(archived.url) == before


def test_oversize_file(archived: Cli, tmp_path: Path) -> None:
    from resolution_archive.text.encoding import MAX_SOURCE_BYTES

    path = write(tmp_path, "huge.txt", SEED_BYTES * (MAX_SOURCE_BYTES // len(SEED_BYTES) + 1))
    before = snapshot(archived.url)
    result = archived("import", str(path))
    assert result.exit_code == 1
    assert "limit" in result.output and len(result.output.strip().splitlines()) == 1
    assert snapshot(archived.url) == before


def test_missing_path_and_empty_folder(archived: Cli, tmp_path: Path) -> None:
    before = snapshot(archived.url)
    missing = archived("import", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1
    assert missing.output.strip() == f"Error: {tmp_path / 'nope.txt'}: no such file; check the path"
    directory = archived("import", str(tmp_path))
    assert directory.exit_code == 1
    assert "the folder has no .txt, .text, .pdf, .docx, .html, .htm files" in directory.output
    assert len(directory.output.strip().splitlines()) == 1
    assert snapshot(archived.url) == before


def test_year_from_option_when_text_has_none(cli: Cli, tmp_path: Path) -> None:
    text = "決　議\n一、国保の財政基盤を強化すること。\n一、保険料の軽減を図ること。\n"
    path = write(tmp_path, "undated.txt", text.encode("utf-8"))
    refused = cli("import", str(path))
    assert refused.exit_code == 1
    assert "no date or year found" in refused.output and "--year" in refused.output
    accepted = cli("import", "--year", "2019", str(path))
    assert accepted.exit_code == 0, accepted.output
    data = json.loads(cli("show", "2019", "--format", "json").output)
    assert data["date"] is None
    assert [i["text"] for i in data["resolution"]["items"]] == [
        "国保の財政基盤を強化すること。", "保険料の軽減を図ること。"]


def test_year_override_wins(cli: Cli) -> None:
    result = cli("import", "--year", "2030", str(SEED))
    assert result.exit_code == 0
    assert "imported 2030 revision 1" in result.output


def test_several_files_one_bad(cli: Cli, tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.txt", b"")
    result = cli("import", str(empty), str(SEED))
    assert result.exit_code == 1
    assert "Error: " in result.output and "empty.txt" in result.output
    assert "2024.txt: imported 2024 revision 1" in result.output
    assert cli("list").output.splitlines()[1].startswith("2024")


def test_usage_errors_exit_2(cli: Cli, tmp_path: Path) -> None:
    assert cli("show", "twenty").exit_code == 2
    assert cli("import").exit_code == 2
    both = cli("import", "--year", "2024", str(SEED), str(SEED))
    assert both.exit_code == 2
    assert cli("import", "--year", "99", str(SEED)).exit_code == 2


def test_unknown_year(archived: Cli) -> None:
    result = archived("show", "1999")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: year 1999 is not in the archive (years: 2024)"


def test_empty_archive_messages(cli: Cli) -> None:
    assert cli("db", "upgrade").exit_code == 0
    assert "The archive is empty" in cli("list").output
    result = cli("show", "2024")
    assert result.exit_code == 1
    assert "none yet" in result.output


def test_imported_at_is_utc_on_every_engine(archived: Cli) -> None:
    import datetime as dt

    data = json.loads(archived("show", "2024", "--format", "json").output)
    moment = dt.datetime.fromisoformat(data["source"]["imported_at"])
    assert moment.utcoffset() == dt.timedelta(0)
    assert abs((dt.datetime.now(dt.UTC) - moment).total_seconds()) < 600
