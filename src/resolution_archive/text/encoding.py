"""Bytes of a conference text → str, whatever encoding the source used.

Texts arrive as UTF-8 (with or without BOM) from PDF extraction, UTF-16 from Windows tools, and
Shift_JIS/CP932 or EUC-JP from older newsletters. Detection is done with strict decodes in a
fixed order, because a strict decode that succeeds is strong evidence and explainable:

1. size, emptiness;
2. a BOM (UTF-8, UTF-16) decides;
3. NUL bytes mean BOM-less UTF-16 (if one byte order gives clean text) or binary;
4. ISO-2022-JP if its escape sequences are present, else UTF-8;
5. the legacy Japanese codecs; when several decode, the result with most kana/kanji wins
   (EUC-JP bytes often decode as CP932 too, but into half-width katakana noise);
6. charset-normalizer as a last resort, accepted only if its result looks Japanese.

Every failure is an `InputError` with a one-line message saying what to do.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from resolution_archive.errors import InputError

#: Largest input accepted, checked before any decoding. Conference texts are about 10 KB; a
#: file this size is almost certainly the wrong file (a PDF, an image, a database dump).
MAX_SOURCE_BYTES = 5 * 1024 * 1024

# More than this share of control characters (other than tab, line ends and form feed) means
# the bytes are not a text file, whatever codec accepted them.
_MAX_CONTROL_SHARE = 0.01
# A decode is "Japanese enough" for the charset-normalizer fallback / BOM-less UTF-16 above this.
_MIN_JAPANESE_SHARE = 0.3

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_LEGACY_CODECS = ("cp932", "euc-jp")

_JAPANESE = re.compile(
    r"[\u3000-\u303f"  # CJK punctuation
    r"\u3040-\u309f"  # hiragana
    r"\u30a0-\u30ff"  # katakana
    r"\u3400-\u4dbf\u4e00-\u9fff"  # kanji
    r"\uff01-\uff5e]"  # full-width ASCII variants (not half-width katakana: that is noise)
)
# Kana alone: Chinese codecs also produce kanji, but only Japanese text is full of kana.
_KANA = re.compile(r"[\u3040-\u30ff]")
_MIN_KANA_SHARE = 0.05


@dataclass(frozen=True)
class Decoded:
    """Decoded text (line ends normalised to "\\n"), the codec that worked, and whether a BOM was
    present."""

    text: str
    encoding: str
    bom: bool


def japanese_share(text: str) -> float:
    """Share of the non-space characters that are kana, kanji or Japanese punctuation."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    return sum(1 for ch in visible if _JAPANESE.match(ch)) / len(visible)


def kana_share(text: str) -> float:
    """Share of the non-space characters that are hiragana or katakana."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    return sum(1 for ch in visible if _KANA.match(ch)) / len(visible)


def _control_share(text: str) -> float:
    """Share of characters that are control characters a text file should not contain."""
    if not text:
        return 0.0
    bad = sum(
        1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS
    )
    return bad / len(text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _strict(data: bytes, codec: str) -> str | None:
    """`data` decoded with `codec`, or None if any byte sequence is invalid in it."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _from_bom(data: bytes) -> Decoded | None:
    """Decode by byte-order mark; a BOM whose codec then fails is reported, not ignored."""
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, codec in boms:
        if data.startswith(bom):
            text = _strict(data, codec)
            if text is None:
                raise InputError(
                    f"the file starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()}; re-save it as UTF-8 and try again"
                )
            return Decoded(text, codec, bom=True)
    return None


def _bomless_utf16(data: bytes) -> Decoded | None:
    """UTF-16 without BOM: the byte order whose decode is clean text (NULs only come from ASCII)."""
    best: Decoded | None = None
    best_score = 0.0
    for codec in ("utf-16-le", "utf-16-be"):
        text = _strict(data, codec)
        if text is None or "\x00" in text or _control_share(text) > _MAX_CONTROL_SHARE:
            continue
        score = _plain_share(text)
        if score > best_score:
            best, best_score = Decoded(text, codec, bom=False), score
    return best if best_score >= 1 - _MIN_JAPANESE_SHARE else None


def _plain_share(text: str) -> float:
    """Share of characters that are printable ASCII, whitespace or Japanese."""
    if not text:
        return 0.0
    ok = sum(1 for ch in text if ch.isspace() or " " <= ch <= "~" or _JAPANESE.match(ch))
    return ok / len(text)


def _best_legacy(data: bytes) -> Decoded | None:
    """The legacy Japanese codec whose strict decode looks most like Japanese."""
    candidates = [
        (japanese_share(text), -order, Decoded(text, codec, bom=False))
        for order, codec in enumerate(_LEGACY_CODECS)
        if (text := _strict(data, codec)) is not None
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def _fallback(data: bytes) -> Decoded | None:
    """charset-normalizer's guess, kept only if it reads as Japanese (kana, not just kanji)."""
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        return None
    text = str(match)
    if japanese_share(text) < _MIN_JAPANESE_SHARE or kana_share(text) < _MIN_KANA_SHARE:
        return None
    return Decoded(text, str(match.encoding), bom=bool(match.bom))


def _detect(data: bytes) -> Decoded:
    """Apply the detection order from the module docstring."""
    found = _from_bom(data)
    if found is not None:
        return found
    if b"\x00" in data:
        found = _bomless_utf16(data)
        if found is None:
            raise InputError(
                "the file looks binary (it contains NUL bytes and is not UTF-16 text); "
                "give the text extracted from the PDF, not the PDF or an image"
            )
        return found
    if b"\x1b$" in data:  # ISO-2022-JP is 7-bit, so it would pass as UTF-8 with ESC noise
        text = _strict(data, "iso-2022-jp")
        if text is not None:
            return Decoded(text, "iso-2022-jp", bom=False)
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", bom=False)
    found = _best_legacy(data) or _fallback(data)
    if found is None:
        raise InputError(
            "could not determine the text encoding (tried UTF-8, UTF-16, Shift_JIS/CP932, "
            "EUC-JP); re-save the file as UTF-8 and try again"
        )
    return found


def decode_source(data: bytes) -> Decoded:
    """Decode a conference text file, or raise InputError saying why it cannot be used."""
    if len(data) > MAX_SOURCE_BYTES:
        raise InputError(
            f"the file is {len(data):,} bytes, over the {MAX_SOURCE_BYTES // (1024 * 1024)} MiB "
            "limit (conference texts are about 10 KB); check that this is the right file"
        )
    if not data:
        raise InputError("the file is empty; give a text file with the resolution (決議) in it")
    decoded = _detect(data)
    if _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise InputError(
            f"the file looks binary (many control characters after decoding as "
            f"{decoded.encoding}); give a plain text file"
        )
    if not decoded.text.strip():
        raise InputError(
            "the file contains only whitespace; give a text file with the resolution (決議) in it"
        )
    return Decoded(_normalise_newlines(decoded.text), decoded.encoding, decoded.bom)
