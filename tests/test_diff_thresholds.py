"""Thresholds overrides, cheap package import, and the benchmark as a regression guard."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from resolution_archive.diff import Thresholds

ROOT = Path(__file__).resolve().parents[1]


def test_from_overrides_replaces_named_values() -> None:
    th = Thresholds.from_overrides({"pair_min": "0.3", "part_gain": 0.2})
    assert th.pair_min == 0.3 and th.part_gain == 0.2
    assert th.pair_accept == Thresholds().pair_accept
    assert Thresholds.from_overrides({}) == Thresholds()


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown threshold 'pair_mn'") as info:
        Thresholds.from_overrides({"pair_mn": 0.3})
    for name in Thresholds.names():
        assert name in str(info.value)


@pytest.mark.parametrize("value", ["abc", -0.1, 1.5, "nan", None])
def test_bad_values_are_rejected(value: object) -> None:
    with pytest.raises(ValueError, match="pair_min"):
        Thresholds.from_overrides({"pair_min": value})  # type: ignore[dict-item]


def test_describe_documents_every_threshold() -> None:
    described = Thresholds().describe()
    assert [name for name, _, _ in described] == list(Thresholds.names())
    assert all(doc for _, _, doc in described)
    assert Thresholds().as_dict() == {name: value for name, value, _ in described}


def _loaded_after(statement: str) -> list[str]:
    code = (
        f"import sys; {statement}\n"
        "heavy = ('numpy', 'scipy', 'scipy.optimize', 'sklearn', 'sudachipy')\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    return out.split(",") if out else []


def test_the_results_model_loads_no_heavy_module() -> None:
    """Reports and the CLI name results via diff_model without loading the engine."""
    assert _loaded_after("import resolution_archive.diff_model, resolution_archive.report") == []


def test_the_engine_does_not_load_scipy() -> None:
    """The assignment and the sparse products are the engine's own (scipy.optimize and
    scipy.sparse cost about 380 ms of import on every `archive diff`)."""
    loaded = _loaded_after("import resolution_archive.diff")
    assert "numpy" in loaded and "sudachipy" in loaded
    assert "scipy" not in loaded


def test_benchmark_cases_stay_above_target() -> None:
    path = ROOT / "benchmarks" / "diff_benchmark.py"
    spec = importlib.util.spec_from_file_location("diff_benchmark", path)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cases = bench.load_cases()
    assert len(cases) >= 8
    totals = [0, 0, 0]
    for case in cases:
        for tp, pred, exp in bench.score(bench.engine(case), case["expected"]).values():
            totals[0] += tp
            totals[1] += pred
            totals[2] += exp
    _, _, f1 = bench.prf(*totals)
    assert f1 >= 0.95


def test_slot_name_is_a_character_count_with_its_own_range() -> None:
    assert Thresholds.from_overrides({"slot_name": "6"}).slot_name == 6.0
    with pytest.raises(ValueError, match=r"slot_name.*between 0 and 1000"):
        Thresholds.from_overrides({"slot_name": 5000})
    with pytest.raises(ValueError, match="between 0 and 1, got 2"):
        Thresholds.from_overrides({"slot_prior": 2})


def test_benchmark_scores_related_links() -> None:
    """A related link is correct on an expected successor or where related_ok allows it, and
    every other one is a false positive in the strict headline."""
    path = ROOT / "benchmarks" / "diff_benchmark.py"
    spec = importlib.util.spec_from_file_location("diff_benchmark", path)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    expected = [
        {"kind": "reworded", "old": [3], "new": [4], "moved": False, "successor": True},
        {"kind": "reworded", "old": [1], "new": [1], "moved": False, "successor": True},
        {"kind": "dropped", "old": [2], "new": [], "moved": False},
        {"kind": "added", "old": [], "new": [5], "moved": False, "related_ok": [2]},
        {"kind": "added", "old": [], "new": [6], "moved": False},
    ]
    predicted = [
        ("added", (), (4,), False, (3,)),  # the successor, related: correct
        ("dropped", (3,), (), False, ()),
        ("dropped", (2,), (), False, ()),
        ("added", (), (5,), False, (2,)),  # allowed by related_ok: correct
        ("added", (), (6,), False, (1,)),  # wrong
        ("dropped", (1,), (), False, (6,)),  # a dropped change's mirror link is not counted
    ]
    # 2 correct, 1 wrong; of 2 successors one is related, the other (旧1→新1) is neither
    # paired nor related (the link to 新6 belongs to another added demand).
    assert bench.related_counts(predicted, expected) == [2, 1, 1, 2]
    totals = {label: [0, 0, 0] for label in bench.LABELS}
    for label, counts in bench.score(predicted, expected).items():
        totals[label] = counts
    tp, pred, exp = bench.strict_counts(totals, 1)
    plain = [sum(totals[label][k] for label in bench.CHANGE_LABELS) for k in range(3)]
    assert (tp, pred, exp) == (plain[0], plain[1] + 1, plain[2])
    assert bench.prf(tp, pred, exp)[2] < bench.prf(*plain)[2]
