"""Running the Alembic migrations shipped inside the package.

Kept apart from store.db because Alembic and the migration scripts cost every command ~65 ms
to import and read; store.db decides from one query whether they are needed at all.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from resolution_archive.errors import StoreError
from resolution_archive.store.db import MIGRATIONS_DIR, current_revision, describe_db_error


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic Config pointing at the migrations shipped inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Apply migrations up to `revision`; returns (before, after)."""
    before = current_revision(engine)
    try:
        command.upgrade(alembic_config(engine), revision)
    except (DatabaseError, OperationalError) as exc:
        raise StoreError(describe_db_error(engine, exc)) from exc
    return before, current_revision(engine) or ""
