"""Notify for users (field agents): a consent and a message may belong to a user instead of a person.

Revision ID: 0020_followups_user_consent
Revises: 0019_notify_messages
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_followups_user_consent"
down_revision: str | None = "0019_notify_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
HOLDER = "(person_id IS NULL) <> (user_id IS NULL)"


def upgrade() -> None:
    with op.batch_alter_table("notify_consent") as batch:
        batch.alter_column("person_id", existing_type=BIG_ID, nullable=True)
        batch.add_column(sa.Column("user_id", BIG_ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_notify_consent_user_id_app_user"), "app_user", ["user_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_unique_constraint(op.f("uq_notify_consent_user_channel"), ["user_id", "channel"])
        batch.create_check_constraint(op.f("ck_notify_consent_holder"), HOLDER)
    with op.batch_alter_table("notify_message") as batch:
        batch.add_column(sa.Column("user_id", BIG_ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_notify_message_user_id_app_user"), "app_user", ["user_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_notify_message_user_id", ["user_id"])


def downgrade() -> None:
    op.execute("DELETE FROM notify_message WHERE user_id IS NOT NULL")
    op.execute("DELETE FROM notify_consent WHERE user_id IS NOT NULL")
    with op.batch_alter_table("notify_message") as batch:
        batch.drop_index("ix_notify_message_user_id")
        batch.drop_constraint(op.f("fk_notify_message_user_id_app_user"), type_="foreignkey")
        batch.drop_column("user_id")
    with op.batch_alter_table("notify_consent") as batch:
        batch.drop_constraint(op.f("ck_notify_consent_holder"), type_="check")
        batch.drop_constraint(op.f("uq_notify_consent_user_channel"), type_="unique")
        batch.drop_constraint(op.f("fk_notify_consent_user_id_app_user"), type_="foreignkey")
        batch.drop_column("user_id")
        batch.alter_column("person_id", existing_type=BIG_ID, nullable=False)
