"""How exactly the importer reads resolutions in every layout users bring, and how fast.

Run: `.venv/bin/python benchmarks/parse_benchmark.py` (about a minute: it prints PDFs with
Chromium and LibreOffice). Needs chromium and soffice (fails if either is missing).

Labelled inputs: benchmarks/parse_cases/years.json holds each resolution's labels — preamble,
demands, 宣言 paragraphs, date and series (2022 and 2023 are the bundled EXAMPLE texts, 2024
the official one, 町村長2015 an EXAMPLE of another series). Every year is rendered in every
layout of tests/sources.py — text layouts (clean, one-paragraph newsletter, mid-line 一、,
以上 endings, 一． and 一. markers, hard wraps with page numbers, a cut-off excerpt) and files
made with real tools (a two-page PDF handout printed by Chromium, a Word file converted to PDF
by LibreOffice, web pages in UTF-8 and Shift_JIS with demands in <li>, <p> or one paragraph,
Word with automatic numbering or a table) — and read by the real import path
(`importer.prepare`: extract → parse). Plus benchmarks/parse_cases/*.txt, hand-written inputs
with a `.json` label beside each.

Per layout it prints: demands read exactly (same number, comparison form equal — NFKC, no
spaces — and the count equal; a cut-off fragment must also be flagged), dates found (equal to
the label), declaration paragraphs found (comparison form equal), and the series. Then import
timings: one two-page PDF end to end (`archive import`, a new process, median of 5) and 60
files in one command (median of 3). Timings are noisy on a shared machine; they are figures,
not asserts.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import sources  # noqa: E402

from resolution_archive import DEFAULT_SERIES  # noqa: E402
from resolution_archive.errors import ArchiveError  # noqa: E402
from resolution_archive.importer import Prepared, prepare  # noqa: E402
from resolution_archive.text.normalize import comparison_form  # noqa: E402

CASES = ROOT / "benchmarks" / "parse_cases"


def _series_slug(name: str) -> str:
    return DEFAULT_SERIES if name == "国保制度改善強化全国大会" else name


def inputs(workdir: Path) -> list[tuple[str, str, bytes, dict[str, Any]]]:
    """(layout, file name, bytes, labels) for every year in every layout."""
    years = json.loads((CASES / "years.json").read_text(encoding="utf-8"))
    out: list[tuple[str, str, bytes, dict[str, Any]]] = []
    for r in years:
        stem = r["name"]
        for layout, render in sources.TEXT_LAYOUTS.items():
            out.append((layout, f"{stem}.txt", render(r).encode("utf-8"), r))
        text, labels = sources.cut_off(r)
        out.append(("cut-off excerpt", f"{stem}-cut.txt", text.encode("utf-8"), labels))
        out.append(("PDF handout (Chromium)", f"{stem}.pdf",
                    sources.chromium_pdf(sources.handout_html(r), workdir, f"h-{stem}"), r))
        word = sources.word_file(r, numbered=False)
        out.append(("PDF from Word (LibreOffice)", f"{stem}-lo.pdf",
                    sources.soffice_pdf(word, workdir, f"w-{stem}"), r))
        out.append(("HTML UTF-8, demands in <li>", f"{stem}.html",
                    sources.web_page(r, demands_in="li"), r))
        out.append(("HTML Shift_JIS, demands in <p>", f"{stem}-sjis.html",
                    sources.web_page(r, charset="shift_jis", demands_in="p"), r))
        out.append(("HTML one paragraph", f"{stem}-para.htm",
                    sources.web_page(r, demands_in="para"), r))
        out.append(("Word, automatic numbering", f"{stem}.docx",
                    sources.word_file(r, numbered=True), r))
        out.append(("Word, table", f"{stem}-table.docx", sources.word_file(r, table=True), r))
    for path in sorted(CASES.glob("*.txt")):
        labels = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        out.append((labels["layout"], path.name, path.read_bytes(), labels))
    return out


def score(prepared: Prepared | None, labels: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """(hits, total) for demands, date, paragraphs, series."""
    want_demands = [comparison_form(d) for d in labels["demands"]]
    want_paragraphs = [comparison_form(p) for p in labels["declaration"]]
    if prepared is None:
        return {"demands": (0, len(want_demands)), "date": (0, 1),
                "paragraphs": (0, len(want_paragraphs)), "series": (0, 1)}
    doc = prepared.document
    got = [d.comparison for d in doc.demands]
    demand_hits = (sum(a == b for a, b in zip(got, want_demands, strict=False))
                   if len(got) == len(want_demands) else 0)
    if labels.get("cut_off") and not (doc.demands and doc.demands[-1].cut_off):
        demand_hits = 0
    got_paragraphs = [comparison_form(p) for p in doc.declaration]
    paragraph_hits = (sum(a == b for a, b in zip(got_paragraphs, want_paragraphs, strict=False))
                      if len(got_paragraphs) == len(want_paragraphs) else 0)
    want_date = labels["date"]
    found_date = doc.date.isoformat() if doc.date else None
    return {
        "demands": (demand_hits, len(want_demands)),
        # an excerpt without a date line has no date to find: not counted
        "date": (int(found_date == want_date), 1) if want_date else (0, 0),
        "paragraphs": (paragraph_hits, len(want_paragraphs)),
        "series": (int(prepared.series == _series_slug(labels["series"])), 1),
    }


def _share(hits: int, total: int) -> str:
    return f"{100 * hits / total:.0f}% ({hits}/{total})" if total else "n/a"


def accuracy(workdir: Path) -> list[tuple[str, str, bytes]]:
    started = time.perf_counter()
    cases = inputs(workdir)
    made = time.perf_counter() - started
    table: dict[str, dict[str, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0]))
    failures: list[str] = []
    for layout, name, data, labels in cases:
        try:
            prepared: Prepared | None = prepare(data, name, year=labels.get("year"))
        except ArchiveError as error:
            prepared = None
            failures.append(f"{layout} / {name}: {error}")
        for key, (hits, total) in score(prepared, labels).items():
            table[layout][key][0] += hits
            table[layout][key][1] += total
            if hits != total:
                failures.append(f"{layout} / {name}: {key} {hits}/{total}")
    print(f"{len(cases)} labelled inputs in {len(table)} layouts (made in {made:.1f} s)\n")
    print("| layout | inputs | demands read exactly | dates found | declaration paragraphs "
          "found | series |")
    print("|---|---:|---:|---:|---:|---:|")
    counts: dict[str, int] = defaultdict(int)
    for layout, *_ in cases:
        counts[layout] += 1
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for layout, row in table.items():
        for key, (hits, total) in row.items():
            totals[key][0] += hits
            totals[key][1] += total
        print(f"| {layout} | {counts[layout]} | {_share(*row['demands'])} | "
              f"{_share(*row['date'])} | {_share(*row['paragraphs'])} | "
              f"{_share(*row['series'])} |")
    print(f"| **all** | {len(cases)} | {_share(*totals['demands'])} | {_share(*totals['date'])} "
          f"| {_share(*totals['paragraphs'])} | {_share(*totals['series'])} |")
    if failures:
        print("\nmisses:")
        for line in failures:
            print(f"  {line}")
    return [(name, layout, data) for layout, name, data, _ in cases]


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def timings(workdir: Path, files: list[tuple[str, str, bytes]]) -> None:
    import os

    archive = str(Path(sys.executable).with_name("archive"))
    pdf = next(data for name, layout, data in files if layout.startswith("PDF handout")
               and name.startswith("2024"))
    pdf_path = workdir / "handout-2024.pdf"
    pdf_path.write_bytes(pdf)
    single = []
    for run in range(5):
        env = {**os.environ, "ARCHIVE_DATABASE_URL": f"sqlite:///{workdir}/one-{run}.sqlite3"}
        subprocess.run([archive, "db", "upgrade"], check=True, capture_output=True, env=env)
        single.append(_timed([archive, "import", str(pdf_path)], env))
    print(f"\nimport a two-page PDF handout end to end (new process, schema already made): "
          f"median {statistics.median(single):.2f} s of {len(single)} "
          f"(min {min(single):.2f}, max {max(single):.2f})")
    # where the time goes: the same file without a database (start-up + extract + parse), a
    # command that opens the archive and reads nothing from files, and extract + parse alone
    env = {**os.environ, "ARCHIVE_DATABASE_URL": f"sqlite:///{workdir}/one-0.sqlite3"}
    dry = [_timed([archive, "import", "--dry-run", str(pdf_path)], env) for _ in range(5)]
    listing = [_timed([archive, "list"], env) for _ in range(5)]
    in_process = []
    for _ in range(5):
        started = time.perf_counter()
        prepare(pdf, "handout.pdf")
        in_process.append(time.perf_counter() - started)
    print(f"  of which: `import --dry-run` (no database) median {statistics.median(dry):.2f} s; "
          f"`archive list` (start-up + opening the archive) {statistics.median(listing):.2f} s; "
          f"extract + parse in process {1000 * statistics.median(in_process):.0f} ms")

    many = []
    for run in range(3):
        folder = workdir / f"sixty-{run}"
        folder.mkdir()
        picked = [(n, d) for n, layout, d in files if not layout.startswith("cut")]
        # 60 files, each a different year so every one is stored (years 1960…2019)
        from resolution_archive.extract import detect_format

        for i in range(60):
            name, data = picked[i % len(picked)]
            fmt = detect_format(data, name)
            suffix = {"pdf": ".pdf", "docx": ".docx", "html": ".html"}.get(fmt, ".txt")
            (folder / f"{i:02d}{suffix}").write_bytes(data)
        env = {**os.environ, "ARCHIVE_DATABASE_URL": f"sqlite:///{workdir}/many-{run}.sqlite3"}
        subprocess.run([archive, "db", "upgrade"], check=True, capture_output=True, env=env)
        many.append(_timed([archive, "import", "--revise", str(folder)], env))
    print(f"import 60 files (text, PDF, HTML, Word) in one command: median "
          f"{statistics.median(many):.2f} s of {len(many)} (min {min(many):.2f}, "
          f"max {max(many):.2f})")


def main() -> None:
    for tool in ("chromium", "soffice"):
        reason = sources.missing_tool(tool)
        if reason:
            sys.exit(f"parse_benchmark: {reason}")
    with tempfile.TemporaryDirectory(prefix="parse-bench-") as tmp:
        workdir = Path(tmp)
        files = accuracy(workdir)
        timings(workdir, files)


if __name__ == "__main__":
    main()
