"""parse_text on the real 2024 text and on small texts, one per layout the sources produce."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from resolution_archive.errors import ParseError
from resolution_archive.parse import ParsedDocument, parse_text
from resolution_archive.text.normalize import comparison_form

SEED = Path(__file__).parents[1] / "data/official/2024.txt"

PREAMBLE_1 = (
    "本日ここに、全国の国民健康保険関係者が一堂に会し、国民健康保険が直面する諸問題の改善を期して、"
    "国保制度改善強化全国大会を開催し、慎重審議した結果、次のとおり満場一致これを採択した。"
)
PREAMBLE_2 = (
    "国は、国民健康保険制度の現状を踏まえ、次の事項を必ず実現されるよう本大会の総意をもって"
    "強く要望する。"
)
D1 = "医療保険制度の一本化を早期に実現すること。"
D2 = "国民健康保険組合の健全な運営を確保すること。"
D3 = "国保総合システムの開発等に対する必要な財政措置を講じること。"


def everything(doc: ParsedDocument) -> str:
    return "\n".join([doc.preamble, *(d.text for d in doc.demands), *doc.declaration])


# --- the real 2024 text --------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> ParsedDocument:
    return parse_text(SEED.read_text(encoding="utf-8"))


def test_seed_demands(seed: ParsedDocument) -> None:
    assert len(seed.demands) == 12
    assert [d.number for d in seed.demands] == list(range(1, 13))
    assert seed.demands[0].text == D1
    assert seed.demands[-1].text == D2
    assert seed.demands[1].text == (
        "国保の財政基盤強化のための公費投入の確保を確実に実施するとともに、保険者努力支援制度等が"
        "有効に活用されるよう、適切な評価と財政支援の充実を図ること。"
    )
    for demand in seed.demands:
        assert not demand.text.startswith("一")
        assert "\n" not in demand.text
        assert demand.comparison == comparison_form(demand.text)
    assert "ＫＤＢシステム" in seed.demands[9].text


def test_seed_date_year_title(seed: ParsedDocument) -> None:
    assert seed.date == dt.date(2024, 11, 15)
    assert seed.year == 2024
    assert seed.title == "国保制度改善強化全国大会"
    assert seed.warnings == ()


def test_seed_preamble_is_the_two_paragraphs(seed: ParsedDocument) -> None:
    assert seed.preamble == f"{PREAMBLE_1}\n{PREAMBLE_2}"
    assert "登壇者" not in seed.preamble


def test_seed_declaration_paragraphs(seed: ParsedDocument) -> None:
    starts = ["国民健康保険は制度創設以来", "このような中、", "しかしながら、", "このため、",
              "我々国保関係者は"]
    assert len(seed.declaration) == 5
    for paragraph, start in zip(seed.declaration, starts, strict=True):
        assert paragraph.startswith(start)
        assert paragraph.endswith("。")
        assert "\n" not in paragraph and "\u3000" not in paragraph
    assert "地域医療の確保" in seed.declaration[0]  # wrapped across a blank line
    assert seed.declaration[-1].endswith("断固邁進することを誓うものである。")


@pytest.mark.parametrize(
    "noise",
    ["相扶共済", "昭和", "アクセス", "参考", "令和3年度", "保険給付費 平均年齢", "無職者",
     "万円", "負担率 ＝", "国民健康保険中央会所蔵", "登壇者", "後期高齢者医療制度"],
)
def test_seed_has_no_noise_anywhere(seed: ParsedDocument, noise: str) -> None:
    assert noise not in everything(seed)


# --- headings and markers ------------------------------------------------------------------


def resolution(heading: str, *, heading_after: bool = False, ki: bool = False) -> str:
    body = "\u3000本日ここに、全国の国民健康保険関係者が一堂に会し、次のとおり採択した。\n"
    body += "記\n" if ki else ""
    body += f"一、{D1}\n一、{D2}\n"
    date = "令和6年11月15日\n国保制度改善強化全国大会\n"
    if heading_after:
        return f"{body}\n{heading}\n\n{date}"
    return f"{heading}\n\n{body}\n{date}"


@pytest.mark.parametrize("heading", ["決　議", "決議", "―決 議 ―", "－決議－", "【決議】",
                                     " 決\u3000議 ", "〈決議〉"])
@pytest.mark.parametrize("heading_after", [False, True])
def test_resolution_heading_variants(heading: str, heading_after: bool) -> None:
    doc = parse_text(resolution(heading, heading_after=heading_after))
    assert [d.text for d in doc.demands] == [D1, D2]
    assert doc.preamble == "本日ここに、全国の国民健康保険関係者が一堂に会し、次のとおり採択した。"
    assert doc.date == dt.date(2024, 11, 15)
    assert doc.declaration == ()


def test_ki_marker_before_the_items() -> None:
    doc = parse_text(resolution("決　議", ki=True))
    assert [d.text for d in doc.demands] == [D1, D2]
    assert doc.preamble.startswith("本日ここに")
    assert "記" not in doc.preamble


DECLARATION = (
    "\u3000国民健康保険は制度創設以来、国民皆保険体制の中核を担い、地域\n"
    "医療の確保に貢献してきた。\n"
    "\u3000我々国保関係者は、一致団結してその実現に向け断固邁進することを誓うものである。\n"
)


@pytest.mark.parametrize("heading", ["宣　言", "宣言", "―宣 言―", "－宣言－", "【宣言】"])
def test_declaration_heading_before_body(heading: str) -> None:
    text = f"{resolution('決議')}\n{heading}\n{DECLARATION}\n令和6年11月15日\n"
    doc = parse_text(text)
    assert doc.declaration == (
        "国民健康保険は制度創設以来、国民皆保険体制の中核を担い、地域医療の確保に貢献してきた。",
        "我々国保関係者は、一致団結してその実現に向け断固邁進することを誓うものである。",
    )
    assert len(doc.demands) == 2


@pytest.mark.parametrize("heading", ["宣　言", "【宣言】"])
def test_declaration_heading_after_body(heading: str) -> None:
    text = (
        f"グラフ 保険給付費\n{DECLARATION}\n{heading}\n\n令和6年11月15日\n"
        f"国保制度改善強化全国大会\n\n{resolution('決　議', heading_after=True)}"
    )
    doc = parse_text(text)
    assert len(doc.declaration) == 2
    assert doc.declaration[0].startswith("国民健康保険は")
    assert "グラフ" not in everything(doc)
    assert doc.preamble.startswith("本日ここに")


# --- line layout ---------------------------------------------------------------------------


def test_demands_run_together_on_one_line() -> None:
    doc = parse_text(f"決議\n一、{D1} 一、{D2}\u3000一、{D3}\n")
    assert [d.text for d in doc.demands] == [D1, D2, D3]


def test_preamble_and_first_demand_on_one_line() -> None:
    doc = parse_text(f"{PREAMBLE_2}一、{D1}一、{D2}\n")
    assert doc.preamble == PREAMBLE_2
    assert [d.text for d in doc.demands] == [D1, D2]


def test_hard_wraps_mid_word() -> None:
    doc = parse_text(
        "決議\n一、医療保険制度の一本化を早\n期に実現すること。\n"
        "一、国民健康保\n険組合の健全な運営を確保すること。\n"
    )
    assert [d.text for d in doc.demands] == [D1, D2]


def test_blank_lines_inside_a_demand_and_a_paragraph() -> None:
    text = (
        "決議\n\u3000本日ここに、全国の国民健康保険関係者が\n\n一堂に会し、採択した。\n\n"
        "一、医療保険制度の一本化を\n\n早期に実現すること。\n\n一、国民健康保険組合の健全な\n\n"
        "運営を確保すること。\n"
    )
    doc = parse_text(text)
    assert [d.text for d in doc.demands] == [D1, D2]
    assert doc.preamble == "本日ここに、全国の国民健康保険関係者が一堂に会し、採択した。"


def test_stray_spaces_from_columns_are_removed_but_latin_spaces_stay() -> None:
    doc = parse_text("決議\n一、医療保険制度の一本化を早 期に実 現すること。\n"
                     "一、Open Data の活用を図ること。\n")
    assert doc.demands[0].text == D1
    assert doc.demands[1].text == "Open Dataの活用を図ること。"


@pytest.mark.parametrize("marker", ["一、", "一 、", "一\u3000、", "一，", "一,", "一､",
                                    "\u3000一、"])
def test_marker_variants(marker: str) -> None:
    doc = parse_text(f"決議\n{marker}{D1}\n{marker}{D2}\n")
    assert [d.text for d in doc.demands] == [D1, D2]


def test_demand_without_final_full_stop_ends_at_blank_line() -> None:
    doc = parse_text("決議\n一、医療保険制度の一本化を早期に実現すること\n\n"
                     "一、国民健康保険組合の健全な運営を確保すること\n\n保険給付費 平均年齢\n")
    assert [d.text for d in doc.demands] == [D1[:-1], D2[:-1]]


def test_crlf_input() -> None:
    doc = parse_text(resolution("決議").replace("\n", "\r\n"))
    assert [d.text for d in doc.demands] == [D1, D2]


# --- resolution or declaration missing ----------------------------------------------------


def test_resolution_without_declaration() -> None:
    doc = parse_text(resolution("決　議", heading_after=True))
    assert doc.declaration == ()
    assert len(doc.demands) == 2


def test_declaration_without_resolution_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no 「一、」 demands") as raised:
        parse_text(f"宣　言\n{DECLARATION}\n令和6年11月15日\n")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("text", ["", "\n\n", "国保制度改善強化全国大会\n一人当たり保険料\n"])
def test_text_without_demands_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="expects"):
        parse_text(text)


# --- date, year, title ---------------------------------------------------------------------


def test_year_from_title_when_there_is_no_date() -> None:
    doc = parse_text(f"令和５年度国保制度改善強化全国大会\n決議\n一、{D1}\n")
    assert doc.date is None
    assert doc.year == 2023
    assert doc.title == "令和５年度国保制度改善強化全国大会"


def test_no_date_and_no_title_means_no_year() -> None:
    doc = parse_text(f"決議\n一、{D1}\n")
    assert (doc.date, doc.year, doc.title) == (None, None, None)


def test_date_inside_prose_or_labels_is_not_the_document_date() -> None:
    text = (
        f"決議\n一、{D1}\n\n（令和3年度）\n"
        "\u3000昭和１３年４月１日に公布された国民健康保険法には、相扶共済とある。\n"
    )
    doc = parse_text(text)
    assert doc.date is None
    assert doc.year is None


def test_date_line_with_weekday_and_organisation() -> None:
    doc = parse_text(f"決議\n一、{D1}\n令和六年十一月十五日（金）\u3000国保制度改善強化全国大会\n")
    assert doc.date == dt.date(2024, 11, 15)
    assert doc.title == "国保制度改善強化全国大会"


def test_date_nearest_the_blocks_wins_and_disagreement_is_warned() -> None:
    text = (
        f"令和4年9月30日\n\n\n\n\n\n\n\n\n\n\n\n\n\n決議\n一、{D1}\n\n"
        "令和6年11月15日\n国保制度改善強化全国大会\n"
    )
    doc = parse_text(text)
    assert doc.date == dt.date(2024, 11, 15)
    assert any("2022-09-30" in w for w in doc.warnings)


def test_largest_run_of_items_wins() -> None:
    text = f"前年の決議から\n一、{D3}\n\n参考資料の表\n\n決議\n一、{D1}\n一、{D2}\n"
    doc = parse_text(text)
    assert [d.text for d in doc.demands] == [D1, D2]
    assert any("ignored" in w for w in doc.warnings)


# --- full / half width ---------------------------------------------------------------------


def test_full_and_half_width_compare_equal_but_display_keeps_originals() -> None:
    full = parse_text("決議\n一、ＫＤＢ（税）１１の活用を図ること。\n")
    half = parse_text("決議\n一、KDB(税)11の活用を図ること。\n")
    assert full.demands[0].comparison == half.demands[0].comparison
    assert full.demands[0].text == "ＫＤＢ（税）１１の活用を図ること。"
    assert half.demands[0].text == "KDB(税)11の活用を図ること。"


# --- whole layouts -------------------------------------------------------------------------


def test_hanging_indent_continuation_lines() -> None:
    text = "決議\n一、医療保険制度の一本化を\n\u3000\u3000早期に実現すること。\n一、" + D2 + "\n"
    assert [d.text for d in parse_text(text).demands] == [D1, D2]


NEWSLETTER = """\
令和５年度国保制度改善強化全国大会

【決議】

本日ここに、全国の国民健康保険関係者が一堂に会し、次のとおり満場一致これを採択した。

国は、次の事項を必ず実現されるよう本大会の総意をもって強く要望する。

記

一、医療保険制度の一 本化を早期に実
現すること。 一、国民健康保険組合の健 全な運営を確保すること。

【宣言】

国民健康保険は制度創設以来、国民皆保険体制の中核を担ってきた。

我々国保関係者は、断固邁進することを誓うものである。

■会場案内：都市センターホテル
"""


def test_newsletter_layout_without_indents() -> None:
    doc = parse_text(NEWSLETTER)
    assert [d.text for d in doc.demands] == [D1, D2]
    assert doc.preamble.split("\n") == [
        "本日ここに、全国の国民健康保険関係者が一堂に会し、次のとおり満場一致これを採択した。",
        "国は、次の事項を必ず実現されるよう本大会の総意をもって強く要望する。",
    ]
    assert doc.declaration == (
        "国民健康保険は制度創設以来、国民皆保険体制の中核を担ってきた。",
        "我々国保関係者は、断固邁進することを誓うものである。",
    )
    assert (doc.date, doc.year) == (None, 2023)
    assert doc.title == "令和５年度国保制度改善強化全国大会"


def test_seed_without_date_lines_still_finds_blocks() -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    kept = [ln for ln in lines if not ln.startswith("令和6年") and ln != "国保制度改善強化全国大会"]
    doc = parse_text("\n".join(kept))
    assert len(doc.demands) == 12
    assert len(doc.declaration) == 5
    assert doc.declaration[-1].endswith("誓うものである。")  # caption below it cut off
    assert (doc.date, doc.year) == (None, None)


def test_seed_with_declaration_heading_after_its_body() -> None:
    text = SEED.read_text(encoding="utf-8").replace(" 宣　言\n", "")
    text = text.replace("誓うものである。 \n", "誓うものである。 \n宣　言\n")
    doc = parse_text(text)
    assert len(doc.declaration) == 5
    assert doc.declaration[0].startswith("国民健康保険は制度創設以来")
    assert doc.date == dt.date(2024, 11, 15)


def test_wrapped_prose_mentioning_the_conference_is_not_a_title() -> None:
    text = (
        "決議\n\u3000本日ここに、関係者が一堂に会して\n国保制度改善強化全国大会を開催し\n"
        f"満場一致これを採択した。\n一、{D1}\n"
    )
    doc = parse_text(text)
    assert doc.preamble == (
        "本日ここに、関係者が一堂に会して国保制度改善強化全国大会を開催し満場一致これを採択した。"
    )
    assert doc.title is None


@pytest.mark.parametrize(
    ("name", "demands", "paragraphs", "date"),
    [("2022.txt", 13, 6, dt.date(2022, 11, 17)), ("2023.txt", 14, 5, dt.date(2023, 11, 16))],
)
def test_example_texts(name: str, demands: int, paragraphs: int, date: dt.date) -> None:
    """The example files (cp932 + CRLF + hanging indents; UTF-8 like 2024) as their notes say."""
    from resolution_archive.text.encoding import decode_source

    path = SEED.parents[1] / "examples" / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    doc = parse_text(decode_source(path.read_bytes()).text)
    assert (len(doc.demands), len(doc.declaration), doc.date) == (demands, paragraphs, date)
    assert doc.preamble.startswith("本日ここに") and doc.warnings == ()
    assert all("\u3000" not in d.text for d in doc.demands)


# --- layouts from issue #8 ------------------------------------------------------------------

ISSUE_NEWSLETTER = (
    "○○国保だより　第５号　―決 議 ―　" + PREAMBLE_1 + PREAMBLE_2 + "記　一、" + D1 + "　一、" + D2
    + "　一、" + D3 + "　令和6年11月15日　国保制度改善強化全国大会　― 3 ―　○○県国保連合会"
)


def test_one_paragraph_newsletter() -> None:
    doc = parse_text(ISSUE_NEWSLETTER)
    assert [d.text for d in doc.demands] == [D1, D2, D3]  # the one right after 記 included
    assert doc.preamble == PREAMBLE_1 + PREAMBLE_2
    assert doc.date == dt.date(2024, 11, 15)
    assert doc.title == "国保制度改善強化全国大会"
    assert "○○国保だより\u3000第５号" in doc.set_aside
    assert "― 3 ―\u3000○○県国保連合会" in doc.set_aside
    assert doc.warnings == ()


@pytest.mark.parametrize("between", ["", "記", "　記　", "【記】", " "])
def test_marker_mid_line_after_a_boundary(between: str) -> None:
    doc = parse_text(f"決議\n{PREAMBLE_2}{between}一、{D1}一、{D2}\n")
    assert [d.text for d in doc.demands] == [D1, D2]
    assert doc.preamble == PREAMBLE_2


def test_marker_inside_a_word_is_not_a_demand() -> None:
    doc = parse_text(f"決議\n一、制度の統一、一元化を図ること。\n一、第一、{D2}\n")
    assert [d.text for d in doc.demands] == ["制度の統一、一元化を図ること。", f"第一、{D2}"]


def test_cut_off_excerpt_is_kept_and_flagged() -> None:
    doc = parse_text(f"決議\n一、{D1}\n一、{D2}\n一、国民の")
    assert [d.text for d in doc.demands] == [D1, D2, "国民の"]
    assert [d.cut_off for d in doc.demands] == [False, False, True]
    assert any("demand 3 does not end in 「。」" in w for w in doc.warnings)


@pytest.mark.parametrize("closing", ["以上。", "以上決議する。", " 以上", "　以上決議する。"])
def test_closing_words_are_not_part_of_the_last_demand(closing: str) -> None:
    doc = parse_text(f"決議\n一、{D1}\n一、{D2}{closing}\n令和6年11月15日\n")
    assert [d.text for d in doc.demands] == [D1, D2]
    assert closing.strip() in doc.set_aside


@pytest.mark.parametrize("marker", ["一．", "一.", "一. ", "一．\u3000"])
def test_full_stop_markers(marker: str) -> None:
    doc = parse_text(f"決議\n{marker}{D1}\n{marker}{D2}\n")
    assert [d.text for d in doc.demands] == [D1, D2]


def test_decimal_number_is_not_a_marker() -> None:
    doc = parse_text(f"決議\n一、{D1}\n一、保険料を一.5倍に引き上げないこと。\n")
    assert doc.demands[-1].text == "保険料を一.5倍に引き上げないこと。"


@pytest.mark.parametrize(("line", "body"), [
    ("平成27年11月18日 全国町村長大会", "全国町村長大会"),
    ("令和6年6月5日\u3000全国市長会", "全国市長会"),
    ("令和6年11月15日（金）第60回全国町村長大会", "全国町村長大会"),
])
def test_date_line_naming_another_body(line: str, body: str) -> None:
    doc = parse_text(f"決議\n一、{D1}\n{line}\n")
    assert doc.date is not None
    assert doc.conference == body


def test_date_in_a_sentence_is_not_a_date_line() -> None:
    doc = parse_text(f"決議\n一、{D1}\n令和6年4月1日から施行された制度を見直すこと\n")
    assert doc.date is None


def test_page_numbers_and_running_headers_are_set_aside() -> None:
    text = (f"大会資料\n決議\n一、医療保険制度の一本化を\n- 2 -\n大会資料\n早期に実現すること。\n"
            f"一、{D2}\n３\n")
    doc = parse_text(text)
    assert [d.text for d in doc.demands] == [D1, D2]
    assert {"- 2 -", "３", "大会資料"} <= set(doc.set_aside)


def test_a_demands_title_on_the_line_above_starts_its_text_and_keeps_the_list_whole() -> None:
    """Prefectures' books title each demand (「（国保総合システム）」 above 「一、」). A title
    between two demands once split the list, and every demand after it was set aside; it now
    starts its own demand's text (the diff reads it as a title: item_heading), an unfinished
    demand above it does not swallow it, and a title before the first demand is no preamble."""
    text = (
        "決議\n本日ここに大会を開催し、次の事項の実現を期する。\n記\n"
        f"（医療保険制度の一本化）\n一、{D1}\n\n"
        "【子どもに係る均等割保険料（税）の軽減】\n一、子どもに係る均等割保険料（税）を軽減すること\n"
        f"（国保組合）\n一、{D2}\n"
    )
    doc = parse_text(text)
    assert [d.text for d in doc.demands] == [
        f"（医療保険制度の一本化）{D1}",
        "【子どもに係る均等割保険料（税）の軽減】子どもに係る均等割保険料（税）を軽減すること",
        f"（国保組合）{D2}",
    ]
    assert doc.preamble == "本日ここに大会を開催し、次の事項の実現を期する。"
    assert not any("outside the main list" in w for w in doc.warnings), doc.warnings


def test_a_bracketed_sentence_above_a_demand_is_no_title() -> None:
    """Only a bracketed line with no sentence in it is a title; 「（…こと。）」 is text."""
    doc = parse_text(f"決議\n一、{D1}\n（以上のことを強く要望する。）\n一、{D2}\n")
    assert [d.text for d in doc.demands][:1] == [D1]
    assert all(not d.text.startswith("（") for d in doc.demands)
