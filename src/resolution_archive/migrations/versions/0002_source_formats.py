"""Sources keep their format and the text extracted from them (PDF, Word, web pages).

Revision ID: 0002_source_formats
Revises: 0001
Create Date: 2026-11-29 17:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_source_formats"
down_revision = "0001"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN (SQLite ≥ 3.35 has both): a batch copy of `source` would have to drop
# a table other tables refer to.


def upgrade() -> None:
    # every source before this revision was a text file; its extracted text was not kept
    op.add_column("source", sa.Column("format", sa.String(length=10), nullable=False,
                                      server_default="text"))
    op.add_column("source", sa.Column("extracted_text", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("source", "extracted_text")
    op.drop_column("source", "format")
