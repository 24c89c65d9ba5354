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

    Tuning rationale (`python benchmarks/diff_benchmark.py`, 14 labelled pairs; each value was
    swept with the others fixed and set inside the range that scores F1 = 1.0):

    * pair_min 0.4 (good range 0.36–0.44): true rewordings score ≥ 0.44, the hardest being a
      demand whose key term became its successor policy; below 0.36 an added 高額療養費 demand
      and a dropped 出産育児一時金 demand (0.34) pair up because they share only the clause
      「国保の運営に支障…国の責任において必要な財政措置を講じること」. Above 0.44 the
      オンライン資格確認 → 医療・介護DX rewording is lost.
    * pair_accept 0.55 (anything 0.38–0.8 scores the same): a guard, not a decider — only
      pairs nobody prefers need it, and the benchmark has none above 0.4 that are wrong.
    * part_containment 0.25 (0.1–0.4) and part_gain 0.15 (0.05–0.3): the gain does the work.
      A split part may be half new text (the KDB demand keeps ~35 % of its 3-grams in the old
      国保連合会 demand), so containment must stay ≤ 0.4; a merged/split part adds ≥ 35 % of
      the joined text that its partner lacks, boilerplate adds ~0, so the gain bar sits low.
    * rescue_containment 0.6 (0.5–1.0): at 0.4 the boilerplate-sharing 出産育児一時金 demand
      (53 % contained in the 高額療養費 one at IDF offset 1, 45 % now) was rescued wrongly.

    IDF uses ln((1+N)/(1+df)) + 0.3 (similarity.IDF_OFFSET): scikit-learn's +1 left shared
    boilerplate too heavy to tell the two cases above apart (0.45 vs 0.49).
    """

    pair_accept: float = field(
        default=0.55,
        metadata={
            "doc": "Cosine at or above which an optimal-assignment pair is accepted even if the "
            "two items are not each other's best counterpart."
        },
    )
    pair_min: float = field(
        default=0.4,
        metadata={
            "doc": "Cosine floor for a mutual-best assignment pair; below it both items stay "
            "added/dropped."
        },
    )
    part_containment: float = field(
        default=0.25,
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
        default=0.6,
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
