"""The diff engine's plain-data results, re-exported from resolution_archive.diff_model.

They live outside this package so the report layer and the CLI can name them without loading
the engine (numpy, SudachiPy), which this package imports at its top.
"""

from resolution_archive.diff_model import KINDS, Change, DiffResult, Kind, Op, Related

__all__ = ["KINDS", "Change", "DiffResult", "Kind", "Op", "Related"]
