"""Linkage: one record per run of a list (state, phase reached, start and end, the error of a failed run).

Revision ID: 0010_linkage_run
Revises: 0009
Create Date: 2026-11-21 22:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_linkage_run"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "linkage_run",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("list_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("phase", sa.String(length=40), nullable=False),
        sa.Column("started_by", sa.String(length=120), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_linkage_run_state")),
        sa.ForeignKeyConstraint(["list_id"], ["linkage_list.id"], name=op.f("fk_linkage_run_list_id_linkage_list")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_run")),
    )
    with op.batch_alter_table("linkage_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linkage_run_list_id"), ["list_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("linkage_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linkage_run_list_id"))
    op.drop_table("linkage_run")
