"""`archive diff` and `archive export` through the CLI on the bundled years, every engine."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import DATA, EXAMPLE_2022, EXAMPLE_2023, SEED, Cli, snapshot

EXPECTED = json.loads((DATA / "examples" / "expected" / "2023-2024.json").read_text("utf-8"))


@pytest.fixture
def three_years(cli: Cli) -> Cli:
    result = cli("import", str(SEED), str(EXAMPLE_2023), str(EXAMPLE_2022))
    assert result.exit_code == 0, result.output
    return cli


def pairing(changes: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return sorted((c["kind"], tuple(c["old"]), tuple(c["new"]), c["moved"])  # type: ignore[arg-type]
                  for c in changes)


def test_diff_json_matches_expected_pairing(three_years: Cli) -> None:
    result = three_years("diff", "2023", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["from"] == {**data["from"], "year": 2023, "revision": 1}
    assert data["to"] == {**data["to"], "year": 2024, "revision": 1}
    assert pairing(data["changes"]) == pairing(EXPECTED["demands"])
    assert data["summary"]["merged"] == 1 and data["summary"]["dropped"] == 1
    merged = next(c for c in data["changes"] if c["kind"] == "merged")
    assert merged["old"] == [4, 5] and merged["new"] == [5]
    assert 0 < merged["similarity"] <= 1
    assert {op for op, _ in merged["ops"]} <= {"=", "-", "+"}
    assert "".join(t for op, t in merged["ops"] if op != "+") == merged["old_text"]
    assert "".join(t for op, t in merged["ops"] if op != "-") == merged["new_text"]
    # every demand of both years accounted for exactly once
    olds = sorted(n for c in data["changes"] for n in c["old"])
    news = sorted(n for c in data["changes"] for n in c["new"])
    assert olds == list(range(1, 15)) and news == list(range(1, 13))


def test_diff_json_is_deterministic(three_years: Cli) -> None:
    first = three_years("diff", "2022", "2023", "--format", "json").output
    second = three_years("diff", "2022", "2023", "--format", "json").output
    assert first == second
    data = json.loads(first)
    split = [c for c in data["changes"] if c["kind"] == "split"]
    assert len(split) == 1 and len(split[0]["new"]) == 2


def test_diff_text_plain_and_coloured(three_years: Cli) -> None:
    plain = three_years("diff", "2023", "2024")  # not a terminal: no colour
    assert plain.exit_code == 0
    assert "\x1b[" not in plain.output
    assert "[-子ども-]{+こども+}" in plain.output
    assert "[統合] 旧4+旧5 → 新5" in plain.output
    assert "例示" in plain.output  # the 2023 text is an example, and says so
    coloured = three_years("diff", "2023", "2024", "--color")
    assert "\x1b[" in coloured.output and "こども" in coloured.output
    no_color_env = three_years("diff", "2023", "2024", "--color", env={"NO_COLOR": "1"})
    assert "\x1b[" in no_color_env.output  # an explicit --color wins over NO_COLOR
    assert "\x1b[" not in three_years("diff", "2023", "2024", "--no-color").output


def test_diff_same_year_revision_selector(three_years: Cli) -> None:
    result = three_years("diff", "2024@1", "2024", "--format", "json")
    data = json.loads(result.output)
    assert {c["kind"] for c in data["changes"]} == {"unchanged"}
    assert data["summary"]["unchanged"] == 12


def test_diff_unknown_year(three_years: Cli) -> None:
    result = three_years("diff", "2019", "2024")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: year 2019 is not in the archive (years: 2022, 2023, 2024)")


def test_diff_threshold_option(three_years: Cli) -> None:
    bad = three_years("diff", "2023", "2024", "--threshold", "nonsense=0.5")
    assert bad.exit_code == 2
    assert "unknown threshold 'nonsense'" in bad.output
    assert three_years("diff", "2023", "2024", "--threshold", "pair_min").exit_code == 2
    # a floor of 1.0 means nothing reworded can pair any more: more added/dropped
    strict = json.loads(three_years("diff", "2023", "2024", "--format", "json", "--threshold",
                                    "pair_min=1", "--threshold", "pair_accept=1", "--threshold",
                                    "rescue_containment=1", "--threshold",
                                    "pair_named=1").output)
    assert strict["summary"]["reworded"] == 0
    assert strict["summary"]["added"] > 0


def test_thresholds_command(cli: Cli) -> None:
    result = cli("thresholds")
    assert result.exit_code == 0
    assert "pair_min = " in result.output


@pytest.mark.parametrize("fmt", ["html", "docx", "md", "csv", "json"])
def test_export_to_default_file(three_years: Cli, fmt: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    before = snapshot(three_years.url)
    result = three_years("export", "2023", "2024", "--format", fmt)
    assert result.exit_code == 0, result.output
    written = list(out.iterdir())
    assert len(written) == 1
    assert result.output.startswith(f"wrote {written[0].name} (")
    assert written[0].suffix == "." + fmt
    assert written[0].stat().st_size > 500
    assert snapshot(three_years.url) == before  # export only reads


def test_export_stdout_and_omit_unchanged(three_years: Cli) -> None:
    full = three_years("export", "2023", "2024", "--format", "csv", "-o", "-")
    short = three_years("export", "2023", "2024", "--format", "csv", "-o", "-", "--omit-unchanged")
    assert full.exit_code == 0 and short.exit_code == 0
    rows_full = list(csv.reader(io.StringIO(full.stdout_bytes.decode("utf-8-sig"))))
    rows_short = list(csv.reader(io.StringIO(short.stdout_bytes.decode("utf-8-sig"))))
    assert full.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert len(rows_full) > len(rows_short) > 1
    export_json = json.loads(three_years("export", "2023", "2024", "--format", "json",
                                         "-o", "-").output)
    diff_json = json.loads(three_years("diff", "2023", "2024", "--format", "json").output)
    assert export_json["changes"] == diff_json["changes"]
    assert export_json["summary"] == diff_json["summary"]


@pytest.mark.parametrize("given", ["reports/", "existing", "existing/"])
def test_export_into_a_folder(three_years: Cli, tmp_path: Path, given: str,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o out/` or an existing folder: the default file name inside it, not a file `out`."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existing").mkdir()
    result = three_years("export", "2023", "2024", "--format", "md", "-o", given)
    assert result.exit_code == 0, result.output
    folder = tmp_path / given.rstrip("/")
    assert [p.name for p in folder.iterdir()] == ["shinkyu_2023-2024.md"]
    assert result.output.startswith(f"wrote {folder.name}/shinkyu_2023-2024.md (")


def test_export_format_choices_are_the_renderers() -> None:
    from resolution_archive.cli import REPORT_FORMATS
    from resolution_archive.report import FORMATS

    assert REPORT_FORMATS == FORMATS


def test_export_errors(three_years: Cli, tmp_path: Path) -> None:
    bad_format = three_years("export", "2023", "2024", "--format", "pdf")
    assert bad_format.exit_code == 2
    unknown = three_years("export", "2023", "1990", "-o", str(tmp_path / "x.html"))
    assert unknown.exit_code == 1
    assert "year 1990 is not in the archive" in unknown.output
    assert not (tmp_path / "x.html").exists()
    unwritable = three_years("export", "2023", "2024", "-o", str(tmp_path / "no" / "x.html"))
    assert unwritable.exit_code == 1
    assert unwritable.output.startswith("Error: cannot write")
