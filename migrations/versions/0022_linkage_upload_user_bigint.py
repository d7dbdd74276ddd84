"""Linkage: ``linkage_upload.user_id`` becomes BIGINT on PostgreSQL, the type of ``app_user.id`` it refers to.

``0019_queue_uploads`` created the column as INTEGER; the model takes its type from the foreign key (``BigId``:
BIGINT, INTEGER on SQLite). Found by ``tests/integration/db/test_migrations.py`` (migrations == models). SQLite
keeps INTEGER, which is what ``BigId`` is there.

Revision ID: 0022_linkage_upload_user_bigint
Revises: 0021_merge_heads
Create Date: 2026-12-04 19:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_linkage_upload_user_bigint"
down_revision: str | None = "0021_merge_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column(
        "linkage_upload", "user_id", type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=True
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column(
        "linkage_upload", "user_id", type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=True
    )
