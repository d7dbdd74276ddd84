"""Funding: the payment channels the branch office lists on cards and receipts, and the requests to enrol a worker
in a sponsor's programme that wait for the sponsor's officer (issue 22, points 5 and 6).

Revision ID: 0026_funding_sponsor_requests
Revises: 0025_auth_password_reset
Create Date: 2026-12-04 22:18:59.049377
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_funding_sponsor_requests"
down_revision: str | None = "0025_auth_password_reset"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "funding_payment_channel",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("instructions", sa.String(length=300), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_payment_channel")),
    )
    op.create_table(
        "funding_sponsorship_request",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("programme_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("membership_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("sponsorship_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')", name=op.f("ck_funding_sponsorship_request_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"], ["membership.id"], name=op.f("fk_funding_sponsorship_request_membership_id_membership")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_funding_sponsorship_request_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["funding_programme.id"],
            name=op.f("fk_funding_sponsorship_request_programme_id_funding_programme"),
        ),
        sa.ForeignKeyConstraint(
            ["sponsorship_id"],
            ["funding_sponsorship.id"],
            name=op.f("fk_funding_sponsorship_request_sponsorship_id_funding_sponsorship"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_sponsorship_request")),
    )
    with op.batch_alter_table("funding_sponsorship_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_funding_sponsorship_request_membership_id"), ["membership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_funding_sponsorship_request_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "ix_funding_sponsorship_request_programme_status", ["programme_id", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("funding_sponsorship_request", schema=None) as batch_op:
        batch_op.drop_index("ix_funding_sponsorship_request_programme_status")
        batch_op.drop_index(batch_op.f("ix_funding_sponsorship_request_person_id"))
        batch_op.drop_index(batch_op.f("ix_funding_sponsorship_request_membership_id"))

    op.drop_table("funding_sponsorship_request")
    op.drop_table("funding_payment_channel")
