"""The built site in headless Chromium, as a reader meets it.

A crawl from the home page (opened from disk, file://) must reach every year, pair and thread
page with no broken link or anchor, no console error and no request leaving the site, at 390 px
without sideways scrolling; search must find the 子ども・子育て支援金 demand and its links must
work; hostile text must stay text everywhere, search results included; print gives A4 (pair pages
landscape). The same site is also checked through the 127.0.0.1 preview server.

Needs /usr/bin/chromium (or $CHROMIUM) and the playwright package (no browser download), as
test_report_browser.py. `UPDATE_SCREENSHOTS=1` copies the home and a thread page screenshot into
docs/ for the README; otherwise screenshots go to a temporary folder only.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from resolution_archive.site.output import MANIFEST
from resolution_archive.site.serve import make_server, url_of
from tests.conftest import EXAMPLE_2022, EXAMPLE_2023, ROOT, SEED, Cli
from tests.test_report_browser import FLAGS, chromium
from tests.test_site import HOSTILE_NAME, IMG, SCRIPT, hostile_text

pytestmark = pytest.mark.browser

UPDATE = os.environ.get("UPDATE_SCREENSHOTS") == "1"
DOCS = ROOT / "docs"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}


def build_site(directory: Path, *texts: tuple[Path, bytes | None]) -> Path:
    """An archive of `texts` (a path, with bytes to write there first) and its site, via the CLI."""
    cli = Cli(f"sqlite:///{directory / 'archive.sqlite3'}")
    for path, data in texts:
        if data is not None:
            path.write_bytes(data)
        result = cli("import", str(path))
        assert result.exit_code == 0, result.output
    result = cli("site", str(directory / "site"))
    assert result.exit_code == 0, result.output
    return directory / "site"


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bundled")
    return build_site(directory, (SEED, None), (EXAMPLE_2023, None), (EXAMPLE_2022, None))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("hostile")
    return build_site(directory, (EXAMPLE_2023, None), (SEED, None),
                      (directory / HOSTILE_NAME, hostile_text()))


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    executable = chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """A browser context that lets only the site's own files through and records everything a
    reader should never see: console errors or warnings, script errors, dialogs (an injected
    alert), requests that leave the site."""

    def __init__(self, browser: Any, allowed: tuple[str, ...] = ("file://",)) -> None:
        self.context = browser.new_context()
        self.allowed = allowed
        self.problems: list[str] = []
        self.context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.allowed):
            route.continue_()
        else:
            self.problems.append(f"request leaving the site: {url}")
            route.abort()

    def page(self, viewport: dict[str, int] = DESKTOP) -> Any:
        page = self.context.new_page()
        page.set_viewport_size(viewport)
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(chromium_browser: Any) -> Iterator[Visit]:
    v = Visit(chromium_browser)
    try:
        yield v
    finally:
        v.close()
    assert v.problems == []


def site_pages(site: Path) -> set[str]:
    import json

    files = json.loads((site / MANIFEST).read_text(encoding="utf-8"))["files"]
    return {(site / name).as_uri() for name in files if name.endswith(".html")}


def crawl(page: Any, site: Path) -> tuple[set[str], list[str]]:
    """Every page reachable from the home page; problems: broken links/anchors, overflow."""
    root = site.as_uri() + "/"
    queue = [root + "index.html"]
    seen: set[str] = set()
    ids: dict[str, set[str]] = {}
    anchors: list[tuple[str, str, str]] = []
    problems: list[str] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        page.goto(url, wait_until="load")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            problems.append(f"{url}: {width} px wide at {page.viewport_size['width']} px")
        ids[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        for link in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if not link.startswith(root):
                problems.append(f"{url}: link outside the site: {link}")
                continue
            target, _, fragment = link.partition("#")
            path = Path(unquote(urlsplit(target).path))
            if not path.is_file():
                problems.append(f"{url}: broken link {link}")
            elif target.endswith(".html"):
                queue.append(target)
                if fragment:
                    anchors.append((url, target, fragment))
    for source, target, fragment in anchors:
        if fragment not in ids.get(target, set()):
            problems.append(f"{source}: no #{fragment} in {target}")
    return seen, problems


def test_crawl_reaches_every_page_at_390px(visit: Visit, bundled_site: Path) -> None:
    page = visit.page(PHONE)
    seen, problems = crawl(page, bundled_site)
    assert problems == []
    assert seen == site_pages(bundled_site)
    kinds = {re.sub(r"\d+", "N", url.split("/site/", 1)[1]) for url in seen}
    assert kinds == {"index.html", "N/index.html", "N-N/index.html", "thread/N-N/index.html"}
    assert len([u for u in seen if "/thread/" in u]) >= 13


def test_every_page_is_japanese_and_styled(visit: Visit, bundled_site: Path) -> None:
    page = visit.page()
    for url in sorted(site_pages(bundled_site)):
        page.goto(url, wait_until="load")
        assert page.evaluate("() => document.documentElement.lang") == "ja"
        assert page.evaluate("() => document.styleSheets.length") == 1, url
        assert page.evaluate("() => getComputedStyle(document.body).marginTop") == "0px"


def test_search_finds_the_kosodate_demand_and_its_links_work(
    visit: Visit, bundled_site: Path
) -> None:
    page = visit.page()
    page.goto((bundled_site / "index.html").as_uri())
    page.fill("#q", "子育て")
    page.wait_for_selector("#search-results li")
    results = page.locator("#search-results li")
    assert results.count() == 1
    assert "子ども・子育て支援金制度" in results.first.inner_text()
    assert results.first.locator("mark").inner_text() == "子育て"
    assert "1件" in page.inner_text("#search-status")
    results.first.locator("a.where").click()
    page.wait_for_url(re.compile(r"/2024/index\.html#d-7$"))
    assert page.evaluate("() => document.querySelector(':target').id") == "d-7"
    assert "子ども・子育て支援金制度" in page.inner_text("#d-7")
    page.go_back()
    page.wait_for_selector("#search-results li")
    page.locator("#search-results li a.thread").click()
    page.wait_for_url(re.compile(r"/thread/\d{4}-\d+/index\.html$"))
    assert "子ども・子育て支援金制度" in page.inner_text("h1")
    assert "2024" in page.inner_text("#versions")


def test_search_from_another_page_and_by_normalised_form(visit: Visit, bundled_site: Path) -> None:
    page = visit.page()
    page.goto((bundled_site / "2023" / "index.html").as_uri())
    page.fill("#q-top", "ＫＤＢ")  # full-width in the query, half-width or full in the texts
    page.press("#q-top", "Enter")
    page.wait_for_selector("#search-results li")
    assert page.url.split("?")[0].endswith("/site/index.html")
    texts = page.locator("#search-results li").all_inner_texts()
    assert texts and all("ＫＤＢ" in t or "KDB" in t for t in texts)
    page.fill("#q", "存在しない語句")
    page.wait_for_function("() => !document.querySelector('#search-results li')")
    assert "見つかりませんでした" in page.inner_text("#search-status")


def test_hostile_text_stays_text_on_every_page_and_in_search(
    visit: Visit, hostile_site: Path
) -> None:
    page = visit.page()
    pages = site_pages(hostile_site)
    shown = 0
    for url in sorted(pages):
        page.goto(url, wait_until="load")
        scripts = page.eval_on_selector_all("script", "els => els.map(e => e.src)")
        assert all(s.startswith(hostile_site.as_uri() + "/assets/") for s in scripts), url
        assert page.locator("img").count() == 0, url
        body = page.inner_text("body")
        shown += SCRIPT in body or IMG in body
    assert shown >= 3  # the year page, the pair page and the home page's heat-map at least
    page.goto((hostile_site / "2025" / "index.html").as_uri())
    assert f"一、{SCRIPT}を廃止すること。" in page.inner_text("#resolution")
    assert HOSTILE_NAME in page.inner_text("#source")
    page.goto((hostile_site / "index.html").as_uri() + "?q=onerror")
    page.wait_for_selector("#search-results li")
    assert IMG in page.inner_text("#search-results")
    assert page.locator("#search-results img").count() == 0
    page.fill("#q", "script")
    page.wait_for_function(
        "() => document.querySelector('#search-results').innerText.includes('<script>')")
    assert page.locator("#search-results script").count() == 0


def test_print_is_a4_and_pair_pages_landscape(visit: Visit, bundled_site: Path) -> None:
    page = visit.page()

    def media_boxes(relative: str) -> list[tuple[float, float]]:
        page.goto((bundled_site / relative).as_uri())
        page.emulate_media(media="print")
        pdf = page.pdf(prefer_css_page_size=True)
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
        return [(float(w), float(h)) for w, h in boxes]

    for width, height in media_boxes("2024/index.html"):
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2
    boxes = media_boxes("2023-2024/index.html")
    assert boxes
    for width, height in boxes:
        assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2
    assert page.evaluate("() => getComputedStyle(document.querySelector('header.site')).display"
                         ) == "none"


def test_preview_server_serves_the_same_site(chromium_browser: Any, bundled_site: Path) -> None:
    server = make_server(bundled_site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = url_of(server)
    v = Visit(chromium_browser, allowed=(url,))
    try:
        page = v.page()
        page.goto(url + "index.html?q=子育て")
        page.wait_for_selector("#search-results li")
        page.locator("#search-results li a.where").click()
        page.wait_for_url(url + "2024/index.html#d-7")
        page.goto(url)  # the folder URL itself serves index.html on a web host
        assert "決議・宣言アーカイブ" in page.inner_text("h1")
    finally:
        v.close()
        server.shutdown()
        server.server_close()
    assert v.problems == []


def test_screenshots_of_home_and_a_thread_page(
    visit: Visit, bundled_site: Path, tmp_path: Path
) -> None:
    page = visit.page(DESKTOP)
    page.goto((bundled_site / "index.html").as_uri() + "?q=子育て")
    page.wait_for_selector("#search-results li")
    home = tmp_path / "site-home.png"
    page.screenshot(path=str(home), full_page=True)
    page.locator("#search-results li a.thread").click()
    page.wait_for_selector("#versions")
    thread = tmp_path / "site-thread.png"
    page.screenshot(path=str(thread), full_page=True)
    for shot in (home, thread):
        assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
    if UPDATE:
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(home, DOCS / "site-home.png")
        shutil.copyfile(thread, DOCS / "site-thread.png")
