"""新旧対照表 as GitHub-flavoured Markdown, for wikis and issue trackers.

Changed passages are wrapped in `<ins>…</ins>` on *both* columns: 新旧対照表 underline (傍線) the
changed wording in the old column as well as the new, and `<ins>` is the underline tag wikis keep
(GitHub's sanitizer drops `<u>`; `<del>` would strike the old wording through instead). Text is
escaped so that `|`, `<`, `>`, `&`, backticks, `*`, `_`, `[`, `]`, `~`, `#` and `\\` in a demand
are shown literally and cannot break the table or inject markup.
"""

from __future__ import annotations

from resolution_archive.report.context import Report
from resolution_archive.report.view import (
    LEGEND,
    Member,
    Row,
    Section,
    column_title,
    date_text,
    example_notices,
    report_title,
    sections,
    status_label,
    summary_text,
)

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BACKSLASHED = set("\\`*_[]|~#")


def md_escape(text: str) -> str:
    """Literal text inside a table cell: markup characters neutralised, newlines as <br>."""
    out: list[str] = []
    for ch in text:
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _BACKSLASHED:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("<br>")
        elif ch == "\r":
            continue
        else:
            out.append(ch)
    return "".join(out)


def _member(member: Member, prefix: str) -> str:
    body = "".join(
        f"<ins>{md_escape(s.text)}</ins>" if s.changed else md_escape(s.text)
        for s in member.segments
    )
    return md_escape(prefix) + body


def _cell(row: Row, side: str, section: Section) -> str:
    members = row.new if side == "new" else row.old
    if not members:
        return "（削除）" if side == "new" else "（新設）"
    parts = []
    for i, m in enumerate(members):
        label = f"**{md_escape(m.label)}**"
        if side == "new" and i == 0:
            label += row.marker
        parts.append(f"{label}<br>{_member(m, section.item_prefix)}")
    return "<br><br>".join(parts)


def _table(rows: tuple[Row, ...], section: Section, new_col: str, old_col: str) -> list[str]:
    lines = [f"| {new_col} | {old_col} |", "| --- | --- |"]
    lines.extend(f"| {_cell(r, 'new', section)} | {_cell(r, 'old', section)} |" for r in rows)
    return lines


def render_markdown_text(report: Report) -> str:
    old, new = report.old, report.new
    new_col, old_col = column_title(new, "new"), column_title(old, "old")
    lines = [f"# {md_escape(report_title(report))}", ""]
    for note in example_notices(report):
        lines += [f"> **注意** {md_escape(note)}", ""]

    def status(e_status: str, label: str) -> str:
        return label if e_status == "official" else f"**{label}**"

    lines += [
        f"|  | {new_col} | {old_col} |",
        "| --- | --- | --- |",
        f"| 年月日 | {date_text(new)} | {date_text(old)} |",
        f"| 版 | 第{new.revision}版 | 第{old.revision}版 |",
        f"| 区分 | {status(new.status, status_label(new))} "
        f"| {status(old.status, status_label(old))} |",
        f"| 原文ファイル | {md_escape(new.filename)} | {md_escape(old.filename)} |",
        f"| SHA-256 | {new.sha256} | {old.sha256} |",
        "",
        md_escape(report.tool_line),
        "",
        "<ins>傍線</ins>部分は変更箇所（改正後欄は追加・変更後、改正前欄は削除・変更前の字句）。",
    ]
    for index, section in enumerate(sections(report), start=1):
        if section.key == "declaration" and not report.declaration.changes:
            continue
        lines += ["", f"## {index}　{section.title}", "", summary_text(section.summary), ""]
        if section.rows:
            lines += _table(section.rows, section, new_col, old_col)
        else:
            lines.append(f"{section.title}に変更はありません。")
        if section.omitted_unchanged:
            lines += [
                "",
                f"変更のない{section.unit}（{section.omitted_unchanged}件）は省略しています。",
            ]
        if section.date_only:
            lines += ["", f"### {section.title}・日付や年次のみの変更", ""]
            lines += _table(section.date_only, section, new_col, old_col)
    lines += ["", "---", "", md_escape(LEGEND)]
    return "\n".join(lines) + "\n"


def render_markdown(report: Report) -> bytes:
    return render_markdown_text(report).encode("utf-8")
