"""Funding: which sign-ins speak for a sponsor (a sponsor user reads only its own programmes and statements).

Revision ID: 0013
Revises: 0003
Create Date: 2026-11-21 22:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "funding_payer_user",
        sa.Column("payer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payer_id"],
            ["funding_payer.id"],
            name=op.f("fk_funding_payer_user_payer_id_funding_payer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_funding_payer_user_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("payer_id", "user_id", name=op.f("pk_funding_payer_user")),
    )
    op.create_index(op.f("ix_funding_payer_user_user_id"), "funding_payer_user", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_funding_payer_user_user_id"), table_name="funding_payer_user")
    op.drop_table("funding_payer_user")
