"""Threads: reviewer decisions, the pairing cache and the full-text search index.

Revision ID: 0002_threads
Revises: 0001
Create Date: 2026-11-29 17:30:00

The search index is engine-specific and lives outside the models: on SQLite an FTS5 table with
the trigram tokenizer over item.comparison, kept current by triggers; on PostgreSQL a pg_trgm
GIN index on the same column. env.py keeps both out of `alembic check`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_threads"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE item_search USING fts5(comparison, content='item', "
    "content_rowid='id', tokenize='trigram case_sensitive 1')",
    "CREATE TRIGGER item_search_insert AFTER INSERT ON item BEGIN "
    "INSERT INTO item_search(rowid, comparison) VALUES (new.id, new.comparison); END",
    "CREATE TRIGGER item_search_delete AFTER DELETE ON item BEGIN "
    "INSERT INTO item_search(item_search, rowid, comparison) "
    "VALUES ('delete', old.id, old.comparison); END",
    "CREATE TRIGGER item_search_update AFTER UPDATE ON item BEGIN "
    "INSERT INTO item_search(item_search, rowid, comparison) "
    "VALUES ('delete', old.id, old.comparison); "
    "INSERT INTO item_search(rowid, comparison) VALUES (new.id, new.comparison); END",
    "INSERT INTO item_search(item_search) VALUES ('rebuild')",
)
POSTGRES_SEARCH = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_item_comparison_trgm ON item USING gin (comparison gin_trgm_ops)",
)


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("old_year", sa.Integer(), nullable=False),
        sa.Column("old_number", sa.Integer(), nullable=False),
        sa.Column("old_text", sa.Text(), nullable=False),
        sa.Column("new_year", sa.Integer(), nullable=False),
        sa.Column("new_number", sa.Integer(), nullable=False),
        sa.Column("new_text", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["series_id"], ["series.id"], name=op.f("fk_decision_series_id_series")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    op.create_table(
        "pairing_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_cache")),
        sa.UniqueConstraint("digest", name=op.f("uq_pairing_cache_digest")),
    )
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": SQLITE_SEARCH, "postgresql": POSTGRES_SEARCH}.get(dialect, ())
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("item_search_insert", "item_search_delete", "item_search_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS item_search")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_item_comparison_trgm")
    op.drop_table("pairing_cache")
    op.drop_table("decision")
