"""Numbers compared by value: 三千四百億円 = ３，４００億円, 十一月 = １１月, 第三期 = 第３期.

The conference texts write the same figure in kanji one year and in Arabic digits the next;
that is notation, like full and half width, not a change of wording. The aligner therefore
compares a *value form* of each comparison form, in which every number is written in plain
Arabic digits. It is a comparison key only: text/normalize.comparison_form, which the importer
hashes, is left as it is, and inline ops and reports still show the original characters. The
diff engine aligns on it; the reports use same_notation to tell a notation difference inside a
reworded row from a change of wording.

Kanji runs are read as numbers only where they stand as one — before a counter or unit
(年 月 日 歳 期 回 人 円 % 億 万 … パーセント ポイント 時間), after 第, or on either side of
分の in a fraction — so 十分, 一体化 and 一律 stay words. パーセント after a number is %, as
％ already is after NFKC: ２０パーセント, 二十パーセント and 20% are one figure. Thousands
separators go (3,400 → 3400); the units 万 億 兆 stay, so 3400億 and 三千四百億 meet.
"""

from __future__ import annotations

import re

from resolution_archive.text.normalize import comparison_form
from resolution_archive.text.wareki import kanji_number

_KANJI_DIGITS = "〇零一二三四五六七八九十百千"
_KANJI_RUN = f"[{_KANJI_DIGITS}]+"
_COUNTER = "年月日歳期回人円%億万兆件割倍度次か箇ヶカケヵ条号週名社所"
_COUNTER_WORDS = "パーセント|ポイント|時間"
_KANJI_NUMBER = re.compile(
    rf"(?<=第){_KANJI_RUN}"
    # Numbers listed before one counter are each one: 平成二十二・二十三年度, 一〜三月.
    rf"|{_KANJI_RUN}(?=(?:[・〜~]{_KANJI_RUN})*(?:[{_COUNTER}]|{_COUNTER_WORDS}))"
    # A fraction is read as one: 三分の一 and 十分の８ are 3分の1 and 10分の8; 十分 (enough)
    # and 十分の配慮 stay words.
    rf"|{_KANJI_RUN}(?=分の[0-9{_KANJI_DIGITS}])|(?<=[0-9{_KANJI_DIGITS}]分の){_KANJI_RUN}"
)
# Enough of the common context after a changed stretch to hold any counter or 分の + number.
_LONGEST_COUNTER = max(len(w) for w in _COUNTER_WORDS.split("|")) + 2
_PERCENT = re.compile(r"(?<=[0-9])パーセント")
_GANNEN = re.compile(r"(?<=令和|平成|昭和)元(?=年)")
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")


def same_notation(old: str, new: str, after: str = "") -> bool:
    """Whether two stretches of display text differ only in notation: width, spacing, line
    breaks, or numbers written another way with the same value (３，４００ / 三千四百).

    `after` is the text that follows both (their common context): a kanji number is read as
    one only before a counter or unit, so 「三千四百」 needs the 「億円」 after it, and 「二十」
    the 「パーセント」.
    """
    if comparison_form(old) == comparison_form(new):
        return True
    tail = comparison_form(after)[:_LONGEST_COUNTER]
    return value_form(comparison_form(old) + tail) == value_form(comparison_form(new) + tail)


def value_form(comparison: str) -> str:
    """The comparison form with every number written in Arabic digits, without separators."""

    def replace(match: re.Match[str]) -> str:
        value = kanji_number(match.group())
        return match.group() if value is None else str(value)

    text = _KANJI_NUMBER.sub(replace, comparison)
    text = _GANNEN.sub("1", text)
    text = _PERCENT.sub("%", text)
    return _THOUSANDS.sub("", text)
