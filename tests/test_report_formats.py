"""Each format on a hand-built report with every kind of change: structure, escaping, safety."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from resolution_archive.report import RENDERERS
from resolution_archive.report.csvfmt import HEADER, guard
from resolution_archive.report.jsonfmt import diff_json, dumps_json
from resolution_archive.report.markdown import md_escape
from resolution_archive.report.terminal import render_terminal
from tests.test_report_helpers import FORMULA, SCRIPT, docx_outline, hand_report


def render(fmt: str, **kw: Any) -> bytes:
    return RENDERERS[fmt].render(hand_report(**kw))


# --- every format ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_output_is_deterministic(fmt: str) -> None:
    assert render(fmt) == render(fmt)


# --- HTML -----------------------------------------------------------------------------------


def test_html_shows_markup_in_demands_as_text() -> None:
    html = render("html").decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<script" not in html.lower()


def test_html_is_self_contained() -> None:
    html = render("html").decode()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html and "<link" not in html
    assert '"Hiragino Mincho ProN", "Yu Mincho"' in html
    assert '"Noto Serif CJK JP"' in html and '"Noto Sans CJK JP", serif' in html


def test_html_print_and_phone_styles() -> None:
    html = render("html").decode()
    assert "size: A4 landscape" in html
    assert "thead { display: table-header-group; }" in html
    assert "@media screen and (max-width: 640px)" in html
    assert '<meta name="viewport"' in html


def test_html_table_puts_new_left_old_right_and_underlines_both() -> None:
    html = render("html").decode()
    header = re.search(
        r"<thead>\s*<tr><th[^>]*>(.*?)</th><th[^>]*>(.*?)</th>", html.split('class="taisho"')[1]
    )
    assert header is not None
    assert header.groups() == ("改正後（2024年）", "改正前（2023年）")
    assert "<ins>強化のための公費投入を確保</ins>" in html
    assert "<del>を強化</del>" in html
    for marker in ("（統合）（移動）", "（分割）", "（新設）", "（削除）", "（変更なし）"):
        assert marker in html
    assert "旧3" in html and "旧9" in html and "新4" in html and "新5" in html
    assert "日付や年次のみの変更" in html


def test_html_flags_examples_and_omits_unchanged_on_request() -> None:
    html = render("html").decode()
    assert 'class="notice"' in html and "例示用のサンプル" in html
    assert html.count("（変更なし）") == 2  # one resolution row, one declaration row
    short = render("html", include_unchanged=False).decode()
    assert "（変更なし）" not in short and "変更のない項目（1件）は省略しています。" in short
    official = render("html", old_status="official").decode()
    assert 'class="notice"' not in official


# --- DOCX -----------------------------------------------------------------------------------


def _docx() -> Any:
    return docx.Document(io.BytesIO(render("docx")))


def test_docx_underlines_exactly_the_changed_passages() -> None:
    document = _docx()
    main = document.tables[1]  # [0] is the source table in the header
    underlined = [
        [r.text for p in cell.paragraphs for r in p.runs if r.font.underline]
        for row in main.rows[1:]
        for cell in row.cells
    ]
    assert underlined == [
        [],
        [],  # unchanged
        ["強化のための公費投入を確保"],
        ["を強化"],
        ["及び"],
        ["を行うこと。"],
        ["を行うこと。"],
        ["と"],
        [SCRIPT + FORMULA],
        [],
        [],
        ["廃止された要望。"],
    ]
    date_only = document.tables[2]
    assert [
        r.text for p in date_only.rows[1].cells[0].paragraphs for r in p.runs if r.font.underline
    ] == ["6"]


def test_docx_is_a4_landscape_with_repeating_header_rows_and_japanese_font() -> None:
    document = _docx()
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    for table in document.tables[1:]:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in table.rows[0].cells] == ["改正後（2024年）", "改正前（2023年）"]
        for row in table.rows[1:]:
            assert row._tr.trPr.find(qn("w:tblHeader")) is None
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # rows stay on one page
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "游明朝"


def test_docx_has_markers_numbers_and_example_warning() -> None:
    outline = docx_outline(render("docx"))
    assert "例示用のサンプル" in outline
    assert "新3 （統合）（移動）" in outline
    assert "旧3 / 一、Ａ[u]を行うこと。[/u] / 旧9 / 一、Ｂを行うこと。" in outline
    assert "|| （新設）" in outline and "（削除） ||" in outline


def test_docx_zip_has_fixed_timestamps() -> None:
    with zipfile.ZipFile(io.BytesIO(render("docx"))) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_escapes_table_and_markup_characters() -> None:
    assert md_escape("a|b<c>&`d`*e*_f_[g]\\#~") == (
        "a\\|b&lt;c&gt;&amp;\\`d\\`\\*e\\*\\_f\\_\\[g\\]\\\\\\#\\~"
    )
    md = render("md").decode()
    assert "<script" not in md and "&lt;script&gt;" in md
    for line in md.splitlines():
        if line.startswith("| **新") or line.startswith("| （削除）"):
            # Exactly the three structural pipes: every pipe in the text is escaped.
            assert len(re.findall(r"(?<!\\)\|", line)) == 3, line


def test_markdown_table_new_left_old_right_with_ins_underlines() -> None:
    md = render("md").decode()
    assert "| 改正後（2024年） | 改正前（2023年） |" in md
    assert "<ins>強化のための公費投入を確保</ins>" in md
    assert "<ins>を強化</ins>" in md and "<del>" not in md
    assert "**旧3**<br>一、Ａ<ins>を行うこと。</ins><br><br>**旧9**<br>一、Ｂを行うこと。" in md


# --- CSV ------------------------------------------------------------------------------------


def test_csv_is_excel_friendly() -> None:
    data = render("csv")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == HEADER
    assert len(rows) == 1 + 7 + 2  # every change of both sections, date-only included
    merged = rows[3]
    assert merged[:8] == ["決議", "merged", "統合・移動", "○", "", "3・9", "3", "0.8000"]
    assert merged[9] == "Ａを行うこと。\nＢを行うこと。"
    assert {tuple(r[-2:]) for r in rows[1:]} == {("公式", "例示（公式文書ではありません）")}


def test_csv_says_which_text_is_an_example_or_unverified() -> None:
    from resolution_archive.report import build_report
    from tests.test_report_helpers import edition

    report = build_report(old=edition(2023, "example"), new=edition(2024, "unknown"),
                          resolution=hand_report().resolution)
    text = RENDERERS["csv"].render(report).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][-2:] == ["改正後の区分", "改正前の区分"]
    assert {tuple(r[-2:]) for r in rows[1:]} == {("出典未確認", "例示（公式文書ではありません）")}


def test_csv_guards_cells_against_formula_injection() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert guard(cell) == "'" + cell
    assert guard("令和6年") == "令和6年" and guard("") == ""
    text = render("csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    added = next(r for r in rows if r[1] == "added")
    assert added[8] == SCRIPT + FORMULA  # starts with "<", so left alone
    from resolution_archive.diff.model import Change, DiffResult
    from resolution_archive.report import build_report
    from tests.test_report_helpers import edition

    evil = Change("added", (), (1,), "", FORMULA, (("+", FORMULA),))
    report = build_report(old=edition(2023), new=edition(2024), resolution=DiffResult((evil,)))
    rows = list(
        csv.reader(io.StringIO(RENDERERS["csv"].render(report).decode("utf-8-sig"), newline=""))
    )
    assert rows[1][8] == "'" + FORMULA


def test_csv_respects_include_unchanged() -> None:
    text = render("csv", include_unchanged=False).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert "unchanged" not in [r[1] for r in rows]


# --- JSON -----------------------------------------------------------------------------------


def test_json_public_shape() -> None:
    report = hand_report()
    data = diff_json(report)
    assert list(data)[:5] == ["from", "to", "summary", "changes", "declaration"]
    assert data["from"] == {"year": 2023, "revision": 1}
    assert data["to"] == {"year": 2024, "revision": 1}
    assert data["summary"]["merged"] == 1 and data["summary"]["date_only"] == 1
    assert data["changes"] == [c.to_json() for c in report.resolution.changes]
    assert set(data["declaration"]) == {"summary", "changes"}
    meta = data["report"]
    assert meta["series"] == "国保制度改善強化全国大会"
    assert meta["old"]["status"] == "example" and meta["new"]["status"] == "official"
    assert meta["new"]["date"] == "2024-11-15" and meta["tool_version"] == "test"
    assert {"filename", "sha256"} <= set(meta["old"])


def test_json_text_is_readable_utf8_and_lists_unchanged_always() -> None:
    text = dumps_json(hand_report(include_unchanged=False))
    assert "国保" in text and "\\u" not in text
    assert text.startswith('{\n  "from"') and text.endswith("}\n")
    assert json.loads(text)["summary"]["unchanged"] == 1
    assert len(json.loads(text)["changes"]) == 7
    assert render("json") == text.encode().replace(
        b'"include_unchanged": false', b'"include_unchanged": true'
    )


# --- terminal -------------------------------------------------------------------------------


def test_terminal_plain_text() -> None:
    out = render_terminal(hand_report(), color=False)
    assert "\x1b" not in out
    assert "決議: 変更 2　統合 1　分割 1　新設 1　削除 1　変更なし 1　移動 1　日付のみ 1" in out
    assert "[統合] 旧3+旧9 → 新3 (移動)" in out
    assert "[分割] 旧4 → 新4+新5" in out
    assert "[新設] → 新6" in out and "[削除] 旧5 →" in out
    assert "国保の財政基盤[-を-]{+強化のための公費投入を確保+}[-強化-]すること。" in out
    assert "※ 2023年のテキスト（2023.txt）は例示用のサンプル" in out
    # Unchanged items are counted, not listed; date-only ones are listed apart.
    assert "医療保険制度の一本化" not in out
    head, dates = out.split("決議・日付や年次のみの変更:")
    assert "令和[-5-]{+6+}" in dates and "令和[-5-]" not in head


def test_terminal_header_shows_dates() -> None:
    from resolution_archive.report import build_report
    from tests.test_report_helpers import edition

    report = build_report(old=edition(2023, "unknown", date=None, revision=2),
                          new=edition(2024), resolution=hand_report().resolution)
    lines = render_terminal(report, color=False).splitlines()
    assert lines[1] == "2023年 第2版（出典未確認） → 2024年11月15日 第1版（公式）"


def test_terminal_colour_and_control_characters() -> None:
    out = render_terminal(hand_report(), color=True)
    assert "\x1b[31;9mを\x1b[0m\x1b[32;4m強化のための公費投入を確保\x1b[0m" in out
    from resolution_archive.diff.model import Change, DiffResult
    from resolution_archive.report import build_report
    from tests.test_report_helpers import edition

    nasty = Change("added", (), (1,), "", "a\x1b[2Jb", (("+", "a\x1b[2Jb"),))
    report = build_report(old=edition(2023), new=edition(2024), resolution=DiffResult((nasty,)))
    for color in (True, False):
        text = render_terminal(report, color=color)
        assert "\x1b[2J" not in text and "a\\x1b[2Jb" in text
