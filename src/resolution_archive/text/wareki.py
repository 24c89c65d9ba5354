"""Japanese era (和暦) and western dates as they appear in conference texts.

Conference texts write the same date many ways: 令和６年１１月１５日, 令和6年１１月１5日 (digits
mixed from PDF extraction), 令和六年十一月十五日, 令和元年, 2024年11月15日, sometimes with stray
spaces from column layout (令和 6 年 11 月 15 日). This module turns any of them into a
`datetime.date`, and refuses dates that cannot exist (2月30日, 令和元年4月1日).

Era years run past the end of an era without complaint (平成32年 was printed on documents written
before the change); only dates before an era began are rejected.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# First day of each era. Year N of an era is start.year + N - 1.
ERA_STARTS: dict[str, dt.date] = {
    "令和": dt.date(2019, 5, 1),
    "平成": dt.date(1989, 1, 8),
    "昭和": dt.date(1926, 12, 25),
    "大正": dt.date(1912, 7, 30),
    "明治": dt.date(1868, 10, 23),
}

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                 "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}

_ERA = "|".join(ERA_STARTS)
_SP = r"[ \t\u3000]*"
# A number: ASCII/full-width digits in any mix, or kanji numerals (positional 二十一 or
# digit-by-digit 二〇二四).
_NUM = r"(?:[0-9０-９]+|[〇零一二三四五六七八九十百千]+)"
_YEAR = rf"(?:元|{_NUM})"

_ERA_DATE = (
    rf"(?P<era>{_ERA}){_SP}(?P<ey>{_YEAR}){_SP}年{_SP}(?P<em>{_NUM}){_SP}月{_SP}(?P<ed>{_NUM}){_SP}日"
)
_WESTERN_DATE = (
    r"(?<![0-9０-９〇零一二三四五六七八九十百千])"
    rf"(?P<wy>[0-9０-９]{{4}}|[〇零一二三四五六七八九]{{4}}){_SP}年{_SP}"
    rf"(?P<wm>{_NUM}){_SP}月{_SP}(?P<wd>{_NUM}){_SP}日"
)
_DATE_RE = re.compile(rf"{_ERA_DATE}|{_WESTERN_DATE}")
_ERA_YEAR_RE = re.compile(rf"(?P<era>{_ERA}){_SP}(?P<ey>{_YEAR}){_SP}年(?P<fiscal>度)?")


@dataclass(frozen=True)
class FoundDate:
    """A date found in a longer text, with the span (`text[start:end] == matched`) it came from."""

    date: dt.date
    start: int
    end: int
    matched: str


def kanji_number(s: str) -> int | None:
    """Value of a number written in digits (any width), positional kanji or digit-by-digit kanji.

    三十 → 30, 二十一 → 21, 十五 → 15, 二〇二四 → 2024, １5 → 15. None for anything else.
    """
    s = s.strip()
    if not s:
        return None
    folded = unicodedata.normalize("NFKC", s)
    if folded.isascii() and folded.isdigit():
        return int(folded)
    if all(ch in _KANJI_DIGITS for ch in s):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in s))
    return _positional_kanji(s)


def _positional_kanji(s: str) -> int | None:
    """三十 / 二十一 / 千九百八十九: digits multiplied by the unit that follows them."""
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in s:
        if ch in _KANJI_DIGITS:
            if digit is not None:
                return None  # 二三十: two digits in a row is not a positional numeral
            digit = _KANJI_DIGITS[ch]
        elif ch in _KANJI_UNITS:
            unit = _KANJI_UNITS[ch]
            if unit >= last_unit:
                return None  # 十百: units must fall
            total += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        else:
            return None
    return total + (digit or 0)


def era_to_western(era: str, era_year: int) -> int | None:
    """Western year of year `era_year` of `era` (令和, 6 → 2024); None for an unknown era or 0."""
    start = ERA_STARTS.get(era)
    if start is None or era_year < 1:
        return None
    return start.year + era_year - 1


def _year_value(era: str, raw: str) -> int | None:
    """Western year from an era name and its year as written (元 = 1)."""
    n = 1 if raw.strip() == "元" else kanji_number(raw)
    return None if n is None else era_to_western(era, n)


def _date_from_match(m: re.Match[str]) -> dt.date | None:
    """Build the date a `_DATE_RE` match stands for, or None if no such day exists."""
    if m.group("era"):
        year = _year_value(m.group("era"), m.group("ey"))
        month, day = kanji_number(m.group("em")), kanji_number(m.group("ed"))
    else:
        year = kanji_number(m.group("wy"))
        month, day = kanji_number(m.group("wm")), kanji_number(m.group("wd"))
    if year is None or month is None or day is None:
        return None
    try:
        date = dt.date(year, month, day)
    except ValueError:  # 2月30日, 13月
        return None
    if m.group("era") and date < ERA_STARTS[m.group("era")]:
        return None  # 令和元年4月1日 was still 平成
    return date


def find_dates(text: str) -> list[FoundDate]:
    """Every valid full date (year, month and day) in `text`, in order of appearance."""
    found: list[FoundDate] = []
    for m in _DATE_RE.finditer(text):
        date = _date_from_match(m)
        if date is not None:
            found.append(FoundDate(date, m.start(), m.end(), m.group(0)))
    return found


def parse_date(s: str) -> dt.date | None:
    """The date `s` spells, if `s` is exactly one date expression (surrounding spaces allowed)."""
    m = _DATE_RE.fullmatch(s.strip(" \t\n\u3000"))
    return None if m is None else _date_from_match(m)


@dataclass(frozen=True)
class FoundYear:
    """An era year found in a text: 令和５年度 → year 2023, fiscal True."""

    year: int
    start: int
    end: int
    matched: str
    fiscal: bool


def find_era_years(text: str) -> list[FoundYear]:
    """Every era year (令和6年, 令和元年, 平成三十年度) in `text`, also those inside dates."""
    found: list[FoundYear] = []
    for m in _ERA_YEAR_RE.finditer(text):
        year = _year_value(m.group("era"), m.group("ey"))
        if year is not None:
            found.append(FoundYear(year, m.start(), m.end(), m.group(0), bool(m.group("fiscal"))))
    return found


def parse_era_year(s: str) -> int | None:
    """Western year of an era year on its own: 令和6年 / 令和６年度 → 2024, 令和元年 → 2019."""
    m = _ERA_YEAR_RE.fullmatch(s.strip(" \t\n\u3000"))
    return None if m is None else _year_value(m.group("era"), m.group("ey"))
