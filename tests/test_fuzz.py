"""Property-based robustness: whatever bytes or text arrive, decoding and parsing end in a result
or in one of the documented errors (InputError, ParseError), never a crash; whatever lists of
items are compared, the diff accounts for every old and every new item exactly once and its
inline ops rebuild both texts.

Profiles: "fuzz" (default, derandomized so CI is stable, moderate example counts) and
"fuzz-deep" (HYPOTHESIS_PROFILE_FUZZ=deep: ten times the examples, random seeds).
"""

from __future__ import annotations

import codecs
import os
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from resolution_archive.errors import ArchiveError, InputError, ParseError
from resolution_archive.importer import prepare
from resolution_archive.parse import parse_text
from resolution_archive.text.encoding import MAX_SOURCE_BYTES, decode_source
from resolution_archive.text.normalize import comparison_form
from tests.conftest import SEED

settings.register_profile(
    "fuzz", deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fuzz-deep", settings.get_profile("fuzz"), derandomize=False)
DEEP = os.environ.get("HYPOTHESIS_PROFILE_FUZZ") == "deep"
PROFILE = settings.get_profile("fuzz-deep" if DEEP else "fuzz")


def examples(n: int) -> settings:
    return settings(PROFILE, max_examples=n * (10 if DEEP else 1))


SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.splitlines(keepends=True)

# --- decode_source + parse_text -------------------------------------------------------------

# Pieces a conference text (or a broken one) is made of: structure, prose, odd characters.
TEXT_PIECES = [
    "決　議\n", "決議\n", "宣　言\n", " 宣　言\n", "記\n", "一、", "一 、", "一，", "\n一、",
    "医療保険制度の一本化を早期に実現すること。", "国保の財政基盤強化", "を図ること。\n",
    "令和6年１１月１5日\n", "令和元年11月15日", "平成31年", "国保制度改善強化全国大会\n",
    "　本日ここに、", "\n", "\r\n", "\r", "\u3000", " ", "\t", "。", "、", "ＫＤＢ", "KDB",
    "（税）", "(税)", "１２３", "123", "ｺｸﾎ", "\x00", "\x07", "\x1b", "\x7f", "\ufeff",
    "\u200b", "\u2028", "❖", "■アクセス", "【参考】", "𠮷", "が", "か\u3099", "\ufffd",
]
BYTE_PIECES = [
    b"\xed\xa0\x80",  # a lone surrogate, UTF-8-encoded (invalid UTF-8)
    b"\xed\xbf\xbf", b"\xc0\xaf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00",
    b"\x80", b"\xff", b"\x1b$B", b"\x1b(B", b"\x81", b"\x8e", b"\xa4\xa2",
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp932", "euc-jp",
             "iso-2022-jp"]


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


conference_like = st.lists(st.sampled_from(TEXT_PIECES), max_size=60).map("".join)
seed_cut = st.builds(
    lambda start, length: "".join(SEED_LINES[start:start + length]),
    st.integers(0, len(SEED_LINES)), st.integers(0, len(SEED_LINES)),
)
mixed_bytes = st.lists(
    st.one_of(
        st.builds(encode, conference_like, st.sampled_from(ENCODINGS)),
        st.sampled_from(BYTE_PIECES),
        st.binary(max_size=20),
    ),
    max_size=8,
).map(b"".join)


def decode_then_parse(data: bytes) -> str:
    """Run the pipeline; return which documented outcome it reached."""
    try:
        decoded = decode_source(data)
    except InputError as error:
        assert str(error) and "\n" not in str(error)
        return "input-error"
    text = decoded.text
    assert "\r" not in text
    text.encode("utf-8")  # no lone surrogates: the archive stores the text as UTF-8
    assert codecs.lookup(decoded.encoding)
    try:
        document = parse_text(text)
    except ParseError as error:
        assert str(error) and "\n" not in str(error)
        return "parse-error"
    assert document.demands
    assert [d.number for d in document.demands] == list(range(1, len(document.demands) + 1))
    for demand in document.demands:
        assert demand.comparison == comparison_form(demand.text)
    return "parsed"


@examples(300)
@given(st.binary(max_size=600))
@example(b"\xed\xa0\x80")
@example(b"\xed\xa0\x80\xed\xb0\x80")
@example(codecs.BOM_UTF8 + b"\xed\xa0\x80")
@example(codecs.BOM_UTF16_LE + b"\x00\xd8")  # BOM, then a lone high surrogate
@example(b"\x00\xd8a\x00")  # BOM-less UTF-16 with a lone surrogate
@example(b"\x1b$B\xff\xff")
@example(b"\r" * 50)
def test_arbitrary_bytes(data: bytes) -> None:
    decode_then_parse(data)


@examples(300)
@given(mixed_bytes)
def test_conference_like_bytes_in_any_encoding(data: bytes) -> None:
    decode_then_parse(data)


@examples(200)
@given(st.text(alphabet=st.characters(codec=None), max_size=400))  # includes lone surrogates
@example("\ud800一、要望すること。")
def test_arbitrary_text_parses_or_parse_error(text: str) -> None:
    try:
        document = parse_text(text)
    except ParseError:
        return
    assert [d.number for d in document.demands] == list(range(1, len(document.demands) + 1))


@examples(150)
@given(st.lists(st.one_of(seed_cut, conference_like), min_size=1, max_size=4).map("".join),
       st.sampled_from(ENCODINGS))
def test_damaged_seed_through_prepare(text: str, encoding: str) -> None:
    """Cut, spliced and garbled versions of the real text through the importer's pure half."""
    try:
        prepared = prepare(encode(text, encoding), "fuzz.txt")
    except (InputError, ParseError):
        return
    assert 1900 <= prepared.year <= 2200
    assert len(prepared.content_hash) == 64


@examples(40)
@given(st.integers(1, 4000), st.integers(1, 5))
def test_thousands_of_demands(count: int, width: int) -> None:
    lines = [f"一、第{i}の要望を{'実現' * width}すること。\n" for i in range(1, count + 1)]
    document = parse_text("決　議\n" + "".join(lines) + "令和6年11月15日\n")
    assert len(document.demands) == count


@pytest.mark.parametrize("shape", ["one-line", "wrapped", "unterminated", "no-breaks"])
def test_huge_demand_near_the_size_limit(shape: str) -> None:
    """A single demand as large as the size limit allows: parsed (or refused) in seconds."""
    unit = {"one-line": "国保の財政", "wrapped": "国保の財政\n", "unterminated": "国保の財政\n\n",
            "no-breaks": "一、国保"}[shape]
    body = unit * ((MAX_SOURCE_BYTES - 100) // len(unit.encode()))
    text = "決議\n一、" + body + "すること。\n令和6年11月15日\n"
    data = text.encode()
    assert len(data) <= MAX_SOURCE_BYTES
    started = time.perf_counter()
    try:
        prepared = prepare(data, "huge.txt")
        assert prepared.document.demands
    except ArchiveError as error:
        assert isinstance(error, InputError | ParseError)
    assert time.perf_counter() - started < 30
    with pytest.raises(InputError, match="limit"):
        decode_source(data + b"x" * (MAX_SOURCE_BYTES - len(data) + 1))


# --- diff engine ----------------------------------------------------------------------------

DEMANDS = [line[2:].strip() for line in SEED_TEXT.split("\n一、")[1:6]]
WIDTH_VARIANTS = [
    "ＫＤＢシステムの活用を進めること。", "KDBシステムの活用を進めること。",
    "保険料（税）の軽減を行うこと。", "保険料(税)の軽減を行うこと。",
    "令和６年度から実施すること。", "令和6年度から実施すること。", "ｺｸﾎの運営を確保すること。",
    "コクホの運営を確保すること。",
]
ITEM = st.one_of(
    st.sampled_from(["", " ", "　", "。", *DEMANDS, *WIDTH_VARIANTS]),
    st.text(alphabet="国保財政の支援を講じること。、ＫＤＢKDB１1（）() 　\n", max_size=40),
    st.builds(lambda d, cut: d[:cut], st.sampled_from(DEMANDS), st.integers(0, 80)),
)
ITEMS = st.lists(ITEM, max_size=10)


def check_diff(old: list[str], new: list[str]) -> None:
    from resolution_archive.diff import JOINER, diff_items

    result = diff_items(old, new)
    olds = sorted(i for c in result.changes for i in c.old)
    news = sorted(j for c in result.changes for j in c.new)
    assert olds == list(range(1, len(old) + 1)), result
    assert news == list(range(1, len(new) + 1)), result
    for change in result.changes:
        assert change.old_text == JOINER.join(old[i - 1] for i in change.old)
        assert change.new_text == JOINER.join(new[j - 1] for j in change.new)
        assert "".join(t for op, t in change.ops if op in "=-") == change.old_text
        assert "".join(t for op, t in change.ops if op in "=+") == change.new_text
        shape = (len(change.old), len(change.new))
        assert {
            "added": shape[0] == 0 and shape[1] >= 1,
            "dropped": shape[1] == 0 and shape[0] >= 1,
            "merged": shape[0] > 1 and shape[1] >= 1,
            "split": shape[0] == 1 and shape[1] > 1,
            "unchanged": shape == (1, 1),
            "reworded": shape == (1, 1),
        }[change.kind], change
    assert sum(result.summary[k] for k in
               ("unchanged", "reworded", "merged", "split", "added", "dropped")) == len(
        result.changes)
    assert diff_items(old, new).to_json() == result.to_json()  # deterministic


@examples(250)
@given(ITEMS, ITEMS)
@example([], [])
@example([""], [""])
@example(["", ""], [""])
@example([DEMANDS[0]] * 3, [DEMANDS[0]])
@example(WIDTH_VARIANTS[::2], WIDTH_VARIANTS[1::2])
def test_diff_accounts_for_every_item(old: list[str], new: list[str]) -> None:
    check_diff(old, new)


@examples(100)
@given(ITEMS, st.randoms(use_true_random=False))
def test_diff_of_a_shuffled_and_edited_copy(items: list[str], rnd: object) -> None:
    """New = old shuffled, with duplicates, drops and width changes: the usual year-over-year."""
    import random

    assert isinstance(rnd, random.Random)
    new = list(items)
    rnd.shuffle(new)
    if new:
        new.append(rnd.choice(new))
        new.pop(rnd.randrange(len(new)))
    new = [t.replace("ＫＤＢ", "KDB") if rnd.random() < 0.5 else t for t in new]
    check_diff(items, new)
