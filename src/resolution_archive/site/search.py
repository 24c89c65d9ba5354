"""The site's search index: every demand and declaration paragraph of every year, prebuilt.

It is a JavaScript file that assigns one global rather than a JSON file fetched at run time,
because browsers refuse fetch() from file:// pages: a `<script src>` loads from disk and from
any static host alike. Entries carry the display text (what results show) and the comparison
form (NFKC, no whitespace — text/normalize.py), so the browser matches exactly what
`archive search` matches and ＫＤＢ finds KDB.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from resolution_archive.site.model import INDEX, href, thread_page, year_page
from resolution_archive.text.normalize import comparison_form

if TYPE_CHECKING:
    from resolution_archive.site.model import SiteData

GLOBAL = "ARCHIVE_SEARCH_INDEX"
INDEX_FORMAT = 1


def entries(data: SiteData) -> list[dict[str, Any]]:
    """Newest year first (the order results are listed in), demands before the declaration.

    A demand's entry also names its thread page (`h`) and the thread's title (`ht`), so a result
    leads both to the year's text and to the demand's history.
    """
    out: list[dict[str, Any]] = []
    for year in reversed(data.years):
        record = year.record
        page = year_page(record.year)
        for kind, prefix, texts in (("d", "d", record.demands), ("p", "p", record.paragraphs)):
            for number, text in enumerate(texts, start=1):
                entry: dict[str, Any] = {
                    "y": record.year,
                    "k": kind,
                    "n": number,
                    "t": text,
                    "f": comparison_form(text),
                    "u": href(INDEX, f"{page}#{prefix}-{number}"),
                }
                thread = data.threads.thread_of(record.year, number) if kind == "d" else None
                if thread is not None:
                    entry["h"] = href(INDEX, thread_page(thread.id))
                    entry["ht"] = thread.title
                out.append(entry)
    return out


def index_script(data: SiteData) -> bytes:
    """`window.ARCHIVE_SEARCH_INDEX = {...};` — JSON is valid JavaScript, so no escaping beyond
    JSON's own is needed in a separate .js file."""
    payload = {"format": INDEX_FORMAT, "series": data.series_name, "entries": entries(data)}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"window.{GLOBAL} = {text};\n".encode()
