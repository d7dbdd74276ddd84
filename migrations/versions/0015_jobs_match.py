"""Jobs: the skill rows of seekers carry what the match points need (looking, expected wage, preferred kecamatan),
with a covering index, so ranking seekers for a vacancy reads one index instead of one seeker row per candidate.

Revision ID: 0015_jobs_match
Revises: 0008
Create Date: 2026-11-21 22:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_jobs_match"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs_seeker_skill", schema=None) as batch_op:
        batch_op.add_column(sa.Column("looking", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("expected_wage", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("preferred_districts", sa.String(length=400), server_default="", nullable=False))
    op.execute(
        """
        UPDATE jobs_seeker_skill SET
            looking = (SELECT s.availability != 'not_looking' FROM jobs_seeker s WHERE s.id = jobs_seeker_skill.seeker_id),
            expected_wage = (SELECT s.expected_wage FROM jobs_seeker s WHERE s.id = jobs_seeker_skill.seeker_id),
            preferred_districts = (
                SELECT COALESCE(s.preferred_districts, '') FROM jobs_seeker s WHERE s.id = jobs_seeker_skill.seeker_id
            )
        """
    )
    with op.batch_alter_table("jobs_seeker_skill", schema=None) as batch_op:
        batch_op.create_index(
            "ix_jobs_seeker_skill_match",
            ["skill", "looking", "seeker_id", "expected_wage", "preferred_districts"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs_seeker_skill", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_seeker_skill_match")
        batch_op.drop_column("preferred_districts")
        batch_op.drop_column("expected_wage")
        batch_op.drop_column("looking")
