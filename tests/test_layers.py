"""The package's layers depend in one direction, and core modules import at their top.

Read from the source (ast), so a violation fails here before it shows up as an import cycle or
as a command that silently became slow: text/ and parse/ are pure; store/ never reaches up to
the importer, the checks built on it or the CLI; the CLI modules do not import each other
except through cli_common and LAZY_COMMANDS.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "resolution_archive"
PREFIX = "resolution_archive."

# module (relative path without .py, dotted) → modules it must never import (prefix match)
FORBIDDEN = {
    "text": ("resolution_archive.store", "resolution_archive.parse", "resolution_archive.diff",
             "resolution_archive.report", "resolution_archive.importer",
             "resolution_archive.cli", "sqlalchemy", "click"),
    "parse": ("resolution_archive.store", "resolution_archive.diff",
              "resolution_archive.report", "resolution_archive.importer",
              "resolution_archive.cli", "sqlalchemy", "click"),
    "diff": ("resolution_archive.store", "resolution_archive.report",
             "resolution_archive.importer", "resolution_archive.cli", "sqlalchemy", "click"),
    "report": ("resolution_archive.store", "resolution_archive.importer",
               "resolution_archive.cli", "sqlalchemy", "click"),
    "store": ("resolution_archive.importer", "resolution_archive.verify",
              "resolution_archive.compare", "resolution_archive.report",
              "resolution_archive.cli", "click"),
    "extract": ("resolution_archive.store", "resolution_archive.parse", "resolution_archive.diff",
                "resolution_archive.report", "resolution_archive.importer",
                "resolution_archive.cli", "sqlalchemy", "click"),
    "lineage": ("resolution_archive.store", "resolution_archive.report",
                "resolution_archive.importer", "resolution_archive.cli", "sqlalchemy", "click"),
    "site": ("resolution_archive.importer", "resolution_archive.cli", "click"),
    "cli_common": ("resolution_archive.cli_", "resolution_archive.cli"),
}
# core modules whose function bodies may import: the one documented exception in store.db
# (Alembic only when an upgrade is needed).
LATE_IMPORTS_ALLOWED = {"store/db.py": {"resolution_archive.store.migrate"}}
LATE_IMPORTS_UNCHECKED = ("migrations/", "cli")


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "versions" not in p.parts)


def imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    return []


def all_imports(path: Path) -> list[str]:
    return [name for node in ast.walk(ast.parse(path.read_text("utf-8")))
            for name in imported(node)]


def late_imports(path: Path) -> list[str]:
    """Imports inside functions (TYPE_CHECKING blocks are module level, so not counted)."""
    found = []
    for fn in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [name for node in ast.walk(fn) for name in imported(node)]
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_point_one_way(path: Path) -> None:
    rel = path.relative_to(PACKAGE)
    layer = rel.parts[0].removesuffix(".py")
    bad = [name for name in all_imports(path)
           for forbidden in FORBIDDEN.get(layer, ())
           if name == forbidden or name.startswith(forbidden + ".")
           or (forbidden.endswith("_") and name.startswith(forbidden))]
    assert not bad, f"{rel} imports {bad}, against the layering"


def test_cli_modules_do_not_import_each_other() -> None:
    for path in PACKAGE.glob("cli_*.py"):
        others = [n for n in all_imports(path) if n.startswith(PREFIX + "cli")
                  and n != PREFIX + "cli_common"]
        assert not others, f"{path.name} imports {others}; share through cli_common"


@pytest.mark.parametrize("path", [p for p in modules()
                                  if not str(p.relative_to(PACKAGE)).startswith(
                                      LATE_IMPORTS_UNCHECKED)],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_modules_import_at_their_top(path: Path) -> None:
    rel = str(path.relative_to(PACKAGE))
    late = set(late_imports(path)) - LATE_IMPORTS_ALLOWED.get(rel, set())
    assert not late, f"{rel} imports {sorted(late)} inside functions; import at the top"
