"""`archive verify`: a clean archive passes; rows or bytes altered behind the tool's back (plain
SQL, as a buggy script or a disk would) are each reported, and verify itself changes nothing.

A parser change is simulated honestly: the source bytes are replaced together with their sha256,
so the stored rows no longer match what the current parser makes of the stored source — the
same situation as rows written by an older parser.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED, Cli, snapshot
from tests.test_dump import populate

SEED_SHA = hashlib.sha256(SEED.read_bytes()).hexdigest()

DOCUMENT_OF = """(SELECT d.id FROM document d
    JOIN revision r ON d.revision_id = r.id
    JOIN edition e ON r.edition_id = e.id
    JOIN series s ON e.series_id = s.id
    WHERE s.slug = 'kokuho-taikai' AND e.year = :year AND r.number = :number
      AND d.kind = :kind)"""
REVISION_OF = """(SELECT r.id FROM revision r
    JOIN edition e ON r.edition_id = e.id
    JOIN series s ON e.series_id = s.id
    WHERE s.slug = 'kokuho-taikai' AND e.year = :year AND r.number = :number)"""


def sql(url: str, statement: str, **params: Any) -> None:
    """Change the database directly, bypassing the tool."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        assert conn.execute(text(statement), params).rowcount >= 1
    engine.dispose()


def verify(cli: Cli, *args: str) -> tuple[int, list[str]]:
    before = snapshot(cli.url)
    result = cli("verify", *args)
    assert snapshot(cli.url) == before  # verify is read-only, whatever it finds
    return result.exit_code, result.output.splitlines()


@pytest.fixture
def archived(cli: Cli, tmp_path: Path) -> Cli:
    populate(cli, tmp_path)
    return cli


def test_clean_archive(archived: Cli) -> None:
    assert verify(archived) == (0, ["verified 4 sources and 5 revisions: no problems"])
    result = archived("verify", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"ok": True, "sources": 4, "revisions": 5,
                                         "problems": []}


def test_empty_archive(cli: Cli) -> None:
    assert cli("db", "upgrade").exit_code == 0
    assert verify(cli) == (0, ["verified 0 sources and 0 revisions: no problems"])


def test_tampered_item_text(archived: Cli) -> None:
    sql(archived.url, f"UPDATE item SET text = :text WHERE position = 3 AND document_id = "
                      f"{DOCUMENT_OF}", text="改ざんされた要望。", year=2024, number=1,
        kind="resolution")
    code, lines = verify(archived)
    assert code == 1
    assert lines[0].startswith("2024@1: demands: demand 3 differs: stored 「改ざんされた要望。」, "
                               "parser now 「")
    assert lines[1:] == ["verified 4 sources and 5 revisions: 1 problem"]

    result = archived("verify", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    assert report["problems"] == [{
        "kind": "demands", "series": "kokuho-taikai", "year": 2024, "revision": 1,
        "sha256": SEED_SHA, "message": lines[0].removeprefix("2024@1: demands: "),
    }]


def test_missing_item_preamble_date_and_paragraph(archived: Cli) -> None:
    sql(archived.url, f"DELETE FROM item WHERE position = 12 AND document_id = {DOCUMENT_OF}",
        year=2024, number=2, kind="resolution")
    sql(archived.url, f"UPDATE item SET text = text || '。' WHERE position = 2 AND document_id = "
                      f"{DOCUMENT_OF}", year=2023, number=1, kind="declaration")
    sql(archived.url, f"UPDATE document SET preamble = 'まえがき' WHERE id = {DOCUMENT_OF}",
        year=2022, number=1, kind="resolution")
    sql(archived.url, f"UPDATE revision SET date = NULL WHERE id = {REVISION_OF}",
        year=2022, number=1)
    code, lines = verify(archived)
    assert code == 1
    assert [line.split(": ")[:2] for line in lines[:-1]] == [
        ["2022@1", "date"], ["2022@1", "preamble"], ["2023@1", "paragraphs"],
        ["2024@2", "demands"]]
    assert lines[0] == "2022@1: date: stored none, parser now 2022-11-17"
    assert lines[1].startswith("2022@1: preamble: stored 「まえがき」, parser now 「本日ここに")
    assert lines[2].startswith("2023@1: paragraphs: paragraph 2 differs: stored 「")
    assert lines[3] == "2024@2: demands: 11 demands stored, the parser now finds 12"
    assert lines[-1] == "verified 4 sources and 5 revisions: 4 problems"


def test_tampered_source_bytes(archived: Cli) -> None:
    sql(archived.url, "UPDATE source SET content = :content WHERE sha256 = :sha",
        content=SEED.read_bytes().replace("早期に".encode(), "将来".encode()), sha=SEED_SHA)
    code, lines = verify(archived)
    assert code == 1
    assert len(lines) == 2
    assert lines[0].startswith("2024@1: sha256: source 2024.txt: its bytes hash to ")
    assert lines[0].endswith(f", not the recorded {SEED_SHA[:12]}…")
    assert lines[1] == "verified 4 sources and 5 revisions: 1 problem"


def test_parser_drift_is_reported(archived: Cli) -> None:
    """Stored rows that today's parser would not produce from the stored bytes."""
    changed = SEED.read_bytes().replace(
        "一、医療保険制度の一本化を早期に実現すること。\n".encode(), b"")
    sql(archived.url, "UPDATE source SET content = :content, sha256 = :new, size = :size "
                      "WHERE sha256 = :old", content=changed,
        new=hashlib.sha256(changed).hexdigest(), size=len(changed), old=SEED_SHA)
    code, lines = verify(archived)
    assert code == 1
    # the stored extraction was made from the old bytes, so it is reported too
    assert lines == ["2024@1: extracted: the text reader now extracts other text from the "
                     "source than was stored at import (2,744 → 2,720 characters)",
                     "2024@1: demands: 12 demands stored, the parser now finds 11",
                     "verified 4 sources and 5 revisions: 2 problems"]


def test_source_the_parser_now_rejects(archived: Cli) -> None:
    junk = "これは決議ではない文章です。\n".encode()
    sql(archived.url, "UPDATE source SET content = :content, sha256 = :new, size = :size "
                      "WHERE sha256 = :old", content=junk, new=hashlib.sha256(junk).hexdigest(),
        size=len(junk), old=SEED_SHA)
    code, lines = verify(archived)
    assert code == 1
    assert lines[0].startswith("2024@1: parse: the parser now rejects the source: ")
    assert lines[-1] == "verified 4 sources and 5 revisions: 1 problem"


def test_other_series_is_named(archived: Cli) -> None:
    sql(archived.url, "UPDATE item SET comparison = 'x' WHERE position = 1 AND document_id = "
                      "(SELECT d.id FROM document d JOIN revision r ON d.revision_id = r.id "
                      "JOIN edition e ON r.edition_id = e.id JOIN series s ON "
                      "e.series_id = s.id WHERE s.slug = 'other-body' AND d.kind = 'resolution')")
    code, lines = verify(archived)
    assert code == 1
    assert lines[0].startswith("other-body 2023@1: demands: demand 1 differs: same text, "
                               "comparison form stored 「x」")
