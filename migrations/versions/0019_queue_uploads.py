"""Linkage: an uploaded list file is stored first, then imported (and linked) by a worker.

Revision ID: 0019_queue_uploads
Revises: 0018_tasks_record, 0010_linkage_run
Create Date: 2026-12-04 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_queue_uploads"
down_revision: str | tuple[str, ...] | None = ("0018_tasks_record", "0010_linkage_run")  # needs linkage_list
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "linkage_upload",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("mapping_json", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("link", sa.Boolean(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("list_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_linkage_upload_user_id_app_user")),
        sa.ForeignKeyConstraint(["list_id"], ["linkage_list.id"], name=op.f("fk_linkage_upload_list_id_linkage_list")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_upload")),
    )


def downgrade() -> None:
    op.drop_table("linkage_upload")
