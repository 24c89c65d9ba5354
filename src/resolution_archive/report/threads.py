"""Threads, the timeline and search hits as text, Markdown, HTML, CSV and JSON.

Renderers only format: they take threads and hits built by `resolution_archive.history` and
never query the archive or diff anything. HTML goes through Jinja2 with autoescaping and is
self-contained (inline CSS, no scripts, fonts or links to fetch), like the 新旧対照表.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from resolution_archive import __version__
from resolution_archive.diff.model import Op
from resolution_archive.lineage import Thread, Timeline, Version
from resolution_archive.report.markdown import md_escape
from resolution_archive.report.templating import environment

CHANGE_LABELS: dict[str, str] = {
    "added": "新設",
    "unchanged": "変更なし",
    "reworded": "変更",
    "merged": "統合",
    "split": "分割",
    "reappeared": "再登場",
}
ENDING_LABELS = {"dropped": "削除", "merged": "統合"}
DECIDED_LABEL = "確認済み"
# heat-map colours (background, text) per change kind; the xlsx sheet uses the same
COLOURS: dict[str, tuple[str, str]] = {
    "added": ("2E7D32", "FFFFFF"),
    "unchanged": ("E0E0E0", "222222"),
    "reworded": ("F9A825", "222222"),
    "merged": ("6A1B9A", "FFFFFF"),
    "split": ("1565C0", "FFFFFF"),
    "reappeared": ("00838F", "FFFFFF"),
}
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_ANSI = {"-": "\x1b[31;9m", "+": "\x1b[32;4m", "bold": "\x1b[1m", "hit": "\x1b[7m"}
_RESET = "\x1b[0m"
_PLAIN = {"-": ("[-", "-]"), "+": ("{+", "+}"), "hit": ("【", "】")}


def _safe(text: str) -> str:
    """Control characters (ESC above all) shown escaped, line breaks kept."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _mark(text: str, how: str, color: bool) -> str:
    if not text:
        return ""
    if color:
        return "\n".join(f"{_ANSI[how]}{p}{_RESET}" if p else "" for p in text.split("\n"))
    start, end = _PLAIN[how]
    return "\n".join(f"{start}{p}{end}" if p else "" for p in text.split("\n"))


def ops_text(ops: Sequence[Op], color: bool) -> str:
    return "".join(_safe(t) if op == "=" else _mark(_safe(t), op, color) for op, t in ops)


def change_label(version: Version) -> str:
    label = CHANGE_LABELS[version.change]
    if version.decided_by is not None:
        label += f"・{DECIDED_LABEL}"
    return label


def span_label(thread: Thread) -> str:
    end = thread.last_year
    if thread.ending == "dropped":
        tail = f"{end}年まで（以後削除）"
    elif thread.ending == "merged":
        tail = f"{end}年まで（以後 {thread.merged_into} に統合）"
    else:
        tail = f"{end}年"
    return f"{thread.first_year}年〜{tail}"


def _version_notes(thread: Thread, index: int) -> list[str]:
    """What lies between the previous version and this one: archive gaps, absent years."""
    if index == 0:
        return []
    before, version = thread.versions[index - 1], thread.versions[index]
    notes = []
    missing = [y for y in thread.missing_years if before.year < y < version.year]
    if missing:
        notes.append("、".join(f"{y}年" for y in missing) + "はアーカイブに未収録")
    if version.change == "reappeared":
        notes.append(f"{before.year}年の後に削除され、{version.year}年に再登場")
    return notes


# --- text -------------------------------------------------------------------------------------


def history_text(threads: Sequence[Thread], *, color: bool) -> str:
    lines: list[str] = []
    for thread in threads:
        if lines:
            lines.append("")
        head = f"スレッド {thread.id}　{thread.title}　{span_label(thread)}"
        lines.append(f"{_ANSI['bold']}{_safe(head)}{_RESET}" if color else _safe(head))
        if thread.split_from:
            lines.append(f"  （{thread.split_from} から分割）")
        for index, version in enumerate(thread.versions):
            for note in _version_notes(thread, index):
                lines.append(f"  …{note}")
            line = f"{version.year}  {version.number:>2}  [{CHANGE_LABELS[version.change]}]"
            if version.previous and version.change != "added":
                line += "  ← " + "+".join(version.previous)
            if version.similarity is not None and version.change not in ("unchanged",):
                line += f"  類似度 {version.similarity:.2f}"
            if version.decided_by is not None:
                line += f"  ({DECIDED_LABEL}: {_safe(version.decided_by)})"
            lines.append(line)
            body = (_safe(version.text) if index == 0 or version.change == "unchanged"
                    else ops_text(version.ops, color))
            lines.extend("    " + part for part in body.split("\n"))
    return "\n".join(lines) + "\n"


def timeline_text(timeline: Timeline) -> str:
    """Threads × years as a terminal table: one short code per cell."""
    codes = {"added": "新", "unchanged": "＝", "reworded": "変", "merged": "統", "split": "分",
             "reappeared": "再"}
    years = timeline.years
    # every cell is four terminal columns: a space, one wide character, a space or *
    header = f"{'thread':<10}" + "".join(f"  {str(y)[-2:]}" for y in years) + "  title"
    lines = [header]
    for thread in timeline.threads:
        cells = timeline.cells(thread)
        row = "".join(
            f" {codes[cells[y].change]}" + ("*" if cells[y].decided_by else " ")
            if y in cells else " ・ " for y in years)
        lines.append(f"{thread.id:<10}{row}  {_safe(thread.title)}")
    legend = "　".join(f"{c}={CHANGE_LABELS[k]}" for k, c in codes.items())
    lines += ["", f"凡例: {legend}　*={DECIDED_LABEL}　・=なし"]
    if timeline.missing_years:
        lines.append("未収録の年: " + "、".join(map(str, timeline.missing_years)))
    return "\n".join(lines) + "\n"


def search_text(groups: Sequence[tuple[Thread | None, Sequence[Any]]], *, color: bool,
                count: int, query: str) -> str:
    if not count:
        return f"「{_safe(query)}」を含む要望・宣言はありません。\n"
    lines = [f"「{_safe(query)}」: {count}件"]
    for thread, hits in groups:
        lines.append("")
        if thread is not None:
            lines.append(f"スレッド {hits[0].thread}　{_safe(thread.title)}")
        for hit in hits:
            where = f"{hit.year}  {'決議' if hit.document == 'resolution' else '宣言'}{hit.number}"
            lines.append(f"  {where}")
            lines.append("    " + highlighted(hit.text, hit.spans, color))
    return "\n".join(lines) + "\n"


def highlighted(text: str, spans: Sequence[tuple[int, int]], color: bool) -> str:
    out, at = [], 0
    for start, end in spans:
        out.append(_safe(text[at:start]))
        out.append(_mark(_safe(text[start:end]), "hit", color))
        at = end
    out.append(_safe(text[at:]))
    return "".join(out)


# --- markdown ---------------------------------------------------------------------------------


def _md_ops(ops: Sequence[Op]) -> str:
    parts = []
    for op, t in ops:
        if op == "=":
            parts.append(md_escape(t))
        elif op == "-":
            parts.append(f"<del>{md_escape(t)}</del>")
        else:
            parts.append(f"<ins>{md_escape(t)}</ins>")
    return "".join(parts)


def history_markdown(threads: Sequence[Thread]) -> str:
    lines: list[str] = []
    for thread in threads:
        lines += [f"## スレッド {md_escape(thread.id)}　{md_escape(thread.title)}", "",
                  md_escape(span_label(thread)), ""]
        lines += ["| 年 | 番号 | 変化 | 文言（前の版からの変更） |", "|---|---|---|---|"]
        for index, version in enumerate(thread.versions):
            notes = _version_notes(thread, index)
            if notes:
                lines.append(f"| | | | （{md_escape('、'.join(notes))}） |")
            body = (md_escape(version.text) if index == 0 or version.change == "unchanged"
                    else _md_ops(version.ops))
            label = change_label(version)
            if version.decided_by is not None:
                label += f"（{md_escape(version.decided_by)}）"
            lines.append(f"| {version.year} | {version.number} | {md_escape(label)} | {body} |")
        lines.append("")
    lines.append("<del>削除された字句</del>　<ins>追加された字句</ins>")
    return "\n".join(lines) + "\n"


# --- html -------------------------------------------------------------------------------------



def history_rows(threads: Sequence[Thread]) -> list[dict[str, Any]]:
    """What the versions table (threads.html.j2 `history_table`) shows per thread."""
    rows = []
    for thread in threads:
        versions = []
        for index, version in enumerate(thread.versions):
            ops = ((("=", version.text),) if index == 0 or version.change == "unchanged"
                    else version.ops)
            versions.append({"version": version, "label": change_label(version), "ops": ops,
                             "notes": _version_notes(thread, index)})
        rows.append({"thread": thread, "span": span_label(thread), "versions": versions})
    return rows


def history_html(threads: Sequence[Thread], *, title: str) -> str:
    return environment().get_template("history.html.j2").render(
        title=title, threads=history_rows(threads), tool_version=__version__)


def timeline_context(timeline: Timeline) -> dict[str, Any]:
    """What the heat-map macros (threads.html.j2, threads.css.j2) read; the site reuses it."""
    all_years = (list(range(timeline.years[0], timeline.years[-1] + 1))
                 if timeline.years else [])
    present = set(timeline.years)
    rows = []
    for thread in timeline.threads:
        cells = timeline.cells(thread)
        rows.append({"thread": thread, "cells": [
            {"year": y, "missing": y not in present, "version": cells.get(y),
             "label": change_label(cells[y]) if y in cells else ""}
            for y in all_years]})
    legend = [(kind, label, COLOURS[kind]) for kind, label in CHANGE_LABELS.items()]
    return {"years": all_years, "present": present, "rows": rows, "legend": legend,
            "colours": COLOURS, "decided": DECIDED_LABEL}


def timeline_html(timeline: Timeline, *, title: str) -> str:
    return environment().get_template("timeline.html.j2").render(
        title=title, tool_version=__version__, **timeline_context(timeline))


# --- csv / json -------------------------------------------------------------------------------


def timeline_csv(timeline: Timeline) -> bytes:
    """One row per thread, one column per year ("変更 7" = demand 7, reworded); BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["thread", "title", *timeline.years])
    for thread in timeline.threads:
        cells = timeline.cells(thread)
        writer.writerow([thread.id, thread.title, *(
            f"{change_label(cells[y])} {cells[y].number}" if y in cells else ""
            for y in timeline.years)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def history_json(threads: Sequence[Thread]) -> dict[str, Any]:
    return {"threads": [t.to_json() for t in threads]}
