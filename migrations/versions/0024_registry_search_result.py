"""Registry: a NIK search's answer kept server-side for its user (``registry_search_result``), so that the register
page shows it at an opaque address (``/registry/results/<id>``) and the posted NIK is never in a URL.

Revision ID: 0024_registry_search_result
Revises: 0023_funding_review_reason_id
Create Date: 2026-12-04 22:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_registry_search_result"
down_revision: str | None = "0023_funding_review_reason_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "registry_search_result",
        sa.Column("id", sa.String(length=43), nullable=False),
        sa.Column("user_id", big, nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("person_id", big, nullable=True),
        sa.Column("region_code", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_registry_search_result_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_registry_search_result_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_search_result")),
    )
    op.create_index(op.f("ix_registry_search_result_user_id"), "registry_search_result", ["user_id"])
    op.create_index(op.f("ix_registry_search_result_expires_at"), "registry_search_result", ["expires_at"])


def downgrade() -> None:
    op.drop_table("registry_search_result")
