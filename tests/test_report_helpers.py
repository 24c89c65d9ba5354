"""Shared builders for the report tests: hand-made Reports, the bundled example, golden files.

Kept in a test_ module (with a couple of tests of its own) so the report tests can share it
without a conftest change. Golden files are rewritten with UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from resolution_archive.diff.model import Change, DiffResult, Related
from resolution_archive.report import EditionInfo, Report, build_report, edition_from_source

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
OLD_FILE = ROOT / "data" / "examples" / "2023.txt"
NEW_FILE = ROOT / "data" / "official" / "2024.txt"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
SERIES = "国保制度改善強化全国大会"

SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil")|`x`*y*'


def edition(year: int, status: str = "official", **kw: Any) -> EditionInfo:
    values: dict[str, Any] = {
        "year": year,
        "revision": 1,
        "date": dt.date(year, 11, 15),
        "series": SERIES,
        "title": None,
        "filename": f"{year}.txt",
        "sha256": f"{year:04d}" * 16,
        "status": status,
    }
    values.update(kw)
    return EditionInfo(**values)


def hand_changes() -> tuple[Change, ...]:
    """One change of every kind, with ops that rebuild both texts (the engine's contract)."""
    return (
        Change(
            "unchanged",
            (1,),
            (1,),
            "医療保険制度の一本化を早期に実現すること。",
            "医療保険制度の一本化を早期に実現すること。",
            (("=", "医療保険制度の一本化を早期に実現すること。"),),
            1.0,
        ),
        Change(
            "reworded",
            (2,),
            (2,),
            "国保の財政基盤を強化すること。",
            "国保の財政基盤強化のための公費投入を確保すること。",
            (
                ("=", "国保の財政基盤"),
                ("-", "を"),
                ("+", "強化のための公費投入を確保"),
                ("-", "強化"),
                ("=", "すること。"),
            ),
            0.7,
        ),
        Change(
            "merged",
            (3, 9),
            (3,),
            "Ａを行うこと。\nＢを行うこと。",
            "Ａ及びＢを行うこと。",
            (("=", "Ａ"), ("-", "を行うこと。\n"), ("+", "及び"), ("=", "Ｂを行うこと。")),
            0.8,
            moved=True,
        ),
        Change(
            "split",
            (4,),
            (4, 5),
            "ＣとＤを行うこと。",
            "Ｃを行うこと。\nＤを行うこと。",
            (("=", "Ｃ"), ("-", "と"), ("+", "を行うこと。\n"), ("=", "Ｄを行うこと。")),
            0.75,
        ),
        Change(
            "added",
            (),
            (6,),
            "",
            SCRIPT + FORMULA,
            (("+", SCRIPT + FORMULA),),
            related=(Related(5, 0.53, "国保の運営に支障を及ぼすことがないよう"),),
        ),
        Change(
            "dropped",
            (5,),
            (),
            "廃止された要望。",
            "",
            (("-", "廃止された要望。"),),
            related=(Related(6, 0.53, "国保の運営に支障を及ぼすことがないよう"),),
        ),
        Change(
            "reworded",
            (6,),
            (7,),
            "令和5年度に実施すること。",
            "令和6年度に実施すること。",
            (("=", "令和"), ("-", "5"), ("+", "6"), ("=", "年度に実施すること。")),
            0.95,
            date_only=True,
        ),
    )


def hand_declaration() -> tuple[Change, ...]:
    return (
        Change(
            "reworded",
            (1,),
            (1,),
            "我々は誓う。",
            "我々は固く誓う。",
            (("=", "我々は"), ("+", "固く"), ("=", "誓う。")),
            0.9,
        ),
        Change("unchanged", (2,), (2,), "以上。", "以上。", (("=", "以上。"),), 1.0),
    )


def hand_report(*, include_unchanged: bool = True, old_status: str = "example") -> Report:
    return build_report(
        old=edition(2023, old_status),
        new=edition(2024),
        resolution=DiffResult(hand_changes()),
        declaration=DiffResult(hand_declaration()),
        include_unchanged=include_unchanged,
        tool_version="test",
    )


def _edition_from_files(path: Path) -> EditionInfo:
    meta = json.loads(path.with_suffix(".provenance.json").read_text(encoding="utf-8"))
    return edition_from_source(
        year=meta["year"],
        data=path.read_bytes(),
        filename=meta["filename"],
        date=dt.date.fromisoformat(meta["date"]),
        series=SERIES,
        title=meta.get("title"),
        status=meta["status"],
    )


def example_report(
    *, include_unchanged: bool = True, tool_version: str | None = "golden"
) -> Report:
    """The bundled example: data/examples/2023.txt (example) against data/official/2024.txt,
    through the real parser and engine. Skips when either is not importable yet."""
    try:
        from resolution_archive.diff import diff_items, diff_paragraphs
        from resolution_archive.parse import parse_text
    except ImportError as exc:  # pragma: no cover - only while the pipeline is being written
        pytest.skip(f"parse/diff pipeline not available yet: {exc}")
    old_doc = parse_text(OLD_FILE.read_text(encoding="utf-8"))
    new_doc = parse_text(NEW_FILE.read_text(encoding="utf-8"))
    return build_report(
        old=_edition_from_files(OLD_FILE),
        new=_edition_from_files(NEW_FILE),
        resolution=diff_items([d.text for d in old_doc.demands], [d.text for d in new_doc.demands]),
        declaration=diff_paragraphs(list(old_doc.declaration), list(new_doc.declaration)),
        include_unchanged=include_unchanged,
        tool_version=tool_version,
    )


def check_golden(name: str, actual: str | bytes) -> None:
    """Compare with tests/golden/<name> byte for byte; UPDATE_GOLDEN=1 rewrites it instead.

    On a difference the assertion shows text, so pytest prints a readable diff.
    """
    path = GOLDEN / name
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    if not path.exists():
        pytest.fail(f"golden file {path} missing; create it with UPDATE_GOLDEN=1 pytest")
    expected = path.read_bytes()
    if data != expected:
        assert data.decode("utf-8", "replace") == expected.decode("utf-8", "replace"), (
            f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"
        )
        raise AssertionError(f"{name} differs from its golden file in line endings or BOM")


def docx_outline(data: bytes) -> str:
    """A docx as reviewable text: paragraphs, tables cell by cell, underlines as [u]…[/u],
    the header-row flag and the page setup. Golden files compare this, not the zip."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    section: Any = document.sections[0]
    lines = [
        f"page {section.page_width.mm:.0f}x{section.page_height.mm:.0f}mm "
        f"orientation={section.orientation.name}"
    ]

    def para(p: Any) -> str:
        return "".join(f"[u]{r.text}[/u]" if r.font.underline else r.text for r in p.runs)

    body = document.element.body
    tables = iter(document.tables)
    paragraphs = iter(document.paragraphs)
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(f"P: {para(next(paragraphs))}")
        elif child.tag == qn("w:tbl"):
            table = next(tables)
            lines.append("TABLE")
            for row in table.rows:
                header = (
                    row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
                )
                cells = [" / ".join(para(p) for p in c.paragraphs) for c in row.cells]
                lines.append(("  H| " if header else "  | ") + " || ".join(cells))
    return "\n".join(lines) + "\n"


def test_hand_changes_keep_the_ops_contract() -> None:
    for change in hand_changes() + hand_declaration():
        old = "".join(t for op, t in change.ops if op != "+")
        new = "".join(t for op, t in change.ops if op != "-")
        assert (old, new) == (change.old_text, change.new_text)


def test_example_report_builds_from_the_bundled_texts() -> None:
    report = example_report()
    assert report.old.status == "example" and report.new.status == "official"
    assert report.resolution.changes and report.declaration.changes
