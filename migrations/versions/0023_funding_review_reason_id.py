"""Funding: a statement line on the review list keeps its reason in Bahasa Indonesia too (``reason_id``), so that
the review page shows it in the page's language. Lines recorded before keep an empty ``reason_id`` and show the
English reason.

Revision ID: 0023_funding_review_reason_id
Revises: 0022_linkage_upload_user_bigint
Create Date: 2026-12-04 21:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_funding_review_reason_id"
down_revision: str | None = "0022_linkage_upload_user_bigint"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("funding_payment_review") as batch:
        batch.add_column(sa.Column("reason_id", sa.String(300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("funding_payment_review") as batch:
        batch.drop_column("reason_id")
