"""The public JSON shape of a comparison, shared by `archive diff --format json` and the export.

Keys may be added, never renamed (issue #3). Output is deterministic: key order is fixed by
construction, nothing time-dependent is included, and every change is listed whatever
`include_unchanged` says, because JSON is the data contract rather than a reading copy.
"""

from __future__ import annotations

import json
from typing import Any

from resolution_archive.report.context import EditionInfo, Report


def _edition_ref(edition: EditionInfo) -> dict[str, Any]:
    return {"year": edition.year, "revision": edition.revision}


def _edition_meta(edition: EditionInfo) -> dict[str, Any]:
    return {
        "year": edition.year,
        "revision": edition.revision,
        "date": None if edition.date is None else edition.date.isoformat(),
        "title": edition.title,
        "filename": edition.filename,
        "sha256": edition.sha256,
        "status": edition.status,
    }


def _concepts(report: Report) -> dict[str, Any] | None:
    """The office's own policy names the comparison used (`--concepts`), or null."""
    return None if report.concepts is None else report.concepts.to_json()


def diff_json(report: Report) -> dict[str, Any]:
    """`{"from", "to", "summary", "changes", "declaration": {"summary", "changes"}, "report"}`;
    "report" names the sources, the tool and the office's own policy names ("concepts")."""
    return {
        "from": _edition_ref(report.old),
        "to": _edition_ref(report.new),
        "summary": report.resolution.summary,
        "changes": [c.to_json() for c in report.resolution.changes],
        "declaration": {
            "summary": report.declaration.summary,
            "changes": [c.to_json() for c in report.declaration.changes],
        },
        "report": {
            "series": report.series,
            "tool_version": report.tool_version,
            "include_unchanged": report.include_unchanged,
            "old": _edition_meta(report.old),
            "new": _edition_meta(report.new),
            "concepts": _concepts(report),
        },
    }


def dumps_json(report: Report) -> str:
    """The JSON text: Japanese unescaped, two-space indent, final newline."""
    return json.dumps(diff_json(report), ensure_ascii=False, indent=2) + "\n"


def render_json(report: Report) -> bytes:
    return dumps_json(report).encode("utf-8")
