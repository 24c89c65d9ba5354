"""The Report, the shared 新旧対照表 view and the renderer registry (no format specifics)."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys

import pytest

from resolution_archive.diff.model import Change, DiffResult
from resolution_archive.report import (
    FORMATS,
    RENDERERS,
    build_report,
    default_filename,
    edition_from_source,
)
from resolution_archive.report.view import (
    Segment,
    build_row,
    ops_summary,
    sections,
    side_segments,
    wareki_year,
)
from tests.test_report_helpers import edition, hand_changes, hand_report


def test_registry_keys_are_the_export_formats() -> None:
    assert FORMATS == ("html", "docx", "md", "csv", "json")
    assert {n: r.binary for n, r in RENDERERS.items()} == {
        "html": False,
        "docx": True,
        "md": False,
        "csv": False,
        "json": False,
    }
    for name, renderer in RENDERERS.items():
        assert renderer.name == name
        data = renderer.render(hand_report())
        assert isinstance(data, bytes) and data


def test_default_filename_names_years_and_later_revisions() -> None:
    report = hand_report()
    assert default_filename(report, "html") == "shinkyu_2023-2024.html"
    assert default_filename(report, "docx") == "shinkyu_2023-2024.docx"
    revised = build_report(
        old=edition(2023), new=edition(2024, revision=2), resolution=DiffResult(())
    )
    assert default_filename(revised, "md") == "shinkyu_2023-2024r2.md"


def test_importing_the_registry_loads_no_heavy_module() -> None:
    code = (
        "import sys, resolution_archive.report as r; "
        "print(sorted(m for m in ('jinja2', 'docx', 'lxml') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_build_report_defaults_and_refuses_mixed_series() -> None:
    report = build_report(old=edition(2023), new=edition(2024), resolution=DiffResult(()))
    assert report.series == "国保制度改善強化全国大会"
    assert report.declaration.changes == ()
    assert report.tool_version  # the package version
    with pytest.raises(ValueError, match="different series"):
        build_report(
            old=edition(2023, series="別の大会"), new=edition(2024), resolution=DiffResult(())
        )


def test_edition_rejects_unknown_status_and_hashes_sources() -> None:
    with pytest.raises(ValueError):
        edition(2024, status="draft")
    info = edition_from_source(year=2024, data="一、要望".encode(), filename="x.txt")
    assert info.sha256 == hashlib.sha256("一、要望".encode()).hexdigest()
    assert info.status == "unknown" and info.revision == 1


def test_segments_follow_ops_on_each_side() -> None:
    reworded = hand_changes()[1]
    assert side_segments(reworded, "new") == (
        Segment("国保の財政基盤", False),
        Segment("強化のための公費投入を確保", True),
        Segment("すること。", False),
    )
    # Two adjacent deletions become one underlined run.
    assert side_segments(reworded, "old") == (
        Segment("国保の財政基盤", False),
        Segment("を強化", True),
        Segment("すること。", False),
    )


def test_segments_fall_back_when_ops_are_missing_or_broken() -> None:
    added = Change("added", (), (1,), "", "新しい要望。")
    assert side_segments(added, "new") == (Segment("新しい要望。", True),)
    assert side_segments(added, "old") == ()
    broken = Change("reworded", (1,), (1,), "甲", "乙", (("=", "丙"),))
    assert side_segments(broken, "new") == (Segment("乙", True),)
    same = Change("unchanged", (1,), (1,), "甲", "甲")
    assert side_segments(same, "old") == (Segment("甲", False),)


def test_merged_and_split_rows_show_every_member_with_its_number() -> None:
    merged = build_row(hand_changes()[2])
    assert [m.label for m in merged.old] == ["旧3", "旧9"]
    assert [m.text for m in merged.old] == ["Ａを行うこと。", "Ｂを行うこと。"]
    assert merged.old_label == "旧3・旧9" and merged.new_label == "新3"
    assert merged.marker == "（統合）（移動）"
    split = build_row(hand_changes()[3])
    assert [m.label for m in split.new] == ["新4", "新5"]
    assert split.new[0].segments == (Segment("Ｃ", False), Segment("を行うこと。", True))
    assert split.new[1].segments == (Segment("Ｄを行うこと。", False),)


def test_member_texts_with_newlines_stay_whole() -> None:
    odd = Change(
        "merged",
        (1, 2),
        (1,),
        "甲\n乙\n丙",
        "甲乙丙",
        (("=", "甲"), ("-", "\n"), ("=", "乙"), ("-", "\n"), ("=", "丙")),
    )
    row = build_row(odd)
    assert [m.label for m in row.old] == ["旧1・旧2"]


@pytest.mark.parametrize(
    ("kind", "moved", "marker"),
    [
        ("unchanged", False, "（変更なし）"),
        ("unchanged", True, "（移動）"),
        ("reworded", False, "（変更）"),
        ("reworded", True, "（変更）（移動）"),
        ("split", False, "（分割）"),
        ("added", False, "（新設）"),
        ("dropped", False, "（削除）"),
    ],
)
def test_markers(kind: str, moved: bool, marker: str) -> None:
    change = Change(kind, (1,), (1,), "甲", "甲", moved=moved)  # type: ignore[arg-type]
    assert build_row(change).marker == marker


def test_sections_list_date_only_apart_and_omit_unchanged_on_request() -> None:
    resolution, declaration = sections(hand_report())
    assert [r.change.kind for r in resolution.rows] == [
        "unchanged",
        "reworded",
        "merged",
        "split",
        "added",
        "dropped",
    ]
    assert [r.new_label for r in resolution.date_only] == ["新7"]
    assert len(resolution.ordered) == 7
    resolution, declaration = sections(hand_report(include_unchanged=False))
    assert "unchanged" not in [r.change.kind for r in resolution.rows]
    assert resolution.omitted_unchanged == 1 and declaration.omitted_unchanged == 1
    # A moved demand is a change of position, so it stays even without unchanged rows.
    moved = Change("unchanged", (2,), (1,), "甲", "甲", moved=True)
    report = build_report(
        old=edition(2023),
        new=edition(2024),
        resolution=DiffResult((moved,)),
        include_unchanged=False,
    )
    assert len(sections(report)[0].rows) == 1


def test_ops_summary_reads_as_one_line() -> None:
    changes = hand_changes()
    assert ops_summary(changes[1]) == "「を強化」→「強化のための公費投入を確保」"
    assert ops_summary(changes[2]) == "「を行うこと。」→「及び」"
    assert ops_summary(changes[4]) == "新設"
    assert ops_summary(changes[0]) == ""


def test_wareki() -> None:
    assert wareki_year(dt.date(2024, 11, 15)) == "令和6年"
    assert wareki_year(dt.date(2019, 5, 1)) == "令和元年"
    assert wareki_year(dt.date(2019, 4, 30)) == "平成31年"
