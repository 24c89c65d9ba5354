"""Scale figures of the diff engine (issue #11): printed, never asserted.

Run: `.venv/bin/python benchmarks/engine_scale.py [--runs 3]`.

Each measurement is a fresh process so that peak memory (ru_maxrss) is the figure of that run
alone: importing the engine (`import resolution_archive.diff`, against `python -c pass`), and
diff_items on the synthetic 1,000- and 5,000-demand pairs of diff_benchmark.synthetic_pair
(about 80 % of demands unchanged, the rest reworded, added, dropped or moved). Targets: a
1,000-demand pair ≤ 0.6 s through the library, a 5,000-demand pair no slower or larger than
before the speed work (3.5 s, 849 MiB). Medians of --runs; wall times on a shared machine are
noisy, the CPU time (user + system of the process) less so.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {bench!r})
n = {n}
if n:
    from diff_benchmark import synthetic_pair
    old, new = synthetic_pair(n)
t0 = time.perf_counter()
{statement}
imported = time.perf_counter() - t0
elapsed = cpu = 0.0
if n:
    from resolution_archive.diff import diff_items
    def used():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime
    t0, c0 = time.perf_counter(), used()
    diff_items(old, new)
    elapsed, cpu = time.perf_counter() - t0, used() - c0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"import": imported, "diff": elapsed, "cpu": cpu, "rss": rss}}))
"""


def measure(statement: str, n: int) -> dict[str, float]:
    code = _CHILD.format(bench=str(ROOT / "benchmarks"), n=n, statement=statement)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = [
        ("python -c pass", "pass", 0),
        ("import resolution_archive.diff", "import resolution_archive.diff", 0),
        ("diff_items, 1,000 demands", "import resolution_archive.diff", 1000),
        ("diff_items, 5,000 demands", "import resolution_archive.diff", 5000),
    ]
    print(f"medians of {args.runs} fresh processes (noisy on a shared machine)")
    for label, statement, n in rows:
        runs = [measure(statement, n) for _ in range(args.runs)]
        imp = statistics.median(r["import"] for r in runs)
        diff = statistics.median(r["diff"] for r in runs)
        rss = statistics.median(r["rss"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        timing = f"diff {diff:6.2f} s (cpu {cpu:5.2f} s)" if n else f"import {imp * 1000:5.0f} ms"
        print(f"{label:<34} {timing}   peak memory {rss:6.0f} MiB")


if __name__ == "__main__":
    main()
