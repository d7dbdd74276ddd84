"""Registry: one-time-code challenges of the anonymous coverage check.

Revision ID: 0016_registry_coverage_challenge
Revises: 0001
Create Date: 2026-12-04 14:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_registry_coverage_challenge"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coverage_challenge",
        sa.Column("id", sa.String(length=43), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("nik_digest", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_coverage_challenge_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_challenge")),
    )
    op.create_index(op.f("ix_coverage_challenge_person_id"), "coverage_challenge", ["person_id"])
    op.create_index(op.f("ix_coverage_challenge_nik_digest"), "coverage_challenge", ["nik_digest"])


def downgrade() -> None:
    op.drop_table("coverage_challenge")
