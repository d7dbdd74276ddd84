"""Rules: versions of the rule tables added by users (maker/checker), and the ``rules_admin`` role.

Revision ID: 0016_rules_versions
Revises: 0002
Create Date: 2026-12-04 14:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_rules_versions"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_ROLES = (
    "'admin', 'branch_officer', 'region_officer', 'opd_officer', 'field_agent', 'sponsor', 'employer', 'worker'"
)
_NEW_ROLES = _OLD_ROLES + ", 'rules_admin'"


def _set_roles(old: str, new: str) -> None:
    """Widen (or narrow back) ``ck_app_user_role``. SQLite cannot alter a CHECK constraint and rebuilding
    ``app_user`` would touch every table that refers to it (and the append-only audit log), so on SQLite the
    constraint text is edited in the schema, as SQLite's documentation describes for changes that leave the
    stored rows as they are (https://www.sqlite.org/lang_altertable.html, "other kinds of table schema changes")."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
        bind.exec_driver_sql("PRAGMA writable_schema=ON")
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'app_user'",
            (f"role IN ({old})", f"role IN ({new})"),
        )
        bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
        bind.exec_driver_sql("PRAGMA writable_schema=OFF")
        return
    op.drop_constraint(op.f("ck_app_user_role"), "app_user", type_="check")
    op.create_check_constraint(op.f("ck_app_user_role"), "app_user", f"role IN ({new})")


def upgrade() -> None:
    _set_roles(_OLD_ROLES, _NEW_ROLES)
    bigid = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "rule_version",
        sa.Column("id", bigid, nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("instrument", sa.String(length=300), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("proposed_by", bigid, nullable=True),
        sa.Column("proposed_by_name", sa.String(length=60), nullable=False),
        sa.Column("decided_by", bigid, nullable=True),
        sa.Column("decided_by_name", sa.String(length=60), nullable=True),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint("state IN ('proposed', 'active', 'withdrawn')", name=op.f("ck_rule_version_state")),
        sa.CheckConstraint("status IN ('confirmed', 'unconfirmed')", name=op.f("ck_rule_version_status")),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_rule_version_valid_span")),
        sa.ForeignKeyConstraint(["proposed_by"], ["app_user.id"], name=op.f("fk_rule_version_proposed_by_app_user")),
        sa.ForeignKeyConstraint(["decided_by"], ["app_user.id"], name=op.f("fk_rule_version_decided_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_version")),
    )
    op.create_index("ix_rule_version_rule_state", "rule_version", ["rule_id", "state"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rule_version_rule_state", table_name="rule_version")
    op.drop_table("rule_version")
    _set_roles(_NEW_ROLES, _OLD_ROLES)
