"""Year-over-year diff of demands and declaration paragraphs.

Importing this package is cheap: numpy, scipy and SudachiPy load on first use.
"""

from resolution_archive.diff.engine import JOINER, diff_items, diff_paragraphs
from resolution_archive.diff.inline import inline_ops, render
from resolution_archive.diff.model import KINDS, Change, DiffResult, Kind, Op
from resolution_archive.diff.thresholds import Thresholds

__all__ = [
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
