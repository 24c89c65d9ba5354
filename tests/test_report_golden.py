"""Golden files: every format of the bundled example (2023 example → 2024 official, through the
real parser and engine) and of a hand-made report with every kind of change.

A failure means the output changed; if the change is intended, regenerate with
`UPDATE_GOLDEN=1 pytest tests/test_report_golden.py` and review the diff in git. DOCX is compared
through its extracted outline (text, underlines, header rows, page setup) rather than zip bytes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from resolution_archive.report import RENDERERS, Report
from resolution_archive.report.terminal import render_terminal
from tests.test_report_helpers import check_golden, docx_outline, example_report, hand_report

REPORTS: dict[str, Callable[[], Report]] = {
    "example": example_report,
    "example-changed-only": lambda: example_report(include_unchanged=False),
    "kinds": hand_report,
}


@pytest.mark.parametrize("name", list(REPORTS))
@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json"])
def test_text_formats(name: str, fmt: str) -> None:
    report = REPORTS[name]()
    check_golden(f"{name}.{fmt}", RENDERERS[fmt].render(report))


@pytest.mark.parametrize("name", list(REPORTS))
def test_docx_outline(name: str) -> None:
    check_golden(f"{name}.docx.txt", docx_outline(RENDERERS["docx"].render(REPORTS[name]())))


@pytest.mark.parametrize("name", ["example", "kinds"])
@pytest.mark.parametrize("color", [False, True])
def test_terminal(name: str, color: bool) -> None:
    suffix = "color" if color else "plain"
    check_golden(f"{name}.terminal-{suffix}.txt", render_terminal(REPORTS[name](), color=color))


def test_example_report_matches_the_intended_pairing() -> None:
    """Sanity of what the goldens hold: the example pair has the kinds data/README promises."""
    summary = example_report().resolution.summary
    assert summary["merged"] >= 1 and summary["dropped"] >= 1 and summary["reworded"] >= 1
