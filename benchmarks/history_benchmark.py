"""The archive across 60 years: import, first and warm `timeline`, `history`, `search`.

    .venv/bin/python benchmarks/history_benchmark.py [--years 60] [--runs 5] [--seed 9]

Generates a synthetic 60-year archive (1965–2024, 12–40 demands a year) in a temporary
directory — demands reworded, merged, split, dropped, re-appearing after a gap, new topics — and
never keeps it. Then, on SQLite and (when ARCHIVE_TEST_POSTGRES_URL is set) on a fresh
PostgreSQL database, it times end to end as a user would run them (separate `archive`
processes, wall clock):

* `archive import` of all 60 files in one command;
* the first `archive timeline` (computes and caches every pairing);
* warm `timeline`, `history YEAR:N`, `search 子育て` and `search 国保` (median of --runs);
* `archive list` as the start-up floor every command pays;
* in-process: warm thread building (`history.load_threads`) and search's own SQL query
  (`store.threads.search`) for a three-character and a two-character word (median of 20).

Targets (issue #9): first timeline < 3 s; warm timeline, history, search < 0.5 s each; the
search query < 50 ms. The machine is shared, so figures are noisy: medians are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARCHIVE = str(Path(sys.executable).with_name("archive"))

TOPICS = [
    "国保の財政基盤強化のための公費投入", "普通調整交付金の所得調整機能", "保険者努力支援制度",
    "医療費助成に係る地方単独事業の国庫負担減額調整措置", "子どもの医療費助成に係る全国一律の制度",
    "子育て世帯の均等割保険料（税）の軽減制度", "国保総合システムの開発及び運用",
    "ＫＤＢシステムの更なる活用", "特定健康診査・特定保健指導の実施率向上",
    "医療・保健・介護人材の確保と地域偏在の解消", "公立病院等の医療提供体制の確保",
    "被用者保険の適用拡大の検討", "国民健康保険組合の健全な運営",
    "後期高齢者医療制度の安定的な運営",
    "介護保険制度の持続可能性の確保", "オンライン資格確認等システムの導入",
    "保険料（税）の減免措置に係る財政支援", "出産育児一時金の支給額の見直し",
    "傷病手当金の支給に係る財政支援", "データヘルス計画の推進と保健事業の充実",
    "高額療養費制度の見直し", "市町村国保の赤字解消に向けた取組", "都道府県単位化後の財政運営",
    "保険者機能の強化に向けた支援", "医療費適正化計画の推進", "重複・頻回受診者への保健指導",
    "後発医薬品の使用促進", "柔道整復療養費の適正化", "第三者行為求償事務の推進",
    "国保連合会の審査支払機能の強化", "診療報酬改定に伴うシステム改修の財政措置",
    "地域包括ケアシステムの構築", "認知症施策の推進と保険者の役割", "障害者医療費助成制度の在り方",
    "ひとり親家庭等医療費助成制度の在り方", "外国人被保険者の資格管理の適正化",
    "災害時における保険料（税）の減免への支援", "新型感染症の影響を受けた被保険者への支援",
    "少子化対策の財源確保に係る国保への配慮", "医療・介護ＤＸの推進と地方の意見の反映",
    "保険証の廃止に伴う追加的な事務への支援", "へき地医療の確保と医師派遣への支援",
    "国保直営診療施設の整備への支援", "歯科健診の充実と口腔の健康づくり",
    "健康づくり事業への財政支援の拡充", "保健師等専門職の確保と育成", "レセプト点検の充実強化",
    "収納率向上に向けた取組への支援", "滞納処分の適正な実施への支援",
    "低所得者に対する保険料軽減の拡充",
]
# qualifiers make more distinct topics out of the base ones (a real archive has new ones yearly)
QUALIFIERS = ["", "に係る事務負担の軽減", "の周知・広報", "に係る地方の裁量の確保"]
TOPICS = [base + q for q in QUALIFIERS for base in TOPICS]
CLAUSES_A = [
    "国の責任において", "地方の意見を十分に踏まえ", "市町村等保険者の負担とならないよう",
    "保険者の実情を踏まえ", "被保険者の負担の公平を図るため", "制度の持続可能性を確保するため",
    "安定的な財政運営が可能となるよう", "地域の実情に応じて",
]
CLAUSES_B = [
    "必要な財政措置を確実に講じる", "十分な支援策を講じる", "制度の見直しを行う",
    "財政支援の充実を図る", "所要の措置を講じる", "早期に実現する", "引き続き堅持する",
    "更なる拡充を図る",
]
DECLARATION = [
    "国民健康保険は制度創設以来、我が国の国民皆保険体制の中核を担い、地域医療の確保や地域住民の"
    "健康の維持増進に貢献してきた。",
    "しかしながら、国保が抱える構造的な問題に加え、少子高齢化の進展などにより、厳しい財政運営が"
    "続くことが想定される。",
    "我々国保関係者は、ここに本大会を開催し、組織の総意を結集して、その実現に向け断固邁進すること"
    "を誓うものである。",
]


@dataclass
class Demand:
    topics: list[int]
    a: int
    b: int
    extra: list[str] = field(default_factory=list)

    def text(self) -> str:
        subject = "及び".join(TOPICS[t] for t in self.topics)
        extra = "".join(f"{e}、" for e in self.extra)
        return f"{subject}については、{extra}{CLAUSES_A[self.a]}、{CLAUSES_B[self.b]}こと。"


def wareki(year: int) -> str:
    if year >= 2019:
        era, n = "令和", year - 2018
    elif year >= 1989:
        era, n = "平成", year - 1988
    else:
        era, n = "昭和", year - 1925
    return f"{era}{'元' if n == 1 else n}年１１月１５日"


def generate(years: int, seed: int, directory: Path) -> list[Path]:
    """One text per year with the structure of the real ones (preamble, 一、, 決議, 宣言)."""
    rng = random.Random(seed)
    first = 2025 - years
    unused = list(range(len(TOPICS)))
    rng.shuffle(unused)
    current = [Demand([unused.pop()], rng.randrange(len(CLAUSES_A)),
                      rng.randrange(len(CLAUSES_B))) for _ in range(14)]
    dropped: list[tuple[int, Demand]] = []
    paths = []
    for year in range(first, first + years):
        if year > first:
            current = evolve(rng, current, dropped, unused, year)
        lines = ["　本日ここに、全国の国民健康保険関係者が一堂に会し、諸問題の改善を期して、"
                 "国保制度改善強化全国大会を開催し、慎重審議した結果、次のとおり満場一致これを採択した。",
                 ""]
        lines += [f"一、{d.text()}" for d in current]
        lines += ["", "決　議", "", wareki(year), "国保制度改善強化全国大会", "", "", "宣　言"]
        lines += [f"　{p}" for p in DECLARATION[: 2 + year % 2]]
        lines += ["", wareki(year), "国保制度改善強化全国大会", ""]
        path = directory / f"{year}.txt"
        path.write_text("\n".join(lines), "utf-8")
        paths.append(path)
    return paths


def target_count(year: int) -> int:
    """How many demands a year roughly has: 14 in the 1960s, 40 around 2000, 20 today."""
    if year <= 2000:
        return 14 + round((year - 1965) * 26 / 35)
    return 40 - round((year - 2000) * 20 / 24)


def evolve(rng: random.Random, current: list[Demand], dropped: list[tuple[int, Demand]],
           unused: list[int], year: int) -> list[Demand]:
    """Next year's demands: mostly unchanged, some reworded, merged, split, dropped, new."""
    out: list[Demand] = []
    target = target_count(year)
    drop = 0.05 if len(current) <= target else 0.15
    for d in current:
        roll = rng.random()
        if roll < drop and len(current) > 12:
            dropped.append((year, d))
            continue
        d = Demand(list(d.topics), d.a, d.b, list(d.extra))
        if roll < 0.25:
            if rng.random() < 0.5:
                d.b = rng.randrange(len(CLAUSES_B))
            else:
                d.a = rng.randrange(len(CLAUSES_A))
        elif roll < 0.30:
            d.extra = [f"令和の新たな課題も踏まえ{rng.choice(['つつ', 'た上で'])}"]
        out.append(d)
    if len(out) > 14 and rng.random() < 0.3:  # merge two neighbours
        k = rng.randrange(len(out) - 1)
        a, b = out[k], out[k + 1]
        out[k:k + 2] = [Demand(a.topics + b.topics, a.a, b.b)]
    if rng.random() < 0.25:  # split a merged demand
        merged = [k for k, d in enumerate(out) if len(d.topics) > 1]
        if merged:
            k = rng.choice(merged)
            d = out[k]
            out[k:k + 1] = [Demand([t], d.a, d.b) for t in d.topics]
    gone = [(y, d) for y, d in dropped if year - y >= 2]
    if gone and rng.random() < 0.3:  # a dropped demand comes back, slightly reworded
        back = rng.choice(gone)
        dropped.remove(back)
        d = back[1]
        out.insert(rng.randrange(len(out) + 1), Demand(d.topics, d.a,
                                                       (d.b + 1) % len(CLAUSES_B)))
    while unused and (len(out) < 12 or (len(out) < min(40, target + 2)
                                        and rng.random() < 0.8)):
        out.insert(rng.randrange(len(out) + 1), Demand(
            [unused.pop()], rng.randrange(len(CLAUSES_A)), rng.randrange(len(CLAUSES_B))))
    return out[:40]


# --- timing -----------------------------------------------------------------------------------


Timing = tuple[float, float | None]  # wall seconds, CPU seconds of the process (user + sys)


def run_archive(url: str, *args: str) -> tuple[float, float, str]:
    """(wall seconds, the child's own CPU seconds, its stdout); stops the benchmark on failure.

    CPU time is reported beside wall time because other jobs on the machine disturb it less.
    Shared with site_benchmark.py.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([ARCHIVE, "--db", url, *args], capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"archive {' '.join(args)} failed: {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stdout


def run(url: str, *args: str) -> Timing:
    elapsed, cpu, _ = run_archive(url, *args)
    return elapsed, cpu


def median_of(runs: int, url: str, *args: str) -> Timing:
    timings = [run(url, *args) for _ in range(runs)]
    return (statistics.median(t[0] for t in timings),
            statistics.median(t[1] or 0.0 for t in timings))


def in_process(url: str, runs: int = 20) -> dict[str, float]:
    from resolution_archive import history
    from resolution_archive.store import threads as store
    from resolution_archive.store.db import EngineAccess, open_archive, session_scope

    engine = open_archive(url)
    out: dict[str, float] = {}
    try:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            history.load_threads(EngineAccess(engine), "kokuho-taikai")
            times.append(time.perf_counter() - start)
        out["threads (warm, in-process)"] = statistics.median(times)
        with session_scope(engine, read_only=True) as session:
            for word in ("子育て", "国保"):
                form = history.query_form(word)
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    rows = store.search(session, "kokuho-taikai", form)
                    times.append(time.perf_counter() - start)
                out[f"search query {word} ({len(rows)} hits)"] = statistics.median(times)
    finally:
        engine.dispose()
    return out


def bench(label: str, url: str, paths: list[Path], runs: int) -> list[tuple[str, Timing, str]]:
    rows: list[tuple[str, Timing, str]] = []
    rows.append((f"import {len(paths)} years (one command)",
                 run(url, "import", *map(str, paths)), ""))
    rows.append(("timeline, first (computes every pairing)", run(url, "timeline"), "< 3 s"))
    rows.append(("timeline, warm", median_of(runs, url, "timeline"), "< 0.5 s"))
    rows.append(("timeline --format html, warm", median_of(runs, url, "timeline", "--format",
                                                            "html", "-o", os.devnull), ""))
    rows.append(("history 2024:5, warm", median_of(runs, url, "history", "2024:5"), "< 0.5 s"))
    rows.append(("search 子育て", median_of(runs, url, "search", "子育て"), "< 0.5 s"))
    rows.append(("search 国保 (two characters)", median_of(runs, url, "search", "国保"),
                 "< 0.5 s"))
    rows.append(("list (start-up floor)", median_of(runs, url, "list"), ""))
    for name, seconds in in_process(url).items():
        rows.append((name, (seconds, None), "< 50 ms" if name.startswith("search") else ""))
    print(f"\n{label}{'':<38}     wall        CPU  target")
    for name, (wall, cpu), target in rows:
        print(f"  {name:<44}{_seconds(wall)}  {_seconds(cpu) if cpu is not None else '':>9}  "
              f"{target}")
    return rows


def _seconds(value: float) -> str:
    return f"{value * 1000:6.1f} ms" if value < 1 else f"{value:6.2f} s "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        paths = generate(args.years, args.seed, Path(work))
        counts = [sum(1 for line in p.read_text("utf-8").splitlines() if line.startswith("一、"))
                  for p in paths]
        print(f"{len(paths)} synthetic years {paths[0].stem}–{paths[-1].stem}, "
              f"{min(counts)}–{max(counts)} demands a year, {sum(counts)} in all "
              f"(seed {args.seed}); medians of {args.runs} runs")
        bench("sqlite", f"sqlite:///{Path(work) / 'archive.sqlite3'}", paths, args.runs)
        if os.environ.get("ARCHIVE_TEST_POSTGRES_URL"):
            from tests.conftest import fresh_pg_database

            with fresh_pg_database() as url:
                bench("postgresql", url, paths, args.runs)
        else:
            print("\npostgresql: skipped (set ARCHIVE_TEST_POSTGRES_URL)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
