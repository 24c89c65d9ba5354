"""Which old items became which new items: the whole-matrix alignment and move detection.

Order of decisions, each on what the previous left over:

1. equal comparison forms pair up as unchanged (in document order for duplicates);
2. an optimal one-to-one assignment over the TF-IDF cosine matrix proposes pairs; a pair is kept
   when it is strong (cosine ≥ pair_accept) or both items are each other's best counterpart
   (cosine ≥ pair_min) — so no single global cut-off and no greedy order decide;
3. a left-over item joins a paired item as part of a merge/split when enough of its 3-grams
   occur there and it covers text of that item its present partner lacks (so shared
   boilerplate cannot make a merge); or it pairs 1:1 with a left-over item that contains most
   of it (a demand rewritten around a new topic whose core clause survived). Only each left-over
   item's five best-containing counterparts are examined, which keeps 1,000-item inputs fast;
4. whatever is still left is added or dropped.

Moves are the paired groups outside a longest increasing subsequence of old positions taken in
new order, so an insertion above does not make everything below it "moved".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from resolution_archive.diff.similarity import Vectors, group_cosine, vectorize
from resolution_archive.diff.thresholds import Thresholds

_CANDIDATES_PER_PART = 5


@dataclass
class Group:
    """Old and new item indices (0-based) that correspond; one side may be empty."""

    old: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    similarity: float | None = None
    exact: bool = False


def align(
    old_forms: Sequence[str], new_forms: Sequence[str], thresholds: Thresholds
) -> list[Group]:
    """Partition all old and new items into groups; every index appears in exactly one group."""
    groups: list[Group] = []
    pending: dict[str, list[int]] = {}
    for i, form in enumerate(old_forms):
        pending.setdefault(form, []).append(i)
    for j, form in enumerate(new_forms):
        queue = pending.get(form)
        if queue:
            groups.append(Group([queue.pop(0)], [j], 1.0, exact=True))
    paired_old = {g.old[0] for g in groups}
    paired_new = {g.new[0] for g in groups}
    rest_old = [i for i in range(len(old_forms)) if i not in paired_old]
    rest_new = [j for j in range(len(new_forms)) if j not in paired_new]

    if rest_old and rest_new:
        vectors = vectorize(old_forms, new_forms)
        groups.extend(_align_rest(vectors, rest_old, rest_new, thresholds))

    covered_old = {i for g in groups for i in g.old}
    covered_new = {j for g in groups for j in g.new}
    groups.extend(Group([i], []) for i in range(len(old_forms)) if i not in covered_old)
    groups.extend(Group([], [j]) for j in range(len(new_forms)) if j not in covered_new)
    for g in groups:
        g.old.sort()
        g.new.sort()
    return groups


def _align_rest(
    vectors: Vectors, rest_old: list[int], rest_new: list[int], th: Thresholds
) -> list[Group]:
    """Steps 2–3 of the module docstring on the items equality did not pair."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    cosine = vectors.cosine()
    sub = cosine[np.ix_(rest_old, rest_new)]
    rows, cols = linear_sum_assignment(sub, maximize=True)
    row_best = sub.max(axis=1)
    col_best = sub.max(axis=0)
    groups: list[Group] = []
    by_old: dict[int, Group] = {}
    by_new: dict[int, Group] = {}
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        score = float(sub[r, c])
        mutual = score >= row_best[r] and score >= col_best[c]
        if score >= th.pair_accept or (mutual and score >= th.pair_min):
            group = Group([rest_old[r]], [rest_new[c]], min(1.0, max(0.0, score)))
            groups.append(group)
            by_old[rest_old[r]] = group
            by_new[rest_new[c]] = group

    left_old = [i for i in rest_old if i not in by_old]
    left_new = [j for j in rest_new if j not in by_new]
    if not left_old and not left_new:
        return groups

    # Candidate attachments (containment, direction, part, whole): a left-over item (the part)
    # and any item not paired by equality on the other side (the whole).
    floor = min(th.part_containment, th.rescue_containment)
    candidates: list[tuple[float, int, int, int]] = []
    for direction, parts, wholes, part_counts, whole_counts in (
        (0, left_old, rest_new, vectors.old_counts, vectors.new_counts),
        (1, left_new, rest_old, vectors.new_counts, vectors.old_counts),
    ):
        if not parts:
            continue
        forward = vectors.containment(part_counts[parts], whole_counts[wholes])
        # A part joins one whole; its few best-containing wholes are enough to look at.
        top = min(_CANDIDATES_PER_PART, len(wholes))
        best = np.argsort(-forward, axis=1, kind="stable")[:, :top]
        for a, row in enumerate(best.tolist()):
            for b in row:
                if forward[a, b] >= floor:
                    candidates.append((float(forward[a, b]), direction, parts[a], wholes[b]))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2], c[3]))

    grams = (_GramSets(vectors, vectors.old_counts), _GramSets(vectors, vectors.new_counts))
    changed: set[int] = set()
    used = (set(by_old), set(by_new))
    index = (by_old, by_new)
    for score, direction, part, whole in candidates:
        part_side, whole_side = direction, 1 - direction
        if part in used[part_side]:
            continue
        target = index[whole_side].get(whole)
        if target is None:
            # The whole is itself left over: a 1:1 pairing by containment (core clause kept).
            if score < th.rescue_containment or whole in used[whole_side]:
                continue
            target = Group()
            _side(target, whole_side).append(whole)
            index[whole_side][whole] = target
            used[whole_side].add(whole)
            groups.append(target)
        else:
            members = _side(target, part_side)
            if score < th.part_containment or len(_side(target, whole_side)) != 1:
                continue
            # A part must bring text of the whole that its present counterparts lack;
            # shared boilerplate adds nothing and so cannot make a merge or split.
            whole_set = grams[whole_side].of(whole)
            covered = grams[part_side].union(members)
            gain = grams[whole_side].weight((grams[part_side].of(part) & whole_set) - covered)
            if gain < th.part_gain * grams[whole_side].total(whole):
                continue
        _side(target, part_side).append(part)
        used[part_side].add(part)
        index[part_side][part] = target
        changed.add(id(target))

    for group in groups:
        if id(group) in changed:
            group.similarity = group_cosine(vectors, group.old, group.new)
    return [g for g in groups if g.old and g.new]


def _side(group: Group, side: int) -> list[int]:
    return group.old if side == 0 else group.new


class _GramSets:
    """Containment 3-gram column sets of one document's items, and their IDF weights."""

    def __init__(self, vectors: Vectors, counts: Any) -> None:
        self._counts = counts
        self._idf = vectors.idf
        self._tri = vectors.tri
        self._cache: dict[int, frozenset[int]] = {}
        self._totals: dict[int, float] = {}

    def of(self, item: int) -> frozenset[int]:
        if item not in self._cache:
            row = self._counts.getrow(item)
            self._cache[item] = frozenset(int(c) for c in row.indices.tolist() if self._tri[c] > 0)
        return self._cache[item]

    def union(self, items: Sequence[int]) -> frozenset[int]:
        out: frozenset[int] = frozenset()
        for item in items:
            out |= self.of(item)
        return out

    def weight(self, columns: frozenset[int]) -> float:
        return float(self._idf[list(columns)].sum()) if columns else 0.0

    def total(self, item: int) -> float:
        if item not in self._totals:
            self._totals[item] = self.weight(self.of(item))
        return self._totals[item]


def moved_groups(groups: Sequence[Group]) -> set[int]:
    """Indices (into `groups`) of paired groups outside a longest increasing subsequence.

    Groups are taken in new-document order and compared by their first old position; ties in
    the LIS are broken towards the earliest candidates, which keeps the result deterministic.
    """
    paired = sorted(
        (k for k, g in enumerate(groups) if g.old and g.new),
        key=lambda k: (groups[k].new[0], groups[k].old[0]),
    )
    keys = [groups[k].old[0] for k in paired]
    tails: list[int] = []  # positions in `keys` of the smallest tail of each length
    previous: list[int] = [-1] * len(keys)
    import bisect

    tail_values: list[int] = []
    for pos, key in enumerate(keys):
        at = bisect.bisect_left(tail_values, key)
        if at > 0:
            previous[pos] = tails[at - 1]
        if at == len(tails):
            tails.append(pos)
            tail_values.append(key)
        else:
            tails[at] = pos
            tail_values[at] = key
    keep: set[int] = set()
    pos = tails[-1] if tails else -1
    while pos >= 0:
        keep.add(pos)
        pos = previous[pos]
    return {paired[pos] for pos in range(len(keys)) if pos not in keep}
