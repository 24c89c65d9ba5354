"""Year-over-year diff of demands and declaration paragraphs.

Importing this package loads the engine and what it uses (numpy, SudachiPy, diff-match-patch;
about 85 ms, half of it numpy). The CLI imports it inside the commands that compare; the report
layer names the plain results through resolution_archive.diff_model, which loads none of that.
"""

from __future__ import annotations

from resolution_archive.diff.concepts import BUILT_IN, Lexicon, read_families, with_local
from resolution_archive.diff.engine import (
    JOINER,
    change_ops,
    diff_items,
    diff_paragraphs,
    document_order,
)
from resolution_archive.diff.inline import inline_ops, render
from resolution_archive.diff.thresholds import Thresholds
from resolution_archive.diff_model import KINDS, Change, DiffResult, Kind, Op, Related

ENGINE_VERSION = "2026.11.30-48"
"""Changes whenever the engine can give a different result for the same input (pairings,
similarities, inline ops, related links). Bumped by hand with every such change; caches of
results key on it."""

__all__ = [
    "BUILT_IN",
    "ENGINE_VERSION",
    "JOINER",
    "KINDS",
    "Change",
    "DiffResult",
    "Kind",
    "Lexicon",
    "Op",
    "Related",
    "Thresholds",
    "change_ops",
    "diff_items",
    "diff_paragraphs",
    "document_order",
    "inline_ops",
    "read_families",
    "render",
    "with_local",
]
