"""How often two careful readers agree on a year pair's changes, beside the engine.

The held-out figures score the engine against one writer's labels. Those labels carry the
writer's intent (they wrote the change); another reader sees only the texts, as the engine does.
This script scores readers who labelled a random sample of spent held-out pairs blind — from the
texts alone, without the writer's labels, descriptions or the engine — against the writer, against
each other, and the engine against all of them, with the changes-only F1 of diff_benchmark.py.

Run: `.venv/bin/python benchmarks/agreement.py` (a few seconds). The sample and the readers'
labels are in benchmarks/agreement/ (README.md there says how they were made).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import diff_benchmark as bench

HERE = Path(__file__).resolve().parent / "agreement"


def as_predicted(expected: list[dict[str, Any]]) -> bench.Predicted:
    """A reader's labels as a prediction (no related links: a reader pairs or does not)."""
    return [(e["kind"], tuple(e["old"]), tuple(e["new"]), e["moved"], ()) for e in expected]


def load() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, list[dict[str, Any]]]]]:
    """Sample cases by pair id (renamed to it), and each labeller's labels by pair id; the
    writer's are the case's own."""
    sample = json.loads((HERE / "sample.json").read_text("utf-8"))
    cases = {}
    for pid, name in sample["pairs"].items():
        path = bench.ROOT / "benchmarks/cases" / f"{name}.json"
        cases[pid] = {**json.loads(path.read_text("utf-8")), "name": pid}
    labels = {"writer": {pid: case["expected"] for pid, case in cases.items()}}
    for reader in sample["readers"]:
        labels[reader] = {
            pid: json.loads((HERE / reader / f"{pid}.json").read_text("utf-8"))["expected"]
            for pid in cases
        }
    return cases, labels


def agreement(
    cases: dict[str, dict[str, Any]],
    truth: dict[str, list[dict[str, Any]]],
    run: Callable[[dict[str, Any]], bench.Predicted],
) -> tuple[float, int, int]:
    """Changes-only F1 of `run` against `truth`, and the successors of `truth` it pairs or
    relates (of all)."""
    scored = [{**case, "expected": truth[pid]} for pid, case in cases.items()]
    paired = total = 0
    for case in scored:
        counts = bench.related_counts(run(case), case["expected"])
        paired += counts[2]
        total += counts[3]
    return bench.changes_f1(scored, run), paired, total


def main() -> None:
    cases, labels = load()
    engine = {pid: bench.engine(case) for pid, case in cases.items()}
    def reader(by: dict[str, list[dict[str, Any]]]) -> Callable[[dict[str, Any]], bench.Predicted]:
        return lambda case: as_predicted(by[case["name"]])

    runs = {name: reader(by) for name, by in labels.items()}
    runs["engine"] = lambda case: engine[case["name"]]
    print(f"{len(cases)} pairs sampled from spent held-out sets; labellers: {', '.join(labels)}")
    print("Each cell: changes-only F1 of the row's labels with the column's as truth, and the")
    print("column's successor pairs that the row pairs (or, for the engine, relates).\n")
    print(f"{'':8}" + "".join(f"{name:>20}" for name in labels))
    for row in runs:
        cells = []
        for column in labels:
            if row == column:
                cells.append(f"{'—':>20}")
                continue
            f1, paired, total = agreement(cases, labels[column], runs[row])
            cells.append(f"{f1:>11.3f} ({paired:>2}/{total:<2})")
        print(f"{row:8}" + "".join(cells))
    print()
    readers = [name for name in labels if name != "writer"]
    for a, b in combinations(labels, 2):
        f1, _, _ = agreement(cases, labels[b], runs[a])
        print(f"{a} and {b} agree: changes-only F1 {f1:.3f}")
    if readers:
        mean = sum(agreement(cases, labels["writer"], runs[r])[0] for r in readers) / len(readers)
        engine_f1 = agreement(cases, labels["writer"], runs["engine"])[0]
        print(f"\nagainst the writer: readers {mean:.3f} on average, engine {engine_f1:.3f}")


if __name__ == "__main__":
    main()
