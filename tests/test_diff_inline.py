"""inline_ops: whole words and numbers, exact reconstruction of the original characters."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resolution_archive.diff import inline_ops, render
from resolution_archive.diff.dates import is_date_only
from resolution_archive.diff.model import Op


def sides(ops: tuple[Op, ...]) -> tuple[str, str]:
    old = "".join(text for op, text in ops if op != "+")
    new = "".join(text for op, text in ops if op != "-")
    return old, new


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("子ども・子育て支援金", "こども・子育て支援金", "[-子ども-]{+こども+}・子育て支援金"),
        ("毎年3,400億円の公費", "毎年3,500億円の公費", "毎年[-3,400-]{+3,500+}億円の公費"),
        (
            "毎年三千四百億円の公費投入",
            "毎年三千五百億円の公費投入",
            "毎年[-三千四百-]{+三千五百+}億円の公費投入",
        ),
        ("健康保険証の廃止", "マイナ保険証の廃止", "[-健康-]{+マイナ+}保険証の廃止"),
        ("令和5年度から", "令和6年度から", "令和[-5-]{+6+}年度から"),
        ("財政措置を講じること", "財政措置を確実に講じること", "財政措置を{+確実に+}講じること"),
    ],
)
def test_changes_are_widened_to_whole_words_and_numbers(old: str, new: str, expected: str) -> None:
    ops = inline_ops(old, new)
    assert render(ops) == expected
    assert sides(ops) == (old, new)


def test_width_only_difference_keeps_original_characters() -> None:
    old = "ＫＤＢシステムの１１件"
    new = "KDBシステムの11件"
    ops = inline_ops(old, new)
    assert sides(ops) == (old, new)
    assert ("=", "システムの") in ops
    assert render(ops) == "[-ＫＤＢ-]{+KDB+}システムの[-１１-]{+11+}件"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("国保の\n運営に 支障を", "国保の運営に支障を及ぼす"),
        ("  先頭と末尾の空白　", "先頭と末尾の余白"),
        ("", "新たな要望"),
        ("削除される要望", ""),
        ("（税）の軽減", "(税)の軽減制度"),
        ("こ\u3099ども", "ごども"),  # combining dakuten composes under NFKC
        ("医療費\n助成\nに係る", "医療費助成に係る\n地方単独事業"),
    ],
)
def test_reconstruction_with_layout_and_width_noise(old: str, new: str) -> None:
    assert sides(inline_ops(old, new)) == (old, new)


CHARS = "国保の財政措置を講じるこど子も支援金制度ＫＤＢKDB１１11（）()、。 　\n令和5６年度"
PIECES = [*CHARS, "3,400", "三千四百", "\r\n"]
JAPANESE = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@settings(max_examples=150, deadline=None)
@given(JAPANESE, JAPANESE)
def test_ops_reconstruct_both_texts(old: str, new: str) -> None:
    ops = inline_ops(old, new)
    assert sides(ops) == (old, new)
    assert all(text for _, text in ops)
    # No two neighbouring ops of the same kind: the output is already coalesced.
    assert all(a[0] != b[0] for a, b in itertools.pairwise(ops))


def test_ops_are_deterministic() -> None:
    old = "医療費助成に係る地方単独事業の国庫負担減額調整措置をすべて廃止すること。"
    new = "医療費助成に係る地方単独事業の国庫負担減額調整措置を全廃するとともに、制度を創設する。"
    assert inline_ops(old, new) == inline_ops(old, new)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("令和5年度から実施", "令和6年度から実施", True),
        ("令和五年度以降も", "令和六年度以降も", True),
        ("2023年度の実績", "2024年度の実績", True),
        ("令和5年11月16日", "令和6年11月15日", True),
        ("毎年3,400億円", "毎年3,500億円", False),
        ("3年以内に見直す", "5年以内に見直す", False),
        ("令和5年度から実施", "令和6年度から確実に実施", False),
        ("同じ文", "同じ文", False),
    ],
)
def test_date_only(old: str, new: str, expected: bool) -> None:
    assert is_date_only(old, new) is expected
