"""Saved web page (.html/.htm) → text, in the charset the page declares.

Pages of 国保連合会 newsletters and municipal sites are often Shift_JIS and declare it in a
<meta> tag; the declared charset is used (Shift_JIS read as its superset CP932), and a page
that declares nothing is decoded like a text file. Navigation, breadcrumbs, asides, headers,
footers, scripts and forms are dropped before the text is taken; every block element becomes a
line of its own (a <p> an indented paragraph start), so the parser sees the page's structure.
The page's own report prose that remains is left to the parser, which keeps only the 決議 and
宣言 blocks.
"""

from __future__ import annotations

import codecs
import re

from bs4 import BeautifulSoup, Tag
from bs4.dammit import EncodingDetector

from resolution_archive.errors import InputError
from resolution_archive.extract.model import Extracted
from resolution_archive.text.encoding import decode_source

# Declared names → the codec that reads what Japanese pages labelled that way really contain.
_CODEC_FOR = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
              "windows-31j": "cp932", "ms932": "cp932", "euc-jp": "euc-jp",
              "x-euc-jp": "euc-jp"}
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "form", "button", "select", "iframe", "svg", "head")
_DROP_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search")
_DROP_NAMES = re.compile(r"breadcrumb|bread|topicpath|pankuzu|gnav|globalnav|sidebar|side-|"
                         r"\bnav|menu|footer|header|sns|share|pagetop|contact|inquiry|"
                         r"toiawase|related|kanren", re.IGNORECASE)
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "blockquote",
           "pre", "section", "article", "main", "table", "ul", "ol", "dl", "address", "center")
_MARKER = re.compile(r"^[\s\u3000]*一[\s\u3000]*[、，,､．.]")


def _decode(data: bytes) -> tuple[str, str]:
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    if declared:
        name = declared.lower()
        codec = _CODEC_FOR.get(name, name)
        try:
            codecs.lookup(codec)
        except LookupError:
            codec = ""
        if codec and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                          codecs.BOM_UTF16_BE)):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass  # a wrong declaration: fall back to detection, which explains failures
    decoded = decode_source(data)
    return decoded.text, decoded.encoding


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS:
        return True
    if (tag.get("role") or "") in _DROP_ROLES:
        return True
    names = " ".join([str(tag.get("id") or ""), *list(tag.get("class") or [])])
    return bool(names.strip()) and bool(_DROP_NAMES.search(names))


def _list_items_are_demands(items: list[Tag]) -> bool:
    """An <ol>/<ul> whose items are sentences and carry no 「一、」 of their own: the list's
    numbering is the demand marker (as in automatic numbering in Word)."""
    texts = [item.get_text("", strip=True) for item in items]
    return bool(texts) and all(t.endswith(("。", "こと")) and not _MARKER.match(t) for t in texts)


def extract_html(data: bytes, filename: str) -> Extracted:
    text, encoding = _decode(data)
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(True):
        if isinstance(tag, Tag) and not tag.decomposed and _is_chrome(tag):
            tag.decompose()
    for listing in soup.find_all(["ol", "ul"]):
        items = [li for li in listing.find_all("li", recursive=False) if isinstance(li, Tag)]
        if _list_items_are_demands(items):
            for li in items:
                li.insert(0, "一、")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        if isinstance(block, Tag):
            lead = "\n\u3000" if block.name == "p" else "\n"
            block.insert_before(lead)
            block.insert_after("\n")
    root = soup.body or soup
    lines = [re.sub(r"[ \t]+", " ", line).rstrip() for line in root.get_text().split("\n")]
    lines = [line if line.strip() else "" for line in lines]
    body = "\n".join(lines)
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n")
    if not body.strip():
        raise InputError(f"{filename}: the web page has no text in it; save the page that "
                         "shows the resolution (決議), or give its PDF or text")
    return Extracted("html", body, encoding)
