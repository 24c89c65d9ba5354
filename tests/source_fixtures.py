"""Session-wide source files made with real tools (seconds each), shared by the test modules.

A missing tool skips the tests that need it locally; with ARCHIVE_TEST_REQUIRE_ALL set (CI,
.ci/run) it fails them, so CI can never pass without having run them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import sources
from tests.conftest import require_tool

YEARS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "benchmarks/parse_cases/years.json").read_text(encoding="utf-8"))
R2024: dict[str, Any] = next(r for r in YEARS if r["name"] == "2024")
OTHER_SERIES: dict[str, Any] = next(r for r in YEARS if r["series"] == "全国町村長大会")


def require(tool: str) -> None:
    """Skip without `tool`, or fail when the run must have every tool (CI): conftest decides."""
    reason = sources.missing_tool(tool)
    require_tool(tool, None if reason else tool, reason or "")


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sources")


@pytest.fixture(scope="session")
def handout_pdf(workdir: Path) -> bytes:
    require("chromium")
    return sources.chromium_pdf(sources.handout_html(R2024), workdir, "handout")


@pytest.fixture(scope="session")
def vertical_pdf(workdir: Path) -> bytes:
    require("chromium")
    return sources.chromium_pdf(sources.vertical_html(R2024), workdir, "vertical")


@pytest.fixture(scope="session")
def scanned_pdf(workdir: Path, handout_pdf: bytes) -> bytes:
    require("pdftoppm")
    return sources.scanned_pdf(handout_pdf, workdir)


@pytest.fixture(scope="session")
def encrypted_pdf(workdir: Path) -> bytes:
    require("soffice")
    return sources.encrypted_pdf(sources.word_file(R2024, numbered=False), workdir)


