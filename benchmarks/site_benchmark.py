"""`archive site` on a 60-year archive: a first build, rebuilds, and a rebuild after one import.

    .venv/bin/python benchmarks/site_benchmark.py [--years 60] [--runs 3] [--seed 9]

The synthetic archive comes from history_benchmark.generate (shared, not copied): 60 years of
texts, 12–40 demands a year, rewording, merges, splits, drops and re-appearances. It is built in
a temporary folder and never kept. Every figure is `archive --db URL site OUT` run as a user runs
it (a separate process, wall clock and the process's CPU time), on SQLite:

* first build: a fresh archive whose pairing cache is empty, into an empty folder;
* build into an empty folder with the cache warm (threads' pairings already stored);
* rebuild with nothing changed: how many files it rewrote (should be none);
* rebuild after importing one more year: time, and how many files it wrote / left / removed.

Target (issue #10): a 60-year site in under 10 s. The machine is shared and timings are noisy:
medians of --runs are printed. Progress is shown on a terminal (tqdm), nothing when piped.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from history_benchmark import generate  # the shared generator (issue #9), found by path
from history_benchmark import run_archive as run

OUTCOME = re.compile(r"(\d+) pages?; (\d+) files? written, (\d+) unchanged, (\d+) removed")


def outcome(stdout: str) -> tuple[int, int, int, int]:
    match = OUTCOME.search(stdout)
    if match is None:
        raise SystemExit(f"unexpected output from archive site: {stdout!r}")
    pages, written, unchanged, removed = (int(g) for g in match.groups())
    return pages, written, unchanged, removed


def sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        texts = work / "texts"
        texts.mkdir()
        paths = generate(args.years, args.seed, texts)
        steps = 2 + 4 * args.runs
        bar = tqdm(total=steps, desc="site benchmark", unit="step", file=sys.stderr,
                   disable=None, leave=False)

        # archives made once: all years (cache empty), and all but the last (cache warm, built)
        full, head = work / "full.sqlite3", work / "head.sqlite3"
        run(sqlite(full), "import", *map(str, paths))
        run(sqlite(head), "import", *map(str, paths[:-1]))
        run(sqlite(head), "site", str(work / "head-site"))
        bar.update(2)

        first, warm, same, after = [], [], [], []
        counts: dict[str, tuple[int, int, int, int]] = {}
        for i in range(args.runs):
            cold = work / f"cold-{i}.sqlite3"
            shutil.copyfile(full, cold)  # an archive that has never built threads
            wall, cpu, out = run(sqlite(cold), "site", str(work / f"first-{i}"))
            first.append((wall, cpu))
            counts["first build (cold cache, empty folder)"] = outcome(out)
            bar.update()
            wall, cpu, out = run(sqlite(cold), "site", str(work / f"warm-{i}"))
            warm.append((wall, cpu))
            counts["build (warm cache, empty folder)"] = outcome(out)
            bar.update()
            wall, cpu, out = run(sqlite(cold), "site", str(work / f"warm-{i}"))
            same.append((wall, cpu))
            counts["rebuild, nothing changed"] = outcome(out)
            bar.update()
            db, site = work / f"next-{i}.sqlite3", work / f"next-site-{i}"
            shutil.copyfile(head, db)
            shutil.copytree(work / "head-site", site)
            run(sqlite(db), "import", str(paths[-1]))
            wall, cpu, out = run(sqlite(db), "site", str(site))
            after.append((wall, cpu))
            counts[f"rebuild after importing {paths[-1].stem}"] = outcome(out)
            bar.update()
        bar.close()

    print(f"{len(paths)} synthetic years {paths[0].stem}–{paths[-1].stem} (seed {args.seed}), "
          f"SQLite; medians of {args.runs} runs; target < 10 s")
    print(f"\n  {'':<44}{'wall':>9}{'CPU':>9}   pages  written  unchanged  removed")
    for (name, counted), timings in zip(counts.items(), (first, warm, same, after), strict=True):
        wall = statistics.median(t[0] for t in timings)
        cpu = statistics.median(t[1] for t in timings)
        pages, written, unchanged, removed = counted
        print(f"  {name:<44}{wall:8.2f}s{cpu:8.2f}s   {pages:5d}  {written:7d}  {unchanged:9d}"
              f"  {removed:7d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
