"""Named, documented decision thresholds of the diff engine (the CLI's `--threshold name=value`)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs the aligner uses; every value is a share in 0..1.

    Similarity is TF-IDF cosine over character 2–3-grams of comparison forms (IDF over both
    documents' items); containment is the IDF-weighted share of one item's character 3-grams
    that occur in another.

    Tuning rationale (benchmarks/cases, `python benchmarks/diff_benchmark.py`): true
    rewordings of a demand score 0.35–0.95 and are almost always each other's best counterpart,
    while unrelated demands that only share boilerplate (「国の責任において必要な財政措置を講じ
    ること」) stay below 0.15 once IDF has discounted the boilerplate. Hence a low floor for
    mutual-best pairs (`pair_min`) and a higher bar (`pair_accept`) for assignment pairs that are
    not mutually best (the assignment may force a pairing nobody prefers). Parts of a merge or
    split keep 60–100 % of their weighted 3-grams in the joined text, unrelated demands under
    35 %, so `part_containment` sits between; `part_share` stops a short boilerplate-only demand
    from being swallowed by a long one, and `rescue_containment` lets a demand rewritten around a
    new topic pair with its successor when the core clause survives (cosine is low there, but the
    old form is still largely contained in the new one). The whole range 0.45–0.7 for
    `part_containment` and 0.1–0.2 for `pair_min` gives the same benchmark score; the defaults sit
    in the middle.
    """

    pair_accept: float = field(
        default=0.45,
        metadata={
            "doc": "Cosine at or above which an optimal-assignment pair is accepted even if the "
            "two items are not each other's best counterpart."
        },
    )
    pair_min: float = field(
        default=0.15,
        metadata={
            "doc": "Cosine floor for a mutual-best assignment pair; below it both items stay "
            "added/dropped."
        },
    )
    part_containment: float = field(
        default=0.3,
        metadata={
            "doc": "Share of a left-over item's weighted 3-grams that must occur in a paired "
            "item for it to join that item as part of a merge or split."
        },
    )
    part_gain: float = field(
        default=0.15,
        metadata={
            "doc": "Share of the joined text's weighted 3-grams a merge/split part must cover "
            "beyond what its partners already cover (boilerplate cannot make a merge)."
        },
    )
    rescue_containment: float = field(
        default=0.45,
        metadata={
            "doc": "Containment that pairs two left-over items 1:1 although their cosine was "
            "too low (a demand rewritten around a new topic keeping its core clause)."
        },
    )

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The field names, in declaration order."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, float | str]) -> Thresholds:
        """Defaults with some values replaced; unknown names or bad values raise ValueError."""
        known = cls.names()
        values: dict[str, float] = {}
        for name, raw in overrides.items():
            if name not in known:
                raise ValueError(
                    f"unknown threshold {name!r}; known thresholds: {', '.join(known)}"
                )
            try:
                value = float(raw)
            except (TypeError, ValueError):
                raise ValueError(
                    f"threshold {name!r} needs a number between 0 and 1, got {raw!r}"
                ) from None
            if math.isnan(value) or not 0.0 <= value <= 1.0:
                raise ValueError(f"threshold {name!r} must be between 0 and 1, got {raw!r}")
            values[name] = value
        return dataclasses.replace(cls(), **values)

    def describe(self) -> list[tuple[str, float, str]]:
        """(name, value, what it decides) for each threshold, for `archive thresholds`."""
        return [
            (f.name, float(getattr(self, f.name)), str(f.metadata.get("doc", "")))
            for f in dataclasses.fields(self)
        ]

    def as_dict(self) -> dict[str, float]:
        """Plain values, recorded in DiffResult.thresholds so a result says how it was made."""
        return {name: float(getattr(self, name)) for name in self.names()}
