"""decode_source on real files: every encoding conference texts arrive in, and every bad input."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from resolution_archive.errors import InputError
from resolution_archive.text.encoding import MAX_SOURCE_BYTES, Decoded, decode_source

SEED = Path(__file__).parents[1] / "data/official/2024.txt"


def seed_like() -> str:
    """The seed text, minus the one symbol (❖) that Shift_JIS and EUC-JP cannot encode."""
    return SEED.read_text(encoding="utf-8").replace("❖", "◆")


def roundtrip(tmp_path: Path, data: bytes) -> Decoded:
    path = tmp_path / "source.txt"
    path.write_bytes(data)
    return decode_source(path.read_bytes())


@pytest.mark.parametrize(
    ("codec", "expected_encoding", "bom"),
    [
        ("utf-8", "utf-8", False),
        ("utf-8-sig", "utf-8-sig", True),
        ("utf-16", "utf-16", True),
        ("utf-16-le", "utf-16-le", False),
        ("utf-16-be", "utf-16-be", False),
        ("cp932", "cp932", False),
        ("shift_jis", "cp932", False),
        ("euc-jp", "euc-jp", False),
        ("iso-2022-jp", "iso-2022-jp", False),
    ],
)
def test_each_encoding_decodes_to_the_same_text(
    tmp_path: Path, codec: str, expected_encoding: str, bom: bool
) -> None:
    text = seed_like()
    decoded = roundtrip(tmp_path, text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == expected_encoding
    assert decoded.bom is bom


@pytest.mark.parametrize("codec", ["cp932", "euc-jp"])
def test_short_legacy_text_picks_the_codec_that_reads_as_japanese(
    tmp_path: Path, codec: str
) -> None:
    text = "一、医療保険制度の一本化を早期に実現すること。\n"
    decoded = roundtrip(tmp_path, text.encode(codec))
    assert (decoded.text, decoded.encoding) == (text, codec)


def test_cp932_only_characters(tmp_path: Path) -> None:
    text = "①国保（市町村）㈱ ～ 全国大会\n"
    assert roundtrip(tmp_path, text.encode("cp932")).text == text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
@pytest.mark.parametrize("codec", ["utf-8", "cp932", "utf-16"])
def test_line_ends_are_normalised(tmp_path: Path, newline: str, codec: str) -> None:
    text = seed_like()
    decoded = roundtrip(tmp_path, text.replace("\n", newline).encode(codec))
    assert decoded.text == text
    assert "\r" not in decoded.text


def test_form_feed_between_pages_is_kept(tmp_path: Path) -> None:
    text = "決議\n\f一、医療保険制度の一本化を早期に実現すること。\n"
    assert roundtrip(tmp_path, text.encode("utf-8")).text == text


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        roundtrip(tmp_path, b"")


@pytest.mark.parametrize(
    "data",
    [b" \n\r\n\t", "\u3000\n\u3000".encode(), "\ufeff \n".encode(), " \n".encode("utf-16")],
)
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match="only whitespace"):
        roundtrip(tmp_path, data)


def test_png_is_binary(tmp_path: Path) -> None:
    rng = random.Random(1)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(4000)
    with pytest.raises(InputError, match="binary"):
        roundtrip(tmp_path, png)


def test_control_characters_are_binary(tmp_path: Path) -> None:
    data = ("決議\x01\x02\x03\x04" * 50).encode("utf-8")
    with pytest.raises(InputError, match="binary"):
        roundtrip(tmp_path, data)


@pytest.mark.parametrize(
    "data",
    [bytes(range(0x80, 0x100)) * 4, b"abc\x80\xff\xfe\x81 def" * 30],
)
def test_undecodable(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match="could not determine the text encoding"):
        roundtrip(tmp_path, data)


def test_broken_bom_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="byte-order mark"):
        roundtrip(tmp_path, b"\xef\xbb\xbf" + "決議".encode("cp932"))


def test_too_large_is_refused_before_decoding(tmp_path: Path) -> None:
    data = b"\xff" * (MAX_SOURCE_BYTES + 1)  # would be undecodable too: size must win
    with pytest.raises(InputError, match="MiB") as raised:
        roundtrip(tmp_path, data)
    assert "\n" not in str(raised.value)


def test_limit_itself_is_accepted(tmp_path: Path) -> None:
    line = "一、医療保険制度の一本化を早期に実現すること。\n".encode()
    data = line * (MAX_SOURCE_BYTES // len(line))
    assert len(roundtrip(tmp_path, data).text) > 0


def test_error_messages_are_one_line(tmp_path: Path) -> None:
    for data in (b"", b"\x00\x01\x02" * 10, bytes(range(0x80, 0x100))):
        with pytest.raises(InputError) as raised:
            roundtrip(tmp_path, data)
        assert "\n" not in str(raised.value)
