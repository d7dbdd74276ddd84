"""Notify: messages with their delivery status, and consent per person and channel.

Revision ID: 0019_notify_messages
Revises: 0018_tasks_record
Create Date: 2026-12-04 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_notify_messages"
down_revision: str | None = "0018_tasks_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notify_message",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=True),
        sa.Column("use", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("region_code", sa.String(length=20), nullable=True),
        sa.Column("campaign", sa.String(length=60), nullable=True),
        sa.Column("variables", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.String(length=120), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_notify_message_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_message")),
        sa.UniqueConstraint("recipient", "use", "reference", "channel", name="uq_notify_message_natural"),
    )
    op.create_index("ix_notify_message_status_not_before", "notify_message", ["status", "not_before"])
    op.create_index(op.f("ix_notify_message_person_id"), "notify_message", ["person_id"])
    op.create_index(op.f("ix_notify_message_region_code"), "notify_message", ["region_code"])
    op.create_index(op.f("ix_notify_message_campaign"), "notify_message", ["campaign"])
    op.create_index(op.f("ix_notify_message_provider_id"), "notify_message", ["provider_id"])
    op.create_table(
        "notify_consent",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("given_via", sa.String(length=20), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_via", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_notify_consent_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_consent")),
        sa.UniqueConstraint("person_id", "channel", name="uq_notify_consent_person_channel"),
    )
    op.create_index(op.f("ix_notify_consent_address"), "notify_consent", ["address"])


def downgrade() -> None:
    op.drop_table("notify_consent")
    op.drop_table("notify_message")
