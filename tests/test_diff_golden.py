"""Every benchmark and bundled year pair's diff JSON, byte for byte against tests/golden/diff/.

The files were written before the engine's speed work (issue #11), so a faster engine that
changes a single pairing, similarity or inline op fails here. Deliberate result changes rewrite
them with `UPDATE_GOLDEN=1 pytest tests/test_diff_golden.py` and are reviewed in git. The sealed
set (benchmarks/sealed/) is not read: it is scored once, by hand, at the end of the engine work.
"""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType
from typing import Any

import pytest

from resolution_archive.diff import diff_items, diff_paragraphs
from tests.test_report_helpers import ROOT, check_golden


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "diff_benchmark", ROOT / "benchmarks/diff_benchmark.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCHMARK = _benchmark()


def _cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = list(BENCHMARK.load_tuning_cases())
    for path in sorted((ROOT / "benchmarks/heldout").glob("*.json")):
        cases.append(json.loads(path.read_text("utf-8")))
    # Two synthetic pairs large enough that the similarity matrix, the assignment and the
    # containment candidates all run on hundreds of items, with ties and near-ties among them.
    old, new = BENCHMARK.synthetic_pair(300, seed=3)
    cases.append({"name": "synthetic-300-churn", "old": old, "new": new})
    reworded = [t.replace("こと", "ことを求める") for t in new]
    cases.append({"name": "synthetic-300-reworded", "old": old, "new": reworded})
    return cases


CASES = _cases()


def test_every_case_is_covered() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    assert len(names) >= 40  # 22 tuning pairs, 21 held-out pairs, 2 synthetic


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_diff_json_matches_golden(case: dict[str, Any]) -> None:
    run = diff_paragraphs if case.get("unit") == "paragraph" else diff_items
    result = run(case["old"], case["new"])
    text = json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n"
    check_golden(f"diff/{case['name']}.json", text)
