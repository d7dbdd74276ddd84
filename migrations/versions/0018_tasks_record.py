"""Tasks: the task record the console shows (queued, running, done, failed; progress, error, attempts).

Revision ID: 0018_tasks_record
Revises: 0002
Create Date: 2026-12-04 15:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_tasks_record"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "task_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=True),
        sa.Column("args", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("started_by", sa.String(length=80), nullable=False),
        sa.Column("done", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_record")),
        sa.UniqueConstraint("name", "period", name=op.f("uq_task_record_name")),
    )
    op.create_index(op.f("ix_task_record_name"), "task_record", ["name"], unique=False)
    op.create_index(op.f("ix_task_record_status"), "task_record", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_task_record_status"), table_name="task_record")
    op.drop_index(op.f("ix_task_record_name"), table_name="task_record")
    op.drop_table("task_record")
