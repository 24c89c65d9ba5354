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


# what the reading commands import on an SQLite archive (store.read's quick path): nothing of
# SQLAlchemy, directly or through another module of the package, or they pay ~170 ms again
WITHOUT_SQLALCHEMY = ("store/read.py", "store/records.py", "store/schema.py", "history.py",
                      "comparison.py", "lineage.py")


def runtime_imports(path: Path) -> list[str]:
    """Module-level imports that run (an `if TYPE_CHECKING:` block does not)."""
    found: list[str] = []
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        found += [name for inner in ast.walk(node) for name in imported(inner)]
    return found


def module_path(name: str) -> Path | None:
    rel = Path(*name.removeprefix(PREFIX).split("."))
    for candidate in (PACKAGE / rel.with_suffix(".py"), PACKAGE / rel / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


@pytest.mark.parametrize("start", WITHOUT_SQLALCHEMY)
def test_quick_reading_path_imports_no_sqlalchemy(start: str) -> None:
    seen: set[Path] = set()
    todo = [PACKAGE / start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in runtime_imports(path):
            assert not name.startswith(("sqlalchemy", "alembic")), (
                f"{start} imports {name} through {path.relative_to(PACKAGE)}")
            if name.startswith(PREFIX):
                # `from package import module` names the module too
                parts = [name] + [f"{name}.{a}" for a in _from_names(path, name)]
                todo += [p for p in map(module_path, parts) if p is not None]


def _from_names(path: Path, module: str) -> list[str]:
    return [alias.name for node in ast.parse(path.read_text("utf-8")).body
            if isinstance(node, ast.ImportFrom) and node.module == module
            for alias in node.names]
