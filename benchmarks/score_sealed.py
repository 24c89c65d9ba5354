"""Score sealed sets with headline figures only, so that scoring shows nothing of their cases.

Run: `.venv/bin/python benchmarks/score_sealed.py h7 h8` (set prefixes under benchmarks/sealed/).
A sealed set is committed with this score of the engine as it was when the set was written
("its score first"); after an engine change it is scored once more, and from then on it is
spent. `diff_benchmark.py --sealed` prints the full tables, including every mismatch: that
output is a look at the set.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import diff_benchmark as bench

from resolution_archive.diff import ENGINE_VERSION

SEALED = Path(__file__).resolve().parent / "sealed"


def main(prefixes: list[str]) -> int:
    if not prefixes:
        print("usage: score_sealed.py PREFIX [PREFIX ...]   (e.g. h7)", file=sys.stderr)
        return 2
    engines = {"engine": bench.engine, "line-diff": bench.line_diff, "char-diff": bench.char_diff}
    print(f"engine {ENGINE_VERSION}")
    together: list[dict[str, Any]] = []
    for prefix in prefixes:
        paths = sorted(SEALED.glob(f"{prefix}_*.json"))
        if not paths:
            print(f"no sealed set {prefix!r} in {SEALED}", file=sys.stderr)
            return 1
        cases = [json.loads(p.read_text("utf-8")) for p in paths]
        cells = "  ".join(f"{n} {bench.changes_f1(cases, run):.2f}" for n, run in engines.items())
        print(f"{prefix} ({len(cases)} pairs), changes-only F1: {cells}")
        together.extend(cases)
    if len(prefixes) > 1:
        # Pooled over every change of every set, not an average of the sets' figures.
        cells = "  ".join(
            f"{n} {bench.changes_f1(together, run):.2f}" for n, run in engines.items()
        )
        print(f"together ({len(together)} pairs), changes-only F1: {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
