"""The HTML report in a real browser: headless Chromium renders it with no console errors and no
network requests, the table reads right (新 left, 旧 right, underlines not strike-through), the
phone layout stacks without sideways scrolling, and print gives A4 landscape with repeated heads.

Needs /usr/bin/chromium (or $CHROMIUM); the Playwright tests also need the `playwright` package,
which drives that Chromium (never `playwright install`: no browser is downloaded). The CLI test
uses Chromium's own --dump-dom/--screenshot, so it runs without Playwright.
The screenshot is taken into the test's temporary folder; `UPDATE_SCREENSHOT=1` (and only that)
copies it to docs/report-example.png.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resolution_archive.report import RENDERERS, Report
from tests.conftest import require_tool
from tests.test_report_helpers import ROOT, SCRIPT, example_report, hand_report

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = ROOT / "docs" / "report-example.png"
UPDATE_SCREENSHOT = os.environ.get("UPDATE_SCREENSHOT") == "1"


def chromium() -> str:
    return require_tool("chromium", CHROMIUM if Path(CHROMIUM).exists() else None,
                        f"not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")


def write_html(report: Report, directory: Path, name: str = "report.html") -> Path:
    path = directory / name
    path.write_bytes(RENDERERS["html"].render(report))
    return path


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """A Playwright context on the system Chromium with a fresh profile and no network."""
    executable = chromium()
    try:
        import playwright.sync_api as sync_api
    except ImportError:
        sync_api = require_tool("playwright", None, "pip install playwright (in the test extras)")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True, args=FLAGS
        )
        external: list[str] = []

        def only_files(route: Any) -> None:
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                external.append(route.request.url)
                route.abort()

        context.route("**/*", only_files)
        context.external = external
        try:
            yield context
        finally:
            context.close()
        assert external == [], f"the report asked for network resources: {external}"


def open_page(context: Any, path: Path, **viewport: int) -> tuple[Any, list[str]]:
    page = context.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    return page, errors


def test_example_report_renders_cleanly(browser: Any, tmp_path: Path) -> None:
    # The real tool version, since this page becomes docs/report-example.png.
    report = example_report(include_unchanged=False, tool_version=None)
    page, errors = open_page(browser, write_html(report, tmp_path), width=1200, height=900)
    heads = page.locator("table.taisho thead th")
    assert heads.nth(0).inner_text() == "改正後（2024年）"
    assert heads.nth(1).inner_text() == "改正前（2023年）"
    assert heads.nth(0).bounding_box()["x"] < heads.nth(1).bounding_box()["x"]
    table = page.inner_text("#resolution table.taisho")
    for change in report.resolution.changes:
        if change.kind != "unchanged" or change.moved:
            for text in filter(None, (change.new_text, change.old_text)):
                assert text.split("\n")[0][:20] in table
    assert "例示用のサンプル" in page.inner_text(".notice")
    styles = page.evaluate(
        """() => ['ins', 'del'].map(t => getComputedStyle(document.querySelector(t))
               .textDecorationLine)"""
    )
    assert styles == ["underline", "underline"]
    family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Hiragino Mincho ProN", "Yu Mincho"')
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
    if UPDATE_SCREENSHOT:
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
    assert errors == []


def test_markup_in_a_demand_stays_text(browser: Any, tmp_path: Path) -> None:
    page, errors = open_page(browser, write_html(hand_report(), tmp_path))
    assert page.locator("table.taisho script").count() == 0
    assert SCRIPT in page.inner_text("table.taisho")
    assert errors == []


def test_phone_layout_stacks_without_sideways_scroll(browser: Any, tmp_path: Path) -> None:
    page, errors = open_page(browser, write_html(example_report(), tmp_path), width=390, height=844)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    cells = page.locator("table.taisho tbody tr").first.locator("td")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1  # stacked, not side by side
    label = page.evaluate(
        """() => getComputedStyle(document.querySelector('table.taisho td'), '::before')
               .content"""
    )
    assert "改正後（2024年）" in label
    assert errors == []


def test_print_is_a4_landscape_with_repeating_table_heads(browser: Any, tmp_path: Path) -> None:
    page, errors = open_page(browser, write_html(example_report(), tmp_path))
    page.emulate_media(media="print")
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('table.taisho thead')).display"
        )
        == "table-header-group"
    )
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) >= 2  # the full example spans pages, so the head must repeat
    for width, height in boxes:
        assert abs(float(width) - 841.9) < 2 and abs(float(height) - 595.3) < 2
    assert errors == []


def test_chromium_cli_dump_dom_and_screenshot(tmp_path: Path) -> None:
    """Without Playwright: Chromium's own --dump-dom and --screenshot, console via its log."""
    executable = chromium()
    path = write_html(example_report(), tmp_path)
    base = [executable, "--headless", *FLAGS, "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run(
        [*base, f"--user-data-dir={tmp_path / 'p1'}", "--dump-dom", path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "改正後（2024年）" in dom.stdout and "公立病院等の医療提供体制" in dom.stdout
    shot = tmp_path / "cli.png"
    run = subprocess.run(
        [
            *base,
            f"--user-data-dir={tmp_path / 'p2'}",
            "--window-size=1280,1600",
            f"--screenshot={shot}",
            "--hide-scrollbars",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes().startswith(b"\x89PNG")
    console = [
        line
        for line in (dom.stderr + run.stderr).splitlines()
        if "CONSOLE" in line or "Failed to load resource" in line or "Uncaught" in line
    ]
    assert console == []
