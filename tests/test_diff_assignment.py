"""The aligner's own assignment gives exactly scipy's answer, ties included (issue #11)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from resolution_archive.diff.assignment import maximum_assignment


def _matrices() -> list[np.ndarray]:
    rng = np.random.default_rng(12)
    out: list[np.ndarray] = []
    for trial in range(600):
        rows, cols = (int(x) for x in rng.integers(1, 14, size=2))
        if trial % 3 == 0:  # few distinct values: many equal optima
            out.append(rng.integers(0, 3, size=(rows, cols)).astype(np.float64))
        elif trial % 3 == 1:
            out.append(rng.random((rows, cols)))
        else:
            out.append(np.round(rng.random((rows, cols)), 1))
    out.append(np.zeros((5, 5)))
    out.append(np.ones((3, 7)))
    out.append(np.ones((7, 3)))
    out.append(np.round(rng.random((150, 140)), 2))
    return out


@pytest.mark.parametrize("matrix", _matrices(), ids=lambda m: f"{m.shape[0]}x{m.shape[1]}")
def test_same_assignment_as_scipy(matrix: np.ndarray) -> None:
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    assert maximum_assignment(matrix) == (rows.tolist(), cols.tolist())


def test_empty_and_invalid() -> None:
    assert maximum_assignment(np.zeros((0, 4))) == ([], [])
    with pytest.raises(ValueError, match="NaN"):
        maximum_assignment(np.array([[0.1, float("nan")]]))
    with pytest.raises(ValueError, match="matrix"):
        maximum_assignment(np.zeros(3))
