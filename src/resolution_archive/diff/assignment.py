"""An optimal one-to-one assignment (maximum total score) for the aligner.

The engine used scipy.optimize.linear_sum_assignment, whose import alone cost about 210 ms of
every `archive diff` for matrices of a few dozen rows. This is the same algorithm — the shortest
augmenting path method of Jonker–Volgenant as described by Crouse (2016) and implemented in
scipy's rectangular_lsap.cpp — with the same arithmetic and the same tie-breaking, so it returns
exactly scipy's assignment, including among equal-scored optima (checked in
tests/test_diff_assignment.py against scipy on random matrices full of ties). The scan over the
remaining columns of one augmentation step is a numpy vector operation, so a 1,000 × 1,000
matrix stays fast.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def maximum_assignment(score: NDArray[np.float64]) -> tuple[list[int], list[int]]:
    """Rows and columns of a maximum-score matching that covers the smaller side.

    Rows come out ascending, as from scipy.optimize.linear_sum_assignment(score, maximize=True).
    """
    cost = np.asarray(score, dtype=np.float64)
    if cost.ndim != 2:
        raise ValueError("expected a matrix")
    if cost.shape[0] == 0 or cost.shape[1] == 0:
        return [], []
    if np.isnan(cost).any():
        raise ValueError("the score matrix contains NaN")
    transpose = cost.shape[1] < cost.shape[0]
    if transpose:
        cost = cost.T
    cost = np.ascontiguousarray(-cost)
    col4row = _assign(cost)
    if transpose:
        order = sorted(range(len(col4row)), key=col4row.__getitem__)
        return [col4row[r] for r in order], order
    return list(range(len(col4row))), col4row


def _assign(cost: NDArray[np.float64]) -> list[int]:
    """Minimum-cost assignment of every row (rows ≤ columns); the column of each row."""
    nr, nc = cost.shape
    u = np.zeros(nr, dtype=np.float64)
    v = np.zeros(nc, dtype=np.float64)
    col4row = [-1] * nr
    row4col = np.full(nc, -1, dtype=np.int64)
    path = np.full(nc, -1, dtype=np.int64)
    for cur in range(nr):
        sink, min_val, shortest, visited_rows, visited_cols = _augmenting_path(
            cost, u, v, path, row4col, cur
        )
        u[cur] += min_val
        for i in visited_rows:
            if i != cur:
                u[i] += min_val - shortest[col4row[i]]
        v[visited_cols] -= min_val - shortest[visited_cols]
        j = sink
        while True:
            i = int(path[j])
            row4col[j] = i
            col4row[i], j = j, col4row[i]
            if i == cur:
                break
    return col4row


def _augmenting_path(
    cost: NDArray[np.float64],
    u: NDArray[np.float64],
    v: NDArray[np.float64],
    path: NDArray[np.int64],
    row4col: NDArray[np.int64],
    start: int,
) -> tuple[int, float, NDArray[np.float64], list[int], NDArray[np.int64]]:
    """One shortest augmenting path from row `start`, scanning columns in scipy's order.

    scipy keeps the unvisited columns in an array `remaining` (initially nc-1 … 0) and removes
    the chosen entry by moving the last one into its place; the scan order decides ties, so
    the same bookkeeping is kept here. Among columns of the lowest reduced cost the scan keeps
    the first one, unless some are unassigned: then the last unassigned one.
    """
    nc = cost.shape[1]
    remaining = np.arange(nc - 1, -1, -1, dtype=np.int64)
    num_remaining = nc
    shortest = np.full(nc, np.inf, dtype=np.float64)
    visited_rows: list[int] = []
    visited_cols: list[int] = []
    min_val = 0.0
    i = start
    while True:
        visited_rows.append(i)
        cols = remaining[:num_remaining]
        reduced = min_val + cost[i, cols] - u[i] - v[cols]
        current = shortest[cols]
        better = reduced < current
        if better.any():
            hit = cols[better]
            path[hit] = i
            shortest[hit] = reduced[better]
            current = shortest[cols]
        lowest = float(current.min())
        if lowest == np.inf:
            raise ValueError("no feasible assignment")
        ties = np.flatnonzero(current == lowest)
        free = ties[row4col[cols[ties]] == -1]
        index = int(free[-1]) if free.size else int(ties[0])
        min_val = lowest
        j = int(remaining[index])
        visited_cols.append(j)
        num_remaining -= 1
        remaining[index] = remaining[num_remaining]
        if row4col[j] == -1:
            return j, min_val, shortest, visited_rows, np.asarray(visited_cols, dtype=np.int64)
        i = int(row4col[j])
