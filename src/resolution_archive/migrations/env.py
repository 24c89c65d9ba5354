"""Alembic environment. Used by the tool itself (engine passed in `config.attributes`) and by
the `alembic` command from a checkout (URL from ARCHIVE_DATABASE_URL or the default path)."""

from __future__ import annotations

from alembic import context

from resolution_archive.store.db import make_engine, resolve_url
from resolution_archive.store.models import Base

config = context.config
target_metadata = Base.metadata
# key of the pg_advisory_xact_lock held while migrating ("resol" in ASCII)
MIGRATION_LOCK = 0x7265736F6C
# the search index is engine-specific SQL (migration 0003_threads), not in the models
SEARCH_TABLE_PREFIX = "item_search"
SEARCH_INDEXES = {"ix_item_comparison_trgm"}


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Keep the engine-specific search index out of the models comparison (`alembic check`)."""
    if type_ == "table" and name is not None:
        return not name.startswith(SEARCH_TABLE_PREFIX)
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True


def run_migrations_offline() -> None:
    context.configure(
        url=resolve_url(config.get_main_option("sqlalchemy.url") or None),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = make_engine(resolve_url(config.get_main_option("sqlalchemy.url") or None))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
            compare_type=True,
            include_name=include_name,
            # One transaction for the whole upgrade, on SQLite too (Alembic runs SQLite DDL
            # outside one by default): the writers' BEGIN IMMEDIATE then holds the write lock
            # from reading the current revision to the last step, so processes opening a new
            # archive at once take turns instead of applying the same revision twice
            # ("duplicate column name").
            transactional_ddl=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # processes opening a new archive at once would all create the tables; the
                # lock makes them take turns, and the later ones find the schema current
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
