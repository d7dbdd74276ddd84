"""The coverage outbox moves to ``db/``: ``coverage_change``, append-only (no upsert on a hot row), drained by
reporting's refresh task; the marks waiting in ``report_dirty`` are carried over.

Revision ID: 0019_queue_outbox
Revises: 0019_queue_uploads
Create Date: 2026-12-04 16:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_queue_outbox"
down_revision: str | None = "0019_queue_uploads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0007",)  # report_dirty


def upgrade() -> None:
    op.create_table(
        "coverage_change",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("village_code", sa.String(length=13), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_change")),
    )
    op.create_index("ix_coverage_change_village_month", "coverage_change", ["village_code", "month"], unique=False)
    op.execute(
        "INSERT INTO coverage_change (village_code, month, marked_at) "
        "SELECT village_code, month, marked_at FROM report_dirty"
    )
    op.drop_table("report_dirty")


def downgrade() -> None:
    op.create_table(
        "report_dirty",
        sa.Column("village_code", sa.String(length=13), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("village_code", "month", name=op.f("pk_report_dirty")),
    )
    op.execute(
        "INSERT INTO report_dirty (village_code, month, marked_at) "
        "SELECT village_code, month, max(marked_at) FROM coverage_change GROUP BY village_code, month"
    )
    op.drop_index("ix_coverage_change_village_month", table_name="coverage_change")
    op.drop_table("coverage_change")
