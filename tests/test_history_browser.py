"""The timeline heat-map and the history page in headless Chromium: no console errors, no
network requests, cells coloured by change kind with the wording as their tooltip, and the
wording printed when the page is printed. Built from the bundled texts without a database
(parse → diff_items → build_threads), as a static-site builder would.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from resolution_archive.diff import diff_items
from resolution_archive.lineage import ThreadSet, YearItems, build_threads
from resolution_archive.parse import parse_text
from resolution_archive.report.threads import COLOURS, history_html, timeline_html
from resolution_archive.text.encoding import decode_source
from tests.conftest import EXAMPLE_2022, EXAMPLE_2023, SEED
from tests.test_report_browser import browser, open_page  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

SCRIPT = "<script>document.title='pwned'</script>"


def bundled_threads(extra: str | None = None) -> ThreadSet:
    years = []
    for year, path in ((2022, EXAMPLE_2022), (2023, EXAMPLE_2023), (2024, SEED)):
        parsed = parse_text(decode_source(path.read_bytes()).text)
        items = tuple(d.text for d in parsed.demands)
        if extra and year == 2024:
            items += (extra,)
        years.append(YearItems(year, items))
    pairings = [diff_items(a.items, b.items).changes for a, b in pairwise(years)]
    return build_threads(years, pairings)


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def test_timeline_heat_map_renders_cleanly(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    threads = bundled_threads(f"国保の{SCRIPT}を講じること。")
    path = tmp_path / "timeline.html"
    path.write_text(timeline_html(threads.timeline(), title="要望の年表"), "utf-8")
    page, errors = open_page(browser, path, width=1200, height=900)
    cell = page.locator("td.k-reworded").first
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == rgb(
        COLOURS["reworded"][0])
    title = cell.get_attribute("title") or ""
    assert "（変更）" in title and "こと。" in title
    assert page.title() == "要望の年表"  # the demand's markup stayed text
    assert page.locator("table.heat tbody tr").count() == len(threads.threads)
    assert not page.locator("section.wording").is_visible()
    page.emulate_media(media="print")
    assert page.locator("section.wording").is_visible()
    assert SCRIPT in page.inner_text("section.wording")
    assert errors == []


def test_history_page_renders_cleanly(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    thread = bundled_threads().thread_of(2024, 7)
    assert thread is not None
    path = tmp_path / "history.html"
    path.write_text(history_html([thread], title="要望の変遷: 2024:7"), "utf-8")
    page, errors = open_page(browser, path, width=1000, height=800)
    assert page.locator("tbody tr").count() == 2
    assert page.inner_text("ins").startswith("子ども・子育て支援金制度につい")
    styles = page.evaluate(
        "() => ['ins', 'del'].map(t => getComputedStyle(document.querySelector(t))"
        ".textDecorationLine)")
    assert styles == ["underline", "line-through"]
    assert errors == []
