"""An office's own policy names (`--concepts FILE`): the file format, the engine, the CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from resolution_archive.diff import BUILT_IN, diff_items, read_families
from tests.conftest import Cli, snapshot
from tests.test_cli_history import conference_text

KIHON = "国民健康保険の財政基盤の強化のため、国の責任において十分な財政措置を講じること。"
KINTO = "子どもに係る均等割保険料（税）の軽減措置の対象を拡大すること。"
IPPON = "医療保険制度の一本化を早期に実現すること。"
BUKKA = (
    "物価高騰の影響により保険料（税）の負担が困難となっている被保険者の状況を踏まえ、"
    "必要な支援を講じること。"
)
SOUGOU = (
    "国保総合システムの次期更改に当たっては、保険者の負担とならないよう、"
    "国において必要な財政措置を講じること。"
)
SHUYAKU = "国保情報集約システムへの移行に係る経費について、国の責任において所要の額を確保すること。"
OLD = [KIHON, SOUGOU, KINTO, IPPON]
NEW = [KIHON, KINTO, BUKKA, IPPON, SHUYAKU]
LOCAL = "# 本県の呼び名\n国保総合システム： 国保総合システム、国保情報集約システム\n"


def changed(old: list[str], new: list[str], **kwargs: object) -> list[tuple[object, ...]]:
    result = diff_items(old, new, **kwargs)  # type: ignore[arg-type]
    return [(c.kind, c.old, c.new, c.moved) for c in result.changes if c.kind != "unchanged"]


# --- the file ------------------------------------------------------------------------------


def test_a_line_is_one_policy_with_or_without_its_name() -> None:
    families = read_families(
        "# comment\n\n国保総合システム： 国保総合システム、次期国保総合システム\n"
        "ＫＤＢ, 国保データベース\tシステム\n"
    )
    # Names are compared as demands are: NFKC, no spaces (ＫＤＢ = KDB).
    assert families == {
        "国保総合システム": ("国保総合システム", "次期国保総合システム"),
        "KDB": ("KDB", "国保データベースシステム"),
    }


def test_numbers_in_names_are_read_by_value() -> None:
    families = read_families("追加公費: 三千四百億円の公費\n")
    assert families == {"追加公費": ("3400億円の公費",)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file lists no policies"),
        ("# only a comment\n", "the file lists no policies"),
        ("制度: 国\n", "line 1: the name '国' is too short"),
        ("a: 総合システム\nb: 総合システム\n",
         "line 2: '総合システム' is already listed on line 1"),
        ("名前だけ:\n", "line 1: no names after '名前だけ'"),
        ("マイナ保険証、KDB\n", "line 1: the names belong to built-in policies"),
        ("マイナ保険証: KDB\n", "line 1: the names belong to built-in policies"),
        ("甲: 甲制度\n甲: 甲事業\n", "line 2: the policy '甲' is already named above"),
    ],
)
def test_a_file_that_cannot_be_used_says_which_line_and_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message):
        read_families(text)


def test_a_line_naming_a_built_in_policy_adds_to_it() -> None:
    by_label = BUILT_IN.extended({"マイナ保険証": ("資格確認書の交付",)})
    by_name = BUILT_IN.extended({"資格確認書": ("資格確認書", "資格確認書の交付")})
    for lexicon in (by_label, by_name):
        assert lexicon.concepts("資格確認書の交付を継続すること") == {"マイナ保険証"}
        assert set(lexicon.families) == set(BUILT_IN.families)
    assert BUILT_IN.concepts("資格確認書の交付") == {"マイナ保険証"}  # built-in untouched
    new = BUILT_IN.extended({"国保総合システム": ("国保総合システム",)})
    assert set(new.families) - set(BUILT_IN.families) == {"国保総合システム"}


# --- the engine ----------------------------------------------------------------------------


def test_a_demand_renamed_to_a_local_name_is_paired_only_with_the_file() -> None:
    """国保総合システム → 国保情報集約システム at the end of the list: nothing but the name ties
    them, and only the office knows the two names are one system."""
    assert changed(OLD, NEW) == [
        ("dropped", (2,), (), False),
        ("added", (), (3,), False),
        ("added", (), (5,), False),
    ]
    local = BUILT_IN.extended(read_families(LOCAL))
    assert changed(OLD, NEW, lexicon=local) == [
        ("added", (), (3,), False),
        ("reworded", (2,), (5,), True),
    ]


# --- the CLI -------------------------------------------------------------------------------


@pytest.fixture
def renamed(cli: Cli, tmp_path: Path) -> Cli:
    paths = []
    for year, demands in ((2030, OLD), (2031, NEW)):
        path = tmp_path / f"{year}.txt"
        path.write_text(conference_text(year - 2018, demands), "utf-8")
        paths.append(str(path))
    result = cli("import", *paths)
    assert result.exit_code == 0, result.output
    return cli


def test_diff_and_export_use_and_cite_the_file(renamed: Cli, tmp_path: Path) -> None:
    local = tmp_path / "本県の政策名.txt"
    local.write_bytes(LOCAL.encode("shift_jis"))  # as Notepad or Excel saves it
    plain = json.loads(renamed("diff", "2030", "2031", "--format", "json").output)
    assert plain["summary"]["dropped"] == 1 and plain["report"]["concepts"] is None
    taught = json.loads(
        renamed("diff", "2030", "2031", "--format", "json", "--concepts", str(local)).output
    )
    moved = [c for c in taught["changes"] if c["kind"] == "reworded"]
    assert [(c["old"], c["new"], c["moved"]) for c in moved] == [([2], [5], True)]
    assert taught["summary"]["dropped"] == 0
    assert taught["report"]["concepts"]["filename"] == "本県の政策名.txt"
    assert taught["report"]["concepts"]["families"] == {
        "国保総合システム": ["国保総合システム", "国保情報集約システム"]
    }
    text = renamed("diff", "2030", "2031", "--concepts", str(local)).output
    assert "独自の政策名：本県の政策名.txt（1件、SHA-256 " in text
    out = tmp_path / "report.html"
    result = renamed("export", "2030", "2031", "--concepts", str(local), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "独自の政策名：本県の政策名.txt" in out.read_text("utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a plain text file"),
        (b"\x00\x01\x02PK\x03\x04" * 20, "not a plain text file"),
        ("制度: 国\n".encode(), "line 1: the name '国' is too short"),
        (("甲制度: 甲制度、乙制度\n" * 60_000).encode(), "the file is 1,980,000 bytes"),
    ],
)
def test_a_bad_file_is_a_usage_error_that_changes_nothing(
    renamed: Cli, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "names.txt"
    bad.write_bytes(content)
    before = snapshot(renamed.url)
    for args in (("diff",), ("export", "-o", str(tmp_path))):
        result = renamed(*args, "2030", "2031", "--concepts", str(bad))
        assert result.exit_code == 2, result.output
        assert f"names.txt: {message}" in result.output
    assert snapshot(renamed.url) == before
    assert not list(tmp_path.glob("*.html"))
    missing = renamed("diff", "2030", "2031", "--concepts", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_concepts_command_lists_built_in_and_local_names(cli: Cli, tmp_path: Path) -> None:
    listed = cli("concepts")
    assert listed.exit_code == 0
    assert "マイナ保険証: オンライン資格確認、" in listed.output
    local = tmp_path / "names.txt"
    local.write_text(LOCAL, "utf-8")
    data = json.loads(cli("concepts", "--format", "json", "--file", str(local)).output)
    by_name = {f["name"]: f for f in data["families"]}
    assert by_name["国保総合システム"] == {
        "name": "国保総合システム",
        "names": ["国保総合システム", "国保情報集約システム"],
        "local": True,
    }
    assert by_name["マイナ保険証"]["local"] is False
    assert data["file"]["filename"] == "names.txt" and data["file"]["lines"] == 1


# --- across years: history, timeline, search, site ------------------------------------------


def history_of(cli: Cli, *args: str) -> list[tuple[int, int, str]]:
    result = cli("history", "2031:5", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    versions = json.loads(result.output)["threads"][0]["versions"]
    return [(v["year"], v["number"], v["change"]) for v in versions]


def test_history_follows_a_renamed_demand_only_with_the_file(renamed: Cli, tmp_path: Path) -> None:
    """The answers are cached per lexicon: the plain history after a taught one (and the taught
    one again) are each right, not the other's cached pairing."""
    local = tmp_path / "names.txt"
    local.write_text(LOCAL, "utf-8")
    taught = [(2030, 2, "added"), (2031, 5, "reworded")]
    assert history_of(renamed, "--concepts", str(local)) == taught
    assert history_of(renamed) == [(2031, 5, "added")]
    assert history_of(renamed, "--concepts", str(local)) == taught
    # ARCHIVE_CONCEPTS names the file once for a shell or a shortcut.
    env = {"ARCHIVE_CONCEPTS": str(local)}
    result = renamed("history", "2031:5", "--format", "json", env=env)
    data = json.loads(result.output)
    assert len(data["threads"][0]["versions"]) == 2
    assert data["concepts"]["filename"] == "names.txt"
    assert json.loads(renamed("history", "2031:5", "--format", "json").output)["concepts"] is None


def test_timeline_search_and_site_use_and_cite_the_file(renamed: Cli, tmp_path: Path) -> None:
    local = tmp_path / "names.txt"
    local.write_text(LOCAL, "utf-8")
    timeline = json.loads(
        renamed("timeline", "--format", "json", "--concepts", str(local)).output
    )
    assert timeline["concepts"]["sha256"] == hashlib.sha256(LOCAL.encode()).hexdigest()
    cells = [t["cells"] for t in timeline["threads"] if "2030" in t["cells"]]
    assert {"2030": {"number": 2, "change": "added"},
            "2031": {"number": 5, "change": "reworded"}} in cells
    text = renamed("timeline", "--concepts", str(local)).output
    assert text.startswith("独自の政策名：names.txt（1件")
    found = renamed("search", "情報集約", "--concepts", str(local))
    assert found.exit_code == 0 and "独自の政策名：names.txt" in found.output
    hits = json.loads(
        renamed("search", "情報集約", "--format", "json", "--concepts", str(local)).output
    )
    assert hits["concepts"]["filename"] == "names.txt"
    site = tmp_path / "site"
    result = renamed("site", str(site), "--concepts", str(local))
    assert result.exit_code == 0, result.output
    pair = (site / "2030-2031" / "index.html").read_text("utf-8")
    assert "独自の政策名：names.txt" in pair and "（移動）" in pair


def test_a_bad_file_stops_history_timeline_search_and_site_before_anything(
    renamed: Cli, tmp_path: Path
) -> None:
    bad = tmp_path / "names.txt"
    bad.write_text("制度: 国\n", "utf-8")
    before = snapshot(renamed.url)
    for args in (("history", "2031:5"), ("timeline",), ("search", "国保"),
                 ("site", str(tmp_path / "site"))):
        result = renamed(*args, "--concepts", str(bad))
        assert result.exit_code == 2, (args, result.output)
        assert "names.txt: line 1: the name '国' is too short" in result.output
    assert snapshot(renamed.url) == before
    assert not (tmp_path / "site").exists()
