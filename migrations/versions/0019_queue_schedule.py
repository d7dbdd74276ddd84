"""Tasks: schedule lines changed on /admin/tasks (a cron per task, audited), read by the minute tick.

Revision ID: 0019_queue_schedule
Revises: 0019_queue_outbox
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_queue_schedule"
down_revision: str | None = "0019_queue_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "task_schedule",
        sa.Column("task", sa.String(length=60), nullable=False),
        sa.Column("cron", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("task", name=op.f("pk_task_schedule")),
    )


def downgrade() -> None:
    op.drop_table("task_schedule")
