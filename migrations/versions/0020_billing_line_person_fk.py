"""Funding: drop the foreign key of ``funding_bill_line.person_id`` (a copy of the membership's person).

A bill line names its membership (foreign key kept) and, for statements per person, the membership's person. That
person is guaranteed by the membership's own foreign key to ``person``; the billing run copies it from the
membership row in the same statement, and nothing writes a line otherwise. The second check cost one index probe
and share lock of a ``person`` row per line (one of four foreign-key checks per member-month on PostgreSQL). The
``person_id`` index stays (statements per person use it). See ``src/jangkau/funding/README.md``.

Revision ID: 0020_billing_line_person_fk
Revises: 0016_money_allocation
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0020_billing_line_person_fk"
down_revision: str | None = "0016_money_allocation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_funding_bill_line_person_id_person"


def upgrade() -> None:
    # SQLite keeps the key: dropping it there means rebuilding the table (batch mode), which would drop the line
    # table's append-only triggers with it and copy a ledger that other tables reference, for a check that costs
    # little there. The model no longer declares the key; the PostgreSQL schema matches it.
    if op.get_bind().dialect.name == "sqlite":
        return
    op.drop_constraint(FK, "funding_bill_line", type_="foreignkey")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.create_foreign_key(FK, "funding_bill_line", "person", ["person_id"], ["id"])
