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


def upgrade() -> None:
    # every source before this revision was a text file; its extracted text was not kept
    with op.batch_alter_table("source") as batch:
        batch.add_column(sa.Column("format", sa.String(length=10), nullable=False,
                                   server_default="text"))
        batch.add_column(sa.Column("extracted_text", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source") as batch:
        batch.drop_column("extracted_text")
        batch.drop_column("format")
