"""Year-over-year diff of demands and declaration paragraphs.

Importing this package is cheap: the engine (and numpy, scipy, SudachiPy behind it) loads on
first use of one of its names, so `archive --help` and the report registry stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from resolution_archive.diff.model import KINDS, Change, DiffResult, Kind, Op

ENGINE_VERSION = "1"
"""Bumped whenever the engine can pair demands differently; cached pairings carry it, so a new
engine recomputes them instead of serving the old engine's answers."""

if TYPE_CHECKING:
    from resolution_archive.diff.engine import JOINER, diff_items, diff_paragraphs
    from resolution_archive.diff.inline import inline_ops, render
    from resolution_archive.diff.thresholds import Thresholds

_LAZY = {
    "JOINER": "engine",
    "diff_items": "engine",
    "diff_paragraphs": "engine",
    "inline_ops": "inline",
    "render": "inline",
    "Thresholds": "thresholds",
}

__all__ = [
    "ENGINE_VERSION",
    "JOINER",
    "KINDS",
    "Change",
    "DiffResult",
    "Kind",
    "Op",
    "Thresholds",
    "diff_items",
    "diff_paragraphs",
    "inline_ops",
    "render",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
