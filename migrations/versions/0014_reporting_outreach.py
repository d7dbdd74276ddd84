"""Reporting: outreach progress on the dashboards (outreach per region and month, campaign target and progress
per region).

Revision ID: 0014_reporting_outreach
Revises: 0007
Create Date: 2026-11-21 22:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_reporting_outreach"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_outreach",
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("parent_code", sa.String(length=13), nullable=True),
        sa.Column("prospects", sa.Integer(), nullable=False),
        sa.Column("visited", sa.Integer(), nullable=False),
        sa.Column("registered", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "month", name=op.f("pk_report_outreach")),
    )
    op.create_index("ix_report_outreach_parent_month", "report_outreach", ["parent_code", "month"])
    op.create_table(
        "report_campaign",
        sa.Column("campaign_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("is_target", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("registered", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", "region_code", name=op.f("pk_report_campaign")),
    )
    op.create_index("ix_report_campaign_region", "report_campaign", ["region_code"])


def downgrade() -> None:
    op.drop_index("ix_report_campaign_region", table_name="report_campaign")
    op.drop_table("report_campaign")
    op.drop_index("ix_report_outreach_parent_month", table_name="report_outreach")
    op.drop_table("report_outreach")
