"""`archive dump` / `archive restore`: exact round trips on and between engines, and every way
a dump can be unusable refused with a one-line message and the target archive left untouched.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from resolution_archive.store.db import head_revision
from tests.conftest import EXAMPLE_2022, EXAMPLE_2023, SEED, Cli, fresh_pg_database, snapshot

SEED_SHA = hashlib.sha256(SEED.read_bytes()).hexdigest()


def populate(cli: Cli, tmp_path: Path) -> None:
    """Three years, a second revision of 2024 (no provenance file), and a second series."""
    for path in (SEED, EXAMPLE_2023, EXAMPLE_2022):
        result = cli("import", str(path))
        assert result.exit_code == 0, result.output
    revised = tmp_path / "2024-corrected.txt"
    revised.write_bytes(SEED.read_bytes().replace(
        "医療保険制度の一本化を早期に実現すること。".encode(),
        "医療保険制度の一本化を速やかに実現すること。".encode()))
    result = cli("import", "--revise", str(revised))
    assert "revised 2024 revision 2" in result.output, result.output
    result = cli("import", "--series", "other-body", "--status", "example", str(EXAMPLE_2023))
    assert result.exit_code == 0, result.output


def dump_bytes(cli: Cli) -> bytes:
    result = cli("dump", "-")
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def shown(cli: Cli) -> list[dict[str, Any]]:
    """What a user sees of every revision: the comparison that matters besides the bytes.

    `show` prints imported_at as the driver returns it (naive from SQLite, +00:00 from
    PostgreSQL), so it is compared as an instant.
    """
    from resolution_archive.store.dump import format_timestamp

    out = []
    for args in (["2022"], ["2023"], ["2024@1"], ["2024@2"], ["2023", "--series", "other-body"]):
        result = cli("show", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        source = data["source"]
        source["imported_at"] = format_timestamp(dt.datetime.fromisoformat(source["imported_at"]))
        out.append(data)
    return out


def restore_stdin(cli: Cli, data: bytes) -> Result:
    """`archive --db URL restore -` with `data` on stdin (Cli itself passes no input)."""
    from resolution_archive.cli import main

    return cli.runner.invoke(main, ["--db", cli.url, "restore", "-"], input=data,
                             catch_exceptions=False)


def empty_archive(url: str) -> Cli:
    """A migrated archive with no rows, so `snapshot` has tables to compare."""
    cli = Cli(url)
    assert cli("db", "upgrade").exit_code == 0
    return cli


def lines_of(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def reseal(records: list[bytes]) -> bytes:
    """Header and body lines plus a freshly computed trailer: a well-formed but edited dump."""
    body = b"".join(line + b"\n" for line in records)
    trailer = {"type": "trailer", "lines": len(records),
               "sha256": hashlib.sha256(body).hexdigest()}
    return body + json.dumps(trailer).encode() + b"\n"


def edit(data: bytes, index: int, change: dict[str, Any]) -> bytes:
    """The dump with fields of line `index` (0 = header) changed and the trailer recomputed."""
    lines = data.split(b"\n")[:-2]  # drop the trailer and the empty piece after the last \n
    record = json.loads(lines[index])
    record.update(change)
    lines[index] = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    return reseal(lines)


# --- round trips ----------------------------------------------------------------------------


@pytest.fixture
def second_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database on the same engine as `db_url`, to restore into."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.sqlite3'}"
        return
    with fresh_pg_database() as url:
        yield url


def test_round_trip_is_byte_identical(db_url: str, second_url: str, tmp_path: Path) -> None:
    source = Cli(db_url)
    populate(source, tmp_path)
    first = source("dump", str(tmp_path / "archive.jsonl"))
    assert first.exit_code == 0, first.output
    assert first.output.strip() == (
        f"dumped 2 series, 4 sources, 4 years, 5 revisions to {tmp_path / 'archive.jsonl'} "
        f"(schema {head_revision()})")
    data = (tmp_path / "archive.jsonl").read_bytes()
    assert dump_bytes(source) == data  # file and stdout agree, and dumping is repeatable

    target = Cli(second_url)
    result = target("restore", str(tmp_path / "archive.jsonl"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("restored 2 series, 4 sources, 4 years, 5 revisions")
    assert dump_bytes(target) == data
    assert shown(target) == shown(source)
    assert target("verify").exit_code == 0


def test_sqlite_to_postgresql_and_back(tmp_path: Path, pg_database: str) -> None:
    sqlite_a = Cli(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    populate(sqlite_a, tmp_path)
    data = dump_bytes(sqlite_a)

    pg = Cli(pg_database)
    assert restore_stdin(pg, data).exit_code == 0
    assert dump_bytes(pg) == data
    assert shown(pg) == shown(sqlite_a)

    sqlite_b = Cli(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    result = restore_stdin(sqlite_b, dump_bytes(pg))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("restored 2 series, 4 sources, 4 years, 5 revisions")
    assert dump_bytes(sqlite_b) == data
    assert shown(sqlite_b) == shown(sqlite_a)
    # same rows apart from surrogate ids, which the format deliberately leaves out
    def without_ids(url: str) -> list[tuple[Any, ...]]:
        return sorted(row[1:] for row in snapshot(url)["source"])

    assert without_ids(sqlite_b.url) == without_ids(sqlite_a.url)


def test_format_contents(cli: Cli, tmp_path: Path) -> None:
    from resolution_archive import __version__
    from resolution_archive.store.db import head_revision

    populate(cli, tmp_path)
    data = dump_bytes(cli)
    records = lines_of(data)
    header, body, trailer = records[0], records[1:-1], records[-1]
    assert header == {"format": "resolution-archive-dump", "version": 1,
                      "schema": head_revision(), "tool": __version__,
                      "counts": {"series": 2, "source": 4, "edition": 4, "revision": 5}}
    assert [r["type"] for r in body] == (["series"] * 2 + ["source"] * 4 + ["edition"] * 4
                                         + ["revision"] * 5)
    assert [r["slug"] for r in body[:2]] == ["kokuho-taikai", "other-body"]
    sources = body[2:6]
    assert [s["sha256"] for s in sources] == sorted(s["sha256"] for s in sources)
    seed = next(s for s in sources if s["sha256"] == SEED_SHA)
    assert base64.b64decode(seed["content"]) == SEED.read_bytes()
    assert seed["status"] == "official" and json.loads(seed["provenance"])["sha256"] == SEED_SHA
    assert seed["imported_at"].endswith("Z")
    revisions = body[10:]
    assert [(r["series"], r["year"], r["number"]) for r in revisions] == [
        ("kokuho-taikai", 2022, 1), ("kokuho-taikai", 2023, 1), ("kokuho-taikai", 2024, 1),
        ("kokuho-taikai", 2024, 2), ("other-body", 2023, 1)]
    first = revisions[2]
    assert first["source"] == SEED_SHA and first["date"] == "2024-11-15"
    assert [d["kind"] for d in first["documents"]] == ["declaration", "resolution"]
    demands = first["documents"][1]["items"]
    assert [i["position"] for i in demands] == list(range(1, 13))
    assert demands[0]["text"] == "医療保険制度の一本化を早期に実現すること。"
    assert revisions[3]["documents"][1]["items"][0]["text"] == (
        "医療保険制度の一本化を速やかに実現すること。")
    # no surrogate ids anywhere: the format is engine-independent
    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value).union(*(keys(v) for v in value.values()))
        if isinstance(value, list):
            return set().union(*(keys(v) for v in value))
        return set()

    assert not {k for k in keys(records) if k == "id" or k.endswith("_id")}
    assert trailer["type"] == "trailer" and trailer["lines"] == len(records) - 1
    assert trailer["sha256"] == hashlib.sha256(data[: data.rindex(b"{")]).hexdigest()


def test_empty_archive_round_trip(cli: Cli, tmp_path: Path) -> None:
    data = dump_bytes(cli)
    assert len(data.splitlines()) == 2
    target = Cli(f"sqlite:///{tmp_path / 'empty-copy.sqlite3'}")
    assert restore_stdin(target, data).exit_code == 0
    assert dump_bytes(target) == data


def test_timestamps_are_normalised_to_utc(cli: Cli, tmp_path: Path) -> None:
    """A dump edited by hand with a +09:00 time restores to the same instant, written in UTC."""
    populate(cli, tmp_path)
    data = dump_bytes(cli)
    records = lines_of(data)
    index = next(i for i, r in enumerate(records) if r.get("type") == "source")
    utc = dt.datetime.fromisoformat(records[index]["imported_at"])
    jst = utc.astimezone(dt.timezone(dt.timedelta(hours=9))).isoformat()
    target = Cli(f"sqlite:///{tmp_path / 'jst.sqlite3'}")
    assert restore_stdin(target, edit(data, index, {"imported_at": jst})).exit_code == 0
    assert dump_bytes(target) == data


# --- refusals: one line, exit 1, target unchanged -------------------------------------------


@pytest.fixture
def good_dump(db_url: str, tmp_path: Path) -> bytes:
    source = Cli(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    populate(source, tmp_path)
    return dump_bytes(source)


def refused(target: Cli, data: bytes, expected: str) -> None:
    before = snapshot(target.url)
    result = restore_stdin(target, data)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert expected in result.output, result.output
    assert snapshot(target.url) == before


def test_refuses_non_empty_archive(db_url: str, good_dump: bytes) -> None:
    target = Cli(db_url)
    assert target("import", str(SEED)).exit_code == 0
    refused(target, good_dump, "is not empty")


def test_refuses_corrupted_line(db_url: str, good_dump: bytes) -> None:
    target = empty_archive(db_url)
    lines = good_dump.split(b"\n")
    damaged = lines[:]
    damaged[3] = damaged[3][:40] + b"\x00garbage" + damaged[3][60:]
    refused(target, b"\n".join(damaged), "does not match the lines before it")
    # the same damage with the trailer recomputed is caught by the line itself
    refused(target, reseal(damaged[:-2]), "line 4: not a valid JSON line")


def test_refuses_wrong_source_sha256(db_url: str, good_dump: bytes) -> None:
    target = empty_archive(db_url)
    index = next(i for i, r in enumerate(lines_of(good_dump)) if r.get("type") == "source")
    forged = base64.b64encode(b"a different text").decode()
    data = edit(good_dump, index, {"content": forged, "size": 16})
    refused(target, data, "its bytes do not match its sha256")


def test_refuses_truncated_dump(db_url: str, good_dump: bytes) -> None:
    target = empty_archive(db_url)
    lines = good_dump.split(b"\n")
    without_trailer = b"\n".join(lines[:-2]) + b"\n"
    refused(target, without_trailer, "truncated")
    refused(target, good_dump[: len(good_dump) // 2], "truncated")
    refused(target, good_dump[:-1], "truncated")


def test_refuses_unknown_format_version(db_url: str, good_dump: bytes) -> None:
    target = empty_archive(db_url)
    refused(target, edit(good_dump, 0, {"version": 99}), "format version 99 is not one this tool")


def test_refuses_what_is_not_a_dump(db_url: str, good_dump: bytes, tmp_path: Path) -> None:
    target = empty_archive(db_url)
    refused(target, b"", "empty")
    refused(target, SEED.read_bytes(), "not a resolution-archive dump")
    refused(target, edit(good_dump, 0, {"counts": {"series": 1, "source": 4, "edition": 4,
                                                   "revision": 5}}), "the header announces")
    refused(target, edit(good_dump, 1, {"id": 7}), "unknown field id")
    before = snapshot(target.url)
    result = target("restore", str(tmp_path / "missing.jsonl"))
    assert result.exit_code == 1 and "no such file" in result.output
    assert snapshot(target.url) == before


def test_refuses_dangling_reference(db_url: str, good_dump: bytes) -> None:
    target = empty_archive(db_url)
    index = next(i for i, r in enumerate(lines_of(good_dump)) if r.get("type") == "revision")
    refused(target, edit(good_dump, index, {"source": "0" * 64}), "not in the dump")


def test_dump_refuses_damaged_source(cli: Cli, tmp_path: Path) -> None:
    """A dump that restore would reject is not written at all, and no half file is left."""
    from sqlalchemy import create_engine, text

    populate(cli, tmp_path)
    engine = create_engine(cli.url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE source SET content = :c WHERE sha256 = :s"),
                     {"c": b"tampered", "s": SEED_SHA})
    engine.dispose()
    target = tmp_path / "out" / "archive.jsonl"
    target.parent.mkdir()
    result = cli("dump", str(target))
    assert result.exit_code == 1
    assert "no longer match their sha256; run `archive verify`" in result.output
    assert list(target.parent.iterdir()) == []


def test_dump_into_missing_directory(cli: Cli, tmp_path: Path) -> None:
    result = cli("dump", str(tmp_path / "nowhere" / "archive.jsonl"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "cannot write there" in result.output
