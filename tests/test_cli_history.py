"""`archive history`, `timeline`, `search`, `link`, `unlink`, `decisions` on both engines.

Every test imports the bundled years (as scripts/demo.sh does) into a fresh archive and runs the
commands as a user types them; expectations about which years hold a word are read from
`archive show`, not written down, so the tests follow the bundled texts.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from resolution_archive.text.normalize import comparison_form
from tests.conftest import EXAMPLE_2022, EXAMPLE_2023, SEED, Cli, snapshot
from tests.thread_texts import BC, COVID, COVID_BACK, A, B, C, D

SHIENKIN = "子ども・子育て支援金制度"


@pytest.fixture
def bundled(cli: Cli) -> Cli:
    result = cli("import", str(SEED), str(EXAMPLE_2023), str(EXAMPLE_2022))
    assert result.exit_code == 0, result.output
    return cli


def run_json(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def shown(cli: Cli, year: int) -> dict[str, Any]:
    return run_json(cli, "show", str(year))  # type: ignore[no-any-return]


def years_containing(cli: Cli, word: str, document: str = "resolution") -> list[tuple[int, int]]:
    form = comparison_form(word)
    found = []
    for year in (2022, 2023, 2024):
        data = shown(cli, year)
        if document == "resolution":
            texts = [item["text"] for item in data["resolution"]["items"]]
        else:
            texts = data["declaration"]["paragraphs"]
        found += [(year, n) for n, text in enumerate(texts, start=1)
                  if form in comparison_form(text)]
    return found


# --- the two promises of the issue --------------------------------------------------------------


def test_history_of_the_shienkin_demand_shows_its_predecessor(bundled: Cli) -> None:
    data = run_json(bundled, "history", "2024:7")
    assert len(data["threads"]) == 1
    thread = data["threads"][0]
    versions = thread["versions"]
    assert [(v["year"], v["number"]) for v in versions] == [(2023, 8), (2024, 7)]
    assert versions[1]["text"].startswith(SHIENKIN)
    assert versions[1]["change"] == "reworded"
    assert versions[0]["text"] == shown(bundled, 2023)["resolution"]["items"][7]["text"]
    assert "次元の異なる少子化対策" in versions[0]["text"]
    assert versions[1]["from"] == ["2023:8"]
    assert thread["id"] == "2023:8"

    text = bundled("history", "2024:7", "--no-color")
    assert text.exit_code == 0, text.output
    assert "2023   8  [新設]" in text.output and "2024   7  [変更]  ← 2023:8" in text.output
    assert "[-「次元の異なる少子化対策」の財源確保に当たっ-]{+子ども・子育て支援金制度につい+}" \
        in text.output


def test_search_finds_kosodate_in_every_year_it_appears(bundled: Cli) -> None:
    expected = years_containing(bundled, "子育て") + [
        (y, n) for y, n in years_containing(bundled, "子育て", "declaration")]
    assert (2024, 7) in expected
    data = run_json(bundled, "search", "子育て")
    hits = [(h["year"], h["number"]) for h in data["hits"]]
    assert sorted(hits) == sorted(expected)
    shienkin = next(h for h in data["hits"] if h["year"] == 2024 and h["number"] == 7)
    assert shienkin["document"] == "resolution" and shienkin["thread"] == "2023:8"
    assert set(shienkin) >= {"year", "document", "number", "text", "thread"}
    start, end = shienkin["highlights"][0]
    assert shienkin["text"][start:end] == "子育て"


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["国保", "子育", "税", "KDB", "ＫＤＢ", "(税)", "（税）",
                                  "保険料（税）"])
def test_search_is_width_insensitive_and_answers_short_words(bundled: Cli, word: str) -> None:
    expected = sorted(
        [(y, "resolution", n) for y, n in years_containing(bundled, word)]
        + [(y, "declaration", n) for y, n in years_containing(bundled, word, "declaration")])
    assert expected, f"the bundled texts contain {word}"
    data = run_json(bundled, "search", word)
    assert sorted((h["year"], h["document"], h["number"]) for h in data["hits"]) == expected
    form = comparison_form(word)
    for hit in data["hits"]:
        marked = [comparison_form(hit["text"][s:e]) for s, e in hit["highlights"]]
        assert marked and all(m == form for m in marked)


def test_search_filters_and_groups_by_thread(bundled: Cli) -> None:
    data = run_json(bundled, "search", "国保", "--from", "2023", "--to", "2023",
                    "--document", "declaration")
    assert data["hits"] and {(h["year"], h["document"]) for h in data["hits"]} == {
        (2023, "declaration")}
    assert all(h["thread"].startswith("宣言") for h in data["hits"])
    text = bundled("search", "ＫＤＢ", "--no-color")
    assert text.exit_code == 0
    assert "【ＫＤＢ】" in text.output and "【KDB】" in text.output
    assert text.output.count("スレッド ") == len({h["thread"] for h in
                                                 run_json(bundled, "search", "KDB")["hits"]})
    none = bundled("search", "存在しない言葉")
    assert none.exit_code == 0 and "ありません" in none.output


# --- history / timeline formats -----------------------------------------------------------------


def test_history_by_text_and_formats(bundled: Cli, tmp_path: Path) -> None:
    data = run_json(bundled, "history", "KDB")
    ids = [t["id"] for t in data["threads"]]
    assert ids and len(set(ids)) == len(ids)
    for thread in data["threads"]:
        assert any("KDB" in comparison_form(v["text"]) for v in thread["versions"])
    md = bundled("history", "2024:7", "--format", "md")
    assert md.exit_code == 0
    assert "<del>「次元の異なる少子化対策」の財源確保に当たっ</del>" in md.output
    out = tmp_path / "h.html"
    html = bundled("history", "2024:7", "--format", "html", "-o", str(out))
    assert html.exit_code == 0, html.output
    page = out.read_text("utf-8")
    assert "<ins>子ども・子育て支援金制度につい</ins>" in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")


def test_timeline_formats(bundled: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from resolution_archive.report.threads import COLOURS

    data = run_json(bundled, "timeline")
    assert data["years"] == [2022, 2023, 2024]
    by_id = {t["id"]: t for t in data["threads"]}
    assert by_id["2023:8"]["cells"] == {"2023": {"number": 8, "change": "added"},
                                        "2024": {"number": 7, "change": "reworded"}}
    assert by_id["2023:8"]["title"] == "子ども・子育て支援金制度については"
    numbers = {(int(y), c["number"]) for t in data["threads"] for y, c in t["cells"].items()}
    for year in (2022, 2023, 2024):  # every demand of every year is in exactly one cell
        count = len(shown(bundled, year)["resolution"]["items"])
        assert {n for y, n in numbers if y == year} == set(range(1, count + 1))
    assert len(numbers) == sum(len(t["cells"]) for t in data["threads"])

    narrow = run_json(bundled, "timeline", "--from", "2024")
    assert narrow["years"] == [2024]
    assert all(set(t["cells"]) == {"2024"} for t in narrow["threads"])

    csv = bundled("timeline", "--format", "csv")
    assert csv.exit_code == 0
    assert csv.output.splitlines()[0].lstrip("\ufeff") == "thread,title,2022,2023,2024"

    out = tmp_path / "t.html"
    assert bundled("timeline", "--format", "html", "-o", str(out)).exit_code == 0
    page = out.read_text("utf-8")
    assert "<script" not in page and "http" not in page and "@import" not in page
    assert 'class="k-reworded"' in page and SHIENKIN in page  # wording in the tooltip

    xlsx = tmp_path / "t.xlsx"
    assert bundled("timeline", "--format", "xlsx", "-o", str(xlsx)).exit_code == 0
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes()))["年表"]
    header = [c.value for c in sheet[1]]
    assert header == ["スレッド", "見出し", 2022, 2023, 2024]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "2023:8")
    assert row[4].value == 7
    assert row[4].fill.fgColor.rgb.endswith(COLOURS["reworded"][0])
    assert row[4].comment is not None and SHIENKIN in row[4].comment.text
    assert row[2].value is None


# --- decisions ----------------------------------------------------------------------------------


def test_decisions_are_respected_everywhere_and_survive_dump_restore(
    bundled: Cli, tmp_path: Path
) -> None:
    before = run_json(bundled, "diff", "2023", "2024")
    assert any(c["old"] == [8] and c["new"] == [7] for c in before["changes"])
    result = bundled("unlink", "2023:8", "2024:7", "--by", "sato", "--note", "別の制度")
    assert result.exit_code == 0, result.output
    assert "unlinked by sato" in result.output

    diff = run_json(bundled, "diff", "2023", "2024")
    decided = [c for c in diff["changes"] if c.get("decided_by") == "sato"]
    assert sorted((c["kind"], c["old"], c["new"]) for c in decided) == [
        ("added", [], [7]), ("dropped", [8], [])]
    for fmt, mark in (("md", "（確認済み）"), ("csv", "確認済み"), ("html", "確認済み")):
        export = bundled("export", "2023", "2024", "--format", fmt, "-o", "-")
        assert export.exit_code == 0 and mark in export.output, fmt
    assert "(確認済み: sato)" in bundled("diff", "2023", "2024", "--no-color").output
    history = run_json(bundled, "history", "2024:7")["threads"][0]
    assert history["id"] == "2024:7" and history["versions"][0]["decided_by"] == "sato"
    cells = {t["id"]: t for t in run_json(bundled, "timeline")["threads"]}
    assert cells["2024:7"]["cells"]["2024"] == {"number": 7, "change": "added",
                                                "decided_by": "sato"}
    assert cells["2023:8"]["ending"] == "dropped"

    # undo: a new record; nothing is erased
    assert bundled("link", "2023:8", "2024:7", "--as", "reworded", "--by", "suzuki").exit_code == 0
    listed = run_json(bundled, "decisions")["decisions"]
    assert [(d["action"], d["decided_by"], d["state"]) for d in listed] == [
        ("unlink", "sato", "superseded"), ("link", "suzuki", "in force")]
    assert listed[0]["note"] == "別の制度"
    relinked = run_json(bundled, "history", "2024:7")["threads"][0]
    assert relinked["id"] == "2023:8" and relinked["versions"][1]["decided_by"] == "suzuki"

    dump = tmp_path / "a.jsonl"
    assert bundled("dump", str(dump)).exit_code == 0
    header = json.loads(dump.read_bytes().split(b"\n", 1)[0])
    assert header["version"] == 2 and header["counts"]["decision"] == 2
    target = Cli(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    assert target("restore", str(dump)).exit_code == 0
    assert run_json(target, "decisions") == run_json(bundled, "decisions")  # who, when, why
    assert run_json(target, "history", "2024:7") == run_json(bundled, "history", "2024:7")
    again = tmp_path / "b.jsonl"
    assert target("dump", str(again)).exit_code == 0
    assert again.read_bytes() == dump.read_bytes()


def test_dump_without_decisions_stays_version_1(bundled: Cli, tmp_path: Path) -> None:
    dump = tmp_path / "a.jsonl"
    assert bundled("dump", str(dump)).exit_code == 0
    header = json.loads(dump.read_bytes().split(b"\n", 1)[0])
    assert header["version"] == 1 and "decision" not in header["counts"]


def test_verify_reports_decisions_whose_demands_are_gone(bundled: Cli, tmp_path: Path) -> None:
    assert bundled("link", "2023:8", "2024:7", "--as", "reworded", "--by", "x").exit_code == 0
    assert bundled("verify").exit_code == 0
    revised = tmp_path / "2024.txt"
    text = SEED.read_text("utf-8").replace("子ども・子育て支援金制度については",
                                           "子ども・子育て支援金制度の運用については")
    revised.write_text(text, "utf-8")
    assert bundled("import", str(revised), "--revise").exit_code == 0
    result = bundled("verify")
    assert result.exit_code == 1
    assert "decision 1" in result.output and "needs review" in result.output
    states = [d["state"] for d in run_json(bundled, "decisions")["decisions"]]
    assert states == ["needs review"]
    # a stale decision is not applied: the engine's own pairing is shown, unmarked
    thread = run_json(bundled, "history", "2024:7")["threads"][0]
    assert "decided_by" not in thread["versions"][-1]


def test_decisions_follow_a_renumbered_demand(bundled: Cli, tmp_path: Path) -> None:
    assert bundled("unlink", "2023:8", "2024:7", "--by", "x").exit_code == 0
    lines = SEED.read_text("utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("一、"))
    revised = tmp_path / "2024.txt"  # a new first demand pushes every number down by one
    revised.write_text("\n".join([*lines[:first], "一、国保の新しい要望を実現すること。",
                                  *lines[first:]]), "utf-8")
    assert bundled("import", str(revised), "--revise").exit_code == 0
    thread = run_json(bundled, "history", "2024:8")["threads"][0]
    assert thread["versions"][0]["text"].startswith(SHIENKIN)
    assert thread["versions"][0]["decided_by"] == "x"
    assert bundled("verify").exit_code == 0


# --- the pairing cache ------------------------------------------------------------------------


def test_pairings_are_cached_and_recomputed_only_where_touched(
    bundled: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resolution_archive import history
    from resolution_archive.store.db import EngineAccess, open_archive

    engine = open_archive(bundled.url)
    try:
        first = history.load_threads(EngineAccess(engine), "kokuho-taikai")
        assert (first.computed, first.reused) == (2, 0)
        warm = history.load_threads(EngineAccess(engine), "kokuho-taikai")
        assert (warm.computed, warm.reused) == (0, 2)

        revised = tmp_path / "2024.txt"
        revised.write_text(SEED.read_text("utf-8").replace(
            "子ども・子育て支援金制度については", "子ども・子育て支援金制度の運用については"),
            "utf-8")
        assert bundled("import", str(revised), "--revise").exit_code == 0
        after = history.load_threads(EngineAccess(engine), "kokuho-taikai")
        assert (after.computed, after.reused) == (1, 1)  # 2023→2024 only
        version = after.threads.thread_of(2024, 7).versions[-1]  # type: ignore[union-attr]
        assert "運用" in version.text

        monkeypatch.setattr(history, "ENGINE_VERSION", "test-next")
        bumped = history.load_threads(EngineAccess(engine), "kokuho-taikai")
        assert (bumped.computed, bumped.reused) == (2, 0)
    finally:
        engine.dispose()


def test_the_same_pairing_stored_twice_is_kept_once(db_url: str) -> None:
    """Two processes that compute the same pairing at once both store it; neither fails."""
    from sqlalchemy import func, select

    from resolution_archive.store import threads as store
    from resolution_archive.store.db import open_archive, session_scope
    from resolution_archive.store.models import PairingCache

    engine = open_archive(db_url)
    try:
        rows = [("d" * 64, "1", "pair", "[]"), ("e" * 64, "1", "gap", "[]")]
        with session_scope(engine) as session:
            store.store_cached(session, rows)
        with session_scope(engine) as session:
            store.store_cached(session, [*rows, ("f" * 64, "1", "pair", "[1]")])
        with session_scope(engine, read_only=True) as session:
            assert session.scalar(select(func.count()).select_from(PairingCache)) == 3
            assert store.cached(session, ["d" * 64, "f" * 64, "0" * 64]) == {
                "d" * 64: "[]", "f" * 64: "[1]"}
    finally:
        engine.dispose()


def test_timeline_works_on_a_read_only_archive(bundled: Cli, tmp_path: Path) -> None:
    if not bundled.url.startswith("sqlite"):
        pytest.skip("read-only files are an SQLite matter")
    path = Path(bundled.url.removeprefix("sqlite:///"))
    ro = Cli(f"sqlite:///file:{path}?mode=ro&uri=true")
    result = ro("timeline", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["years"] == [2022, 2023, 2024]


# --- refusals leave the archive as it was --------------------------------------------------------


@pytest.mark.parametrize(("args", "code", "message"), [
    (("history", "1999:1"), 1, "year 1999 is not in the archive (years: 2022, 2023, 2024)"),
    (("history", "2024:99"), 1, "2024 has 12 demands, no demand 99"),
    (("history", "存在しない言葉"), 1, "no demand contains 「存在しない言葉」"),
    (("search", "  　"), 1, "the search text is empty"),
    (("link", "2023:99", "2024:7", "--as", "reworded"), 1, "2023 has 14 demands, no demand 99"),
    (("link", "1999:1", "2024:7", "--as", "reworded"), 1, "year 1999 is not in the archive"),
    (("link", "2024:7", "2023:8", "--as", "reworded"), 2, "must be from an earlier year"),
    (("link", "2023:8", "2024:7"), 2, "Missing option '--as'"),
    (("link", "2023:8", "2024:7", "--as", "moved"), 2, "'moved' is not one of"),
    (("unlink", "2023-8", "2024:7"), 2, "is not a demand; write YEAR:NUMBER"),
    (("timeline", "--from", "2025", "--to", "2020"), 2, "--from 2025 is after --to 2020"),
    (("search", "国保", "--document", "preamble"), 2, "'preamble' is not one of"),
])
def test_refusals(bundled: Cli, args: tuple[str, ...], code: int, message: str) -> None:
    bundled("timeline")  # fill the cache first: a refusal must not touch it either
    before = snapshot(bundled.url)
    result = bundled(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    if code == 1:
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert snapshot(bundled.url) == before


def test_every_new_command_has_help() -> None:
    from click.testing import CliRunner

    from resolution_archive.cli import main

    for name in ("history", "timeline", "search", "link", "unlink", "decisions"):
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, name


# --- threads through the store: merges, splits, a gap in the archive, a re-appearance -----------



def conference_text(reiwa: int, demands: list[str]) -> str:
    return "\n".join([
        "　国は、国民健康保険制度の現状を踏まえ、次の事項を必ず実現されるよう本大会の総意をもって"
        "強く要望する。", "", *(f"一、{d}" for d in demands), "", "決　議", "",
        f"令和{reiwa}年１１月１５日", "国保制度改善強化全国大会", ""])


def test_threads_through_the_store(cli: Cli, tmp_path: Path) -> None:
    texts = {2019: [A, B, C, D, COVID], 2020: [A, B, C, D], 2022: [A, BC, D, COVID_BACK],
             2023: [A, B, C, D, COVID_BACK]}
    paths = []
    for year, demands in texts.items():
        path = tmp_path / f"{year}.txt"
        path.write_text(conference_text(year - 2018, demands), "utf-8")
        paths.append(str(path))
    result = cli("import", *paths)
    assert result.exit_code == 0, result.output

    back = run_json(cli, "history", "2023:5")["threads"][0]
    assert back["id"] == "2019:5"
    assert [(v["year"], v["number"], v["change"]) for v in back["versions"]] == [
        (2019, 5, "added"), (2022, 4, "reappeared"), (2023, 5, "unchanged")]
    assert back["gaps"] == [[2019, 2022]] and back["missing_years"] == [2021]

    merged = run_json(cli, "history", "2022:2")["threads"][0]
    assert merged["id"] == "2019:2"
    assert [(v["year"], v["number"], v["change"]) for v in merged["versions"]] == [
        (2019, 2, "added"), (2020, 2, "unchanged"), (2022, 2, "merged"), (2023, 2, "split")]
    assert merged["versions"][2]["from"] == ["2020:2", "2020:3"]

    timeline = run_json(cli, "timeline")
    assert timeline["years"] == [2019, 2020, 2022, 2023]
    assert timeline["missing_years"] == [2021]
    by_id = {t["id"]: t for t in timeline["threads"]}
    assert by_id["2019:3"]["ending"] == "merged" and by_id["2019:3"]["last_year"] == 2020
    assert by_id["2023:3"]["cells"] == {"2023": {"number": 3, "change": "split"}}
    assert by_id["2019:1"]["cells"]["2022"] == {"number": 1, "change": "unchanged"}
    text = cli("history", "2023:1", "--no-color").output
    assert "2021年はアーカイブに未収録" in text


@pytest.mark.parametrize("query", ['"', '"国保"', "%", "_", "\\", "*", "NEAR(国保 制度)",
                                   "国保%", "'); DROP TABLE item; --"])
def test_search_syntax_of_the_engines_is_taken_literally(bundled: Cli, query: str) -> None:
    before = snapshot(bundled.url)
    data = run_json(bundled, "search", query)
    form = comparison_form(query)
    assert all(form in comparison_form(h["text"]) for h in data["hits"])
    assert data["hits"] == []  # no bundled text contains these characters
    assert snapshot(bundled.url) == before
