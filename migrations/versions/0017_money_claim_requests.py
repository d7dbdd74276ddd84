"""Claims: requests for documents that stop the service-level clock until the documents arrive.

Revision ID: 0017_money_claim_requests
Revises: 0005
Create Date: 2026-12-04 14:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_money_claim_requests"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "claim_document_request",
        sa.Column("id", _ID, nullable=False),
        sa.Column("claim_id", _ID, nullable=False),
        sa.Column("documents", sa.String(length=300), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("arrived_on", sa.Date(), nullable=True),
        sa.Column("received_by", sa.String(length=80), nullable=True),
        sa.Column("paused_days", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_document_request_claim_id_claim")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_document_request")),
    )
    op.create_index("ix_claim_document_request_claim_id", "claim_document_request", ["claim_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_claim_document_request_claim_id", table_name="claim_document_request")
    op.drop_table("claim_document_request")
