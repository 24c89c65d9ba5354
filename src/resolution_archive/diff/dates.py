"""Recognise rewordings that only move dates forward (令和5年→令和6年), listed apart in reports."""

from __future__ import annotations

import re

_NUMERAL = r"(?:[0-9]+|[〇一二三四五六七八九十]+|元)"
# Era years, Western years (with or without 年), and month/day. Durations such as 「3年以内」
# are deliberately not dates: changing them is a substantive change.
_DATE = re.compile(
    rf"(?:令和|平成|昭和){_NUMERAL}年度?"
    rf"|(?<![0-9])(?:19|20)[0-9]{{2}}(?![0-9])(?:年度?)?"
    rf"|{_NUMERAL}月(?:{_NUMERAL}日)?"
)


def mask_dates(comparison: str) -> str:
    """The comparison form with every date replaced by one placeholder character."""
    return _DATE.sub("\x00", comparison)


def is_date_only(old_comparison: str, new_comparison: str) -> bool:
    """True when two different comparison forms become equal once their dates are masked."""
    if old_comparison == new_comparison:
        return False
    return mask_dates(old_comparison) == mask_dates(new_comparison)
