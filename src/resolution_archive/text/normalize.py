"""Display and comparison forms of Japanese text, with a map back to the original characters.

Two forms matter:

* display form — the original characters with layout artefacts removed: hard line wraps joined
  and stray spaces that column layout put inside Japanese words dropped. Full-width ＫＤＢ stays
  full-width. This is what users see.
* comparison form — NFKC of the display form with all whitespace removed. ＫＤＢ and KDB, （税）
  and (税), １１ and 11 become equal here; 子ども and こども do not.

`comparison_map` returns the comparison form with, for each of its characters, the index of the
display character it came from, so a diff computed on comparison forms can be shown on the
original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that count as "Japanese" for deciding whether a space or line break between two
# characters is an artefact. Latin letters and digits are deliberately not in here: "Python 3"
# keeps its space.
_JA = (
    r"\u3000-\u303f"  # CJK punctuation (、。「」・)
    r"\u3040-\u309f"  # hiragana
    r"\u30a0-\u30ff"  # katakana
    r"\u31f0-\u31ff"  # katakana extension
    r"\u3400-\u4dbf"  # CJK ext A
    r"\u4e00-\u9fff"  # CJK unified
    r"\uf900-\ufaff"  # compatibility ideographs
    r"\uff01-\uff60"  # full-width ASCII variants and punctuation (（）ＫＤＢ１１)
    r"\uff61-\uff9f"  # half-width katakana
    r"\u2010-\u2027\u2030-\u205e"  # general punctuation used in Japanese (―…※)
    r"\u25a0-\u25ff"  # geometric shapes (■○)
)
_JA_CHAR = f"[{_JA}]"
_SPACE = "[ \t\u3000\u00a0]"

# A run of horizontal space with a Japanese character on at least one side is layout noise.
_STRAY_SPACE = re.compile(
    rf"(?<={_JA_CHAR}){_SPACE}+(?=\S)|(?<=\S){_SPACE}+(?={_JA_CHAR})"
)
_LINE_BREAK = re.compile(r"[ \t\u3000]*(?:\r\n|\r|\n)[ \t\u3000]*")
_MULTI_SPACE = re.compile(r"[ \t\u00a0]{2,}")


def unwrap(text: str) -> str:
    """Join hard-wrapped lines into one line.

    Between two Japanese characters a line break is dropped; between two Latin words it becomes
    one space, so "policy\\nreform" stays two words.
    """

    def join(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not before or not after:
            return ""
        if re.match(_JA_CHAR, before) or re.match(_JA_CHAR, after):
            return ""
        return " "

    return _LINE_BREAK.sub(join, text)


def display_form(text: str) -> str:
    """The text as a user should read it: lines unwrapped, stray spaces gone, characters kept."""
    joined = unwrap(text)
    cleaned = _STRAY_SPACE.sub("", joined)
    return _MULTI_SPACE.sub(" ", cleaned).strip(" \t\u3000\u00a0")


@dataclass(frozen=True)
class Mapped:
    """A derived string and, per character, the index in the source string it came from."""

    text: str
    source: tuple[int, ...]

    def original(self, start: int, end: int, source_text: str) -> str:
        """The slice of `source_text` behind `self.text[start:end]`.

        Slices for consecutive ranges partition the source exactly (whitespace the comparison
        form dropped goes with the range before it), so ops computed on the comparison form can
        be replayed on the original characters without losing or doubling any of them.
        """
        begin = 0 if start == 0 else self.source[start] if start < len(self.source) else len(
            source_text
        )
        stop = len(source_text) if end >= len(self.source) else self.source[end]
        return source_text[begin:stop]


def _clusters(text: str) -> list[tuple[int, str]]:
    """Split into (index, base char + following combining marks) so NFKC can compose dakuten."""
    out: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if out and (unicodedata.combining(ch) or ch in "\u3099\u309a"):
            start, chunk = out[-1]
            out[-1] = (start, chunk + ch)
        else:
            out.append((i, ch))
    return out


def comparison_map(display: str) -> Mapped:
    """NFKC, whitespace removed, with each output character mapped to its display index."""
    chars: list[str] = []
    source: list[int] = []
    for index, cluster in _clusters(display):
        for ch in unicodedata.normalize("NFKC", cluster):
            if ch.isspace():
                continue
            chars.append(ch)
            source.append(index)
    return Mapped("".join(chars), tuple(source))


def comparison_form(text: str) -> str:
    """The form two texts are compared on: NFKC, no whitespace, no line breaks."""
    return comparison_map(display_form(text)).text


_TITLE_CHAR = r"[^\n（）()【】〔〕［］\[\]]"
_HEADING = re.compile(
    r"[ \t\u3000]*[（(【〔［\[＜<〈《≪]"
    rf"(?P<name>{_TITLE_CHAR}+(?:[（(]{_TITLE_CHAR}+[）)]{_TITLE_CHAR}*)*)"
    r"[）)】〕］\]＞>〉》≫]"
    r"(?:[ \t\u3000]*(?:\r\n|\r|\n)|[ \t\u3000]*(?=[^\sのをにがはとやへでも]))(?=\s*\S)"
)
# A title in a table cell of its own, pasted as text: 「審査支払業務<TAB>審査支払機能に…」.
_CELL_HEADING = re.compile(r"[ \u3000]*(?P<name>[^\t\n。、]+?)[ \u3000]*\t+(?=\s*\S)")


_TITLE_MAX = 50
"""Characters a title may have; a longer bracketed opening is part of the demand's text."""


def _title(text: str) -> re.Match[str] | None:
    found = _HEADING.match(text) or _CELL_HEADING.match(text)
    return found if found and len(found.group("name")) <= _TITLE_MAX else None


def item_heading(text: str) -> str:
    """The title an item opens on — 「（国保総合システム）」 or 「【財政支援】」 on its first line,
    or before its text (after a space or none: display forms join them), or a title cell
    before a tab (「審査支払業務<TAB>…」, a table pasted as text) — or "" when it has none.

    Prefectures' 提案・要望 books title each demand; the same demand copied from a web page or
    another year's book often comes without its title. The title names the demand and is not
    part of what it asks, as the 「一、」 before it is not. A sentence never opens on brackets,
    so brackets a particle follows (「（税）の軽減」, a stray space between or not) are wording,
    not a title; on a line of their own (「【あはき療養費】<LF>はり・きゅう…」) they are one."""
    found = _title(text)
    return found.group() if found else ""


_LABEL = re.compile(r"[0-9０-９一二三四五六七八九十百]+|[A-Za-zＡ-Ｚａ-ｚア-ンｱ-ﾝ]")
"""A title that only numbers or letters an item (「（１）」, 「（ア）」): a label, no name."""


def heading_name(text: str) -> str:
    """The words of an item's title (item_heading) without brackets, tab or spaces: 「【審査
    支払業務】」 and 「審査支払業務<TAB>」 name one title; a number label (「（１）」) names
    none."""
    found = _title(text)
    name = found.group("name").strip(" \t\u3000") if found else ""
    return "" if _LABEL.fullmatch(name) else name


def without_heading(text: str) -> str:
    """The item's text after its heading line (item_heading), or the whole text."""
    return text[len(item_heading(text)) :]


PAGE_NUMBER = re.compile(
    r"[-－―‐—−(（]?\s*(?:[PpＰｐ][.．]?\s*)?[0-9０-９]{1,3}\s*(?:[/／]\s*[0-9０-９]{1,3})?"
    r"\s*[-－―‐—−)）]?"
)
"""A page number alone on a line: 3, ３, - 3 -, －３－, ― 3 ―, 3/4, (3), P.3."""
_LINE = re.compile(r"[^\n]*(?:\n|$)")
_AFTER_LAST_SENTENCE = re.compile(r"。[」』）)]*[ \t\u3000]*(?:\r\n|\r|\n)(?P<tail>[^。]*)$")
_TRAILER_MAX = 40
"""Characters of what may follow a demand's last sentence on lines of its own and be layout
(a caption, a divider), not wording."""


def demand_body(text: str) -> str:
    """A demand's own text: without its title (item_heading), without lines that are a page
    number alone, and without what follows its last sentence on lines of its own when that is
    no sentence — a page's 「－ ４ －」, a newspaper's 「写真＝決議を採択した全国大会」 or 「◇」.

    Reprints put such debris inside or after a demand's text; a reader does not read it as
    part of the demand. A tail holding 「、」 or longer than _TRAILER_MAX may be wording a
    sentence end was lost from, and stays."""
    body = without_heading(text)
    kept = [ln for ln in _LINE.findall(body) if not PAGE_NUMBER.fullmatch(ln.strip())]
    body = "".join(kept)
    found = _AFTER_LAST_SENTENCE.search(body)
    if found:
        tail = found.group("tail").strip()
        if tail and "、" not in tail and len(tail) <= _TRAILER_MAX:
            body = body[: found.start("tail")]
    return body
