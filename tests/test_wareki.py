"""和暦 and western dates: kanji numerals, full-width and mixed digits, 元年, impossible dates."""

from __future__ import annotations

import datetime as dt

import pytest

from resolution_archive.text.wareki import (
    era_to_western,
    find_dates,
    find_era_years,
    kanji_number,
    parse_date,
    parse_era_year,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("令和6年11月15日", dt.date(2024, 11, 15)),
        ("令和６年１１月１５日", dt.date(2024, 11, 15)),
        ("令和6年１１月１5日", dt.date(2024, 11, 15)),  # mixed widths, as in the 2024 PDF
        ("令和六年十一月十五日", dt.date(2024, 11, 15)),
        ("令和五年十一月二十一日", dt.date(2023, 11, 21)),
        ("平成三十年十二月三十一日", dt.date(2018, 12, 31)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("昭和１３年４月１日", dt.date(1938, 4, 1)),
        ("大正元年8月1日", dt.date(1912, 8, 1)),
        ("2024年11月15日", dt.date(2024, 11, 15)),
        ("２０２４年１１月１５日", dt.date(2024, 11, 15)),
        ("二〇二四年十一月十五日", dt.date(2024, 11, 15)),
        ("令和 6 年 11 月 15 日", dt.date(2024, 11, 15)),  # column-layout spaces
        ("\u3000令和6年11月15日 ", dt.date(2024, 11, 15)),
        ("令和6年2月29日", dt.date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts_every_way_of_writing(written: str, expected: dt.date) -> None:
    assert parse_date(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "令和6年2月30日",  # no such day
        "令和5年2月29日",  # not a leap year
        "令和6年13月1日",
        "令和6年0月1日",
        "令和元年4月1日",  # still 平成 then
        "令和6年11月",  # no day
        "令和3年度",
        "令和6年11月15日に開催",  # not one date expression
        "十一月十五日",
        "",
    ],
)
def test_parse_date_rejects_impossible_or_partial(written: str) -> None:
    assert parse_date(written) is None


def test_find_dates_reports_spans_in_order() -> None:
    text = "昭和１３年４月１日に公布。大会は令和6年１１月１5日、会場。令和6年2月30日は無い。"
    found = find_dates(text)
    assert [f.date for f in found] == [dt.date(1938, 4, 1), dt.date(2024, 11, 15)]
    for f in found:
        assert text[f.start : f.end] == f.matched
    assert found[1].matched == "令和6年１１月１5日"


def test_find_dates_does_not_take_a_year_out_of_a_longer_number() -> None:
    assert find_dates("12024年11月15日") == []


@pytest.mark.parametrize(
    ("written", "value"),
    [("三十", 30), ("二十一", 21), ("十五", 15), ("十", 10), ("百二", 102),
     ("千九百八十九", 1989), ("二〇二四", 2024), ("１5", 15), ("７", 7)],
)
def test_kanji_number(written: str, value: int) -> None:
    assert kanji_number(written) == value


@pytest.mark.parametrize("written", ["", "十十", "二三十", "abc", "百千"])
def test_kanji_number_rejects_malformed(written: str) -> None:
    assert kanji_number(written) is None


@pytest.mark.parametrize(
    ("written", "year"),
    [("令和6年", 2024), ("令和６年度", 2024), ("令和元年", 2019), ("平成三十年度", 2018),
     ("令和 5 年", 2023), ("昭和64年", 1989)],
)
def test_parse_era_year(written: str, year: int) -> None:
    assert parse_era_year(written) == year


def test_parse_era_year_rejects_non_years() -> None:
    assert parse_era_year("2024年") is None
    assert parse_era_year("令和0年") is None
    assert parse_era_year("令和5年度国保制度改善強化全国大会") is None


def test_find_era_years_in_a_title() -> None:
    found = find_era_years("令和５年度国保制度改善強化全国大会")
    assert [(f.year, f.fiscal, f.matched) for f in found] == [(2023, True, "令和５年度")]


def test_era_to_western() -> None:
    assert era_to_western("令和", 6) == 2024
    assert era_to_western("平成", 31) == 2019
    assert era_to_western("令和", 0) is None
    assert era_to_western("天平", 1) is None
