"""Where the archive is and which schema revision this code expects, without SQLAlchemy.

Split from `store.db` so the reading commands' quick path (`store.read`) can find the archive
and check its schema stamp without importing SQLAlchemy; `store.db` re-exports these names.
"""

from __future__ import annotations

import ast
import os
import re
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from resolution_archive.errors import StoreError

ENV_URL = "ARCHIVE_DATABASE_URL"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
_SQLITE_SCHEMES = ("sqlite:///", "sqlite+pysqlite:///")
_POSTGRES_SCHEME = "postgresql+psycopg://"
_PASSWORD = re.compile(r"^([a-z0-9+]+://[^:/@]*):[^@/]*@")


def default_database_path() -> Path:
    """$ARCHIVE_HOME/archive.sqlite3, else $XDG_DATA_HOME (~/.local/share)/resolution-archive/."""
    home = os.environ.get("ARCHIVE_HOME")
    if home:
        return Path(home) / "archive.sqlite3"
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "resolution-archive" / "archive.sqlite3"


def resolve_url(url: str | None = None) -> str:
    """The database URL to use, in order: argument, environment, embedded default."""
    if url:
        return url
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return f"sqlite:///{default_database_path()}"


def sqlite_path(url: str) -> Path | None:
    """The file of a plain SQLite file URL (`sqlite:///archive.sqlite3`), else None.

    Deliberately narrow — no query string, no escapes, no memory or `file:` URI databases —
    so whatever it accepts names the same file as SQLAlchemy's URL parsing; anything else
    goes the SQLAlchemy way (`store.db.sqlite_file`).
    """
    scheme = next((s for s in _SQLITE_SCHEMES if url.startswith(s)), None)
    if scheme is None:
        return None
    database = url[len(scheme):]
    if not database or database == ":memory:" or database.startswith("file:") \
            or any(c in database for c in "?%#"):
        return None
    return Path(database).expanduser()


def postgres_conninfo(url: str) -> str | None:
    """The libpq URI of a plain `postgresql+psycopg://user@host:port/db` URL, else None.

    As narrow as `sqlite_path`: no query string, so libpq reads the same user, password, host,
    port and database from it as SQLAlchemy does; anything else goes the SQLAlchemy way.
    """
    if not url.startswith(_POSTGRES_SCHEME) or "?" in url or "#" in url:
        return None
    return "postgresql://" + url[len(_POSTGRES_SCHEME):]


def hide_password(url: str) -> str:
    """The URL with its password as *** (as SQLAlchemy shows it), for messages."""
    return _PASSWORD.sub(r"\1:***@", url)


@cache
def known_revisions() -> dict[str, tuple[str, ...]]:
    """Every migration this code ships: revision id → the revisions it follows (none: first).

    Read from the `revision = …` / `down_revision = …` assignments of the files in
    migrations/versions, without importing Alembic or running the scripts; a test checks the
    result against Alembic's own view, so it stays right as migration files are added.
    """
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted(VERSIONS_DIR.glob("*.py")):
        values: dict[str, Any] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target, value = None, None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                with suppress(ValueError):
                    values[target.id] = ast.literal_eval(value)  # type: ignore[arg-type]
        revision, down = values.get("revision"), values.get("down_revision")
        if isinstance(revision, str):
            # down_revision is None (the first), one id, or a tuple of ids (a merge)
            found[revision] = (down,) if isinstance(down, str) else tuple(down or ())
    return found


def head_revision() -> str:
    """The newest schema revision this code knows (the one no other migration follows)."""
    revisions = known_revisions()
    heads = sorted(set(revisions) - {down for downs in revisions.values() for down in downs})
    if len(heads) != 1:
        raise StoreError(f"the migrations shipped with this tool have {len(heads)} heads "
                         f"({', '.join(heads)}); they must form one line")
    return heads[0]


def describe_error(where: str, exc: BaseException) -> str:
    """A database driver's error as one line saying what to do (`where`: the redacted URL)."""
    text = str(exc)
    if "file is not a database" in text or "file is encrypted" in text:
        return f"{where} is not an SQLite database; point --db at a new file or an archive"
    if "readonly" in text or "read-only" in text:
        return f"{where} is read-only; check the file's permissions or use another --db"
    if "disk is full" in text or "disk I/O error" in text:
        return f"cannot write to {where}: the disk is full or failing; free space and retry"
    if "unable to open" in text:
        return f"cannot open {where}: check that the directory exists and is writable"
    return f"cannot use {where}: {text.splitlines()[0] if text else type(exc).__name__}"
