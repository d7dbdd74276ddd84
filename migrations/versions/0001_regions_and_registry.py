"""Regions and registry: job checkpoints, region tree, persons, households, employers, memberships.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 19:41:46.975709
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_checkpoint",
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("units_done", sa.Integer(), nullable=False),
        sa.Column("units_total", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", "key", name=op.f("pk_job_checkpoint")),
    )
    op.create_table(
        "region_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("decree", sa.String(length=120), nullable=False),
        sa.Column("provinces", sa.Integer(), nullable=False),
        sa.Column("regencies", sa.Integer(), nullable=False),
        sa.Column("districts", sa.Integer(), nullable=False),
        sa.Column("villages", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_source")),
    )
    op.create_table(
        "region",
        sa.Column("code", sa.String(length=13), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("parent_code", sa.String(length=13), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parent_code"], ["region.code"], name=op.f("fk_region_parent_code_region")),
        sa.ForeignKeyConstraint(["source_id"], ["region_source.id"], name=op.f("fk_region_source_id_region_source")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_region")),
    )
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_region_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_region_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "household",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kk_number", sa.String(length=16), nullable=True),
        sa.Column("village_code", sa.String(length=13), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.Column("rt", sa.String(length=3), nullable=True),
        sa.Column("rw", sa.String(length=3), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["village_code"], ["region.code"], name=op.f("fk_household_village_code_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
        sa.UniqueConstraint("kk_number", name=op.f("uq_household_kk_number")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_village_code"), ["village_code"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=False),
        sa.Column("full_name", sa.String(length=150), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("address", sa.String(length=255), nullable=True),
        sa.Column("rt", sa.String(length=3), nullable=True),
        sa.Column("rw", sa.String(length=3), nullable=True),
        sa.Column("village_code", sa.String(length=13), nullable=False),
        sa.Column("occupation", sa.String(length=40), nullable=True),
        sa.Column("is_vulnerable", sa.Boolean(), nullable=False),
        sa.Column("household_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("registered_by_kind", sa.String(length=12), nullable=False),
        sa.Column("registered_by_label", sa.String(length=120), nullable=True),
        sa.Column("registered_by_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.CheckConstraint(
            "registered_by_kind IN ('user', 'agent', 'self', 'participant', 'employer', 'import', 'demo')",
            name=op.f("ck_person_registered_by_kind"),
        ),
        sa.CheckConstraint("sex IN ('L', 'P')", name=op.f("ck_person_sex")),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_person_household_id_household")),
        sa.ForeignKeyConstraint(
            ["registered_by_person_id"], ["person.id"], name=op.f("fk_person_registered_by_person_id_person")
        ),
        sa.ForeignKeyConstraint(["village_code"], ["region.code"], name=op.f("fk_person_village_code_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("nik", name=op.f("uq_person_nik")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_person_village_name", ["village_code", "full_name"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # LIKE '12.71.%' scope filters need a pattern index under a non-C collation.
        op.execute("CREATE INDEX ix_person_village_code_pattern ON person (village_code varchar_pattern_ops)")
        op.execute("CREATE INDEX ix_region_code_pattern ON region (code varchar_pattern_ops)")

    op.create_table(
        "employer",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("registration_number", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("npwp", sa.String(length=20), nullable=True),
        sa.Column("business_sector", sa.String(length=40), nullable=False),
        sa.Column("size_class", sa.String(length=8), nullable=False),
        sa.Column("jkk_risk_group", sa.SmallInteger(), nullable=False),
        sa.Column("village_code", sa.String(length=13), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("registered_by_kind", sa.String(length=12), nullable=False),
        sa.Column("registered_by_label", sa.String(length=120), nullable=True),
        sa.Column("registered_by_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.CheckConstraint(
            "registered_by_kind IN ('user', 'agent', 'self', 'participant', 'employer', 'import', 'demo')",
            name=op.f("ck_employer_registered_by_kind"),
        ),
        sa.CheckConstraint("size_class IN ('micro', 'small', 'medium', 'large')", name=op.f("ck_employer_size_class")),
        sa.CheckConstraint("jkk_risk_group BETWEEN 1 AND 5", name=op.f("ck_employer_jkk_risk_group")),
        sa.ForeignKeyConstraint(
            ["registered_by_person_id"],
            ["person.id"],
            name=op.f("fk_employer_registered_by_person_id_person"),
        ),
        sa.ForeignKeyConstraint(["village_code"], ["region.code"], name=op.f("fk_employer_village_code_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer")),
        sa.UniqueConstraint("registration_number", name=op.f("uq_employer_registration_number")),
    )
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employer_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_employer_npwp"), ["npwp"], unique=False)
        batch_op.create_index(batch_op.f("ix_employer_village_code"), ["village_code"], unique=False)

    op.create_table(
        "membership",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("segment", sa.String(length=6), nullable=False),
        sa.Column("employer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("programs", sa.String(length=40), nullable=False),
        sa.Column("wage", sa.BigInteger(), nullable=True),
        sa.Column("declared_income", sa.BigInteger(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("registered_by_kind", sa.String(length=12), nullable=False),
        sa.Column("registered_by_label", sa.String(length=120), nullable=True),
        sa.Column("registered_by_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.CheckConstraint(
            "registered_by_kind IN ('user', 'agent', 'self', 'participant', 'employer', 'import', 'demo')",
            name=op.f("ck_membership_registered_by_kind"),
        ),
        sa.CheckConstraint("segment <> 'pu' OR employer_id IS NOT NULL", name=op.f("ck_membership_pu_has_employer")),
        sa.CheckConstraint("segment IN ('pu', 'bpu', 'jakon', 'pmi')", name=op.f("ck_membership_segment")),
        sa.CheckConstraint(
            "status IN ('pending', 'active', 'lapsed', 'ended', 'nonaktif')",
            name=op.f("ck_membership_status"),
        ),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"], name=op.f("fk_membership_employer_id_employer")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_membership_person_id_person")),
        sa.ForeignKeyConstraint(
            ["registered_by_person_id"],
            ["person.id"],
            name=op.f("fk_membership_registered_by_person_id_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index("ix_membership_person_status", ["person_id", "status"], unique=False)
    # Foreign keys to person need an index, or deleting a person scans these tables for each row.
    for table in ("person", "employer", "membership"):
        op.create_index(f"ix_{table}_registered_by_person_id", table, ["registered_by_person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index("ix_membership_person_status")
        batch_op.drop_index(batch_op.f("ix_membership_employer_id"))

    op.drop_table("membership")
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employer_village_code"))
        batch_op.drop_index(batch_op.f("ix_employer_npwp"))
        batch_op.drop_index(batch_op.f("ix_employer_name"))

    op.drop_table("employer")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_village_name")
        batch_op.drop_index(batch_op.f("ix_person_household_id"))

    op.drop_table("person")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_village_code"))

    op.drop_table("household")
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_region_parent_code"))
        batch_op.drop_index(batch_op.f("ix_region_level"))

    op.drop_table("region")
    op.drop_table("region_source")
    op.drop_table("job_checkpoint")
