"""Plain-data results of the diff engine, and their public JSON shape.

The JSON shape is a public contract (issue #3): keys may be added, never renamed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["unchanged", "reworded", "merged", "split", "added", "dropped"]
KINDS: tuple[Kind, ...] = ("unchanged", "reworded", "merged", "split", "added", "dropped")
Op = tuple[Literal["=", "-", "+"], str]


@dataclass(frozen=True)
class Change:
    """One row of the comparison: what became of some old demands in the new document.

    `old`/`new` are 1-based positions (empty for added/dropped). `ops` are inline edit operations
    over the original (display) characters: joining the "=" and "-" parts gives `old_text`,
    joining "=" and "+" gives `new_text`. `date_only` marks a rewording that only changes dates
    or years (令和5年→令和6年), which reports list apart from substantive changes.
    """

    kind: Kind
    old: tuple[int, ...]
    new: tuple[int, ...]
    old_text: str
    new_text: str
    ops: tuple[Op, ...] = ()
    similarity: float | None = None
    moved: bool = False
    date_only: bool = False
    decided_by: str | None = None  # a reviewer's decision (archive link/unlink) made this row

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "old": list(self.old),
            "new": list(self.new),
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "moved": self.moved,
            "date_only": self.date_only,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "ops": [[op, text] for op, text in self.ops],
        }
        if self.decided_by is not None:
            data["decided_by"] = self.decided_by
        return data


@dataclass(frozen=True)
class DiffResult:
    """Every old and every new item accounted for exactly once, changes in document order."""

    changes: tuple[Change, ...]
    thresholds: dict[str, float] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(KINDS, 0)
        for change in self.changes:
            counts[change.kind] += 1
        counts["moved"] = sum(1 for c in self.changes if c.moved)
        counts["date_only"] = sum(1 for c in self.changes if c.date_only)
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "changes": [c.to_json() for c in self.changes],
        }
