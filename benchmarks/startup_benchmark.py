"""Whole-process timings of the everyday commands, against a bare interpreter start.

Each command runs N times as a new process (the way a user runs it) on a scratch archive
holding the bundled texts; the runs of all commands are interleaved so a busy machine slows
them alike. Printed per command: the median wall time, its ratio to `python -c pass` of the
same interpreter measured in the same run, the issue's target, and the median CPU time (user +
system, less disturbed by other load than wall time). The peak memory of
`archive diff` is the child's ru_maxrss. Two further lines say what part of the diff's time is
the diff engine's imports (numpy, the whole engine package, Sudachi with its dictionary; the
engine no longer imports scipy), so the figures
can be re-read after the engine changes.

    python benchmarks/startup_benchmark.py [-n 10] [--compare OTHER/src]

--compare runs the same commands from another checkout's src/ (e.g. a `git worktree` of the
main branch) with this interpreter, interleaved with these runs, so a before/after is measured
under the same load.

Timings on a shared machine are noisy: compare medians from one run, not across runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [ROOT / "data/official/2024.txt", ROOT / "data/examples/2023.txt",
         ROOT / "data/examples/2022.txt"]
MIB = 1024 * 1024

# name → (argv after `archive`, target seconds)
COMMANDS: dict[str, tuple[list[str], float]] = {
    "list": (["list"], 0.25),
    "show 2024": (["show", "2024"], 0.25),
    "diff 2023 2024": (["diff", "2023", "2024"], 0.35),
    "export 2023 2024 --format html": (["export", "2023", "2024", "--format", "html", "-o",
                                        "{out}"], 0.35),
}
DIFF_MEMORY_TARGET_MIB = 150
ENGINE_IMPORTS = {
    "numpy": "import numpy",
    "the whole engine (resolution_archive.diff)": "import resolution_archive.diff",
    "sudachipy + core dictionary": "from sudachipy import Dictionary, SplitMode; "
                                   "Dictionary(dict='core').tokenizer(SplitMode.B)",
}


def archive_argv() -> list[str]:
    """The installed `archive` script beside this interpreter, else `python -m`."""
    script = Path(sys.executable).parent / "archive"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "resolution_archive"]


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (bytes) of a child."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.stderr is not None
    err = child.stderr.read().decode()
    child.stderr.close()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {err}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=10, help="runs per command")
    parser.add_argument("--compare", type=Path, metavar="SRC",
                        help="also time the commands from another checkout's src/ folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ra-startup-"))
    try:
        env = {**os.environ, "ARCHIVE_HOME": str(work), "NO_COLOR": "1"}
        env.pop("ARCHIVE_DATABASE_URL", None)
        # The warm-up run writes .pyc files, as on any machine that runs the tool more than
        # once; with PYTHONDONTWRITEBYTECODE set (some sandboxes and CI images set it) every
        # run would compile the package's sources again (about 30 ms for the engine alone).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        archive = archive_argv()
        run([*archive, "import", *map(str, TEXTS)], env)
        out = str(work / "report.html")

        jobs: dict[str, list[str]] = {"python -c pass": [sys.executable, "-c", "pass"]}
        for name, (argv, _) in COMMANDS.items():
            jobs[name] = [*archive, *(a.format(out=out) for a in argv)]
        for name, code in ENGINE_IMPORTS.items():
            jobs[name] = [sys.executable, "-c", code]
        envs = {name: env for name in jobs}
        if args.compare:
            for name, (argv, _) in COMMANDS.items():
                other = f"{name} [{args.compare}]"
                jobs[other] = [sys.executable, "-m", "resolution_archive",
                               *(a.format(out=out) for a in argv)]
                envs[other] = {**env, "PYTHONPATH": str(args.compare.resolve())}
        times: dict[str, list[float]] = {name: [] for name in jobs}
        cpu: dict[str, list[float]] = {name: [] for name in jobs}
        memory: dict[str, list[int]] = {name: [] for name in jobs}
        for name, argv in jobs.items():  # one warm-up each (page cache, .pyc files)
            run(argv, envs[name])
        for _ in range(args.runs):
            for name, argv in jobs.items():
                seconds, cpu_seconds, rss = run(argv, envs[name])
                times[name].append(seconds)
                cpu[name].append(cpu_seconds)
                memory[name].append(rss)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    bare = statistics.median(times["python -c pass"])
    print(f"median of {args.runs} whole-process runs; {sys.executable} "
          f"(Python {sys.version.split()[0]})")
    print(f"{'command':<40}{'median':>9}{'× bare':>8}{'target':>9}{'':>5}{'peak MiB':>9}"
          f"{'CPU':>9}")
    print(f"{'python -c pass':<40}{bare:>8.3f}s{1:>8.1f}{'':>14}"
          f"{max(memory['python -c pass']) / MIB:>8.0f}"
          f"{statistics.median(cpu['python -c pass']):>8.3f}s")
    for name, (_, target) in COMMANDS.items():
        median = statistics.median(times[name])
        verdict = "ok" if median <= target else "OVER"
        print(f"{'archive ' + name:<40}{median:>8.3f}s{median / bare:>8.1f}"
              f"{'≤' + format(target, '.2f') + 's':>9}{verdict:>5}"
              f"{max(memory[name]) / MIB:>8.0f}{statistics.median(cpu[name]):>8.3f}s")
        if args.compare:
            other = f"{name} [{args.compare}]"
            median = statistics.median(times[other])
            print(f"{'  from ' + str(args.compare):<40}{median:>8.3f}s{median / bare:>8.1f}"
                  f"{'':>14}{max(memory[other]) / MIB:>8.0f}"
                  f"{statistics.median(cpu[other]):>8.3f}s")
    peak = max(memory["diff 2023 2024"]) / MIB
    print(f"peak memory of archive diff: {peak:.0f} MiB (target ≤ {DIFF_MEMORY_TARGET_MIB} MiB: "
          f"{'ok' if peak <= DIFF_MEMORY_TARGET_MIB else 'OVER'})")
    print("diff engine's share (a process doing only the import, minus a bare start):")
    for name in ENGINE_IMPORTS:
        median = statistics.median(times[name])
        print(f"  {name:<26}{(median - bare) * 1000:>6.0f} ms"
              f"{max(memory[name]) / MIB:>8.0f} MiB peak")


if __name__ == "__main__":
    main()
