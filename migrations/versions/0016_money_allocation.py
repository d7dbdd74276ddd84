"""Funding: payment allocation (``funding_allocation``) and payers' credit (``funding_credit``), both append-only;
existing fully paid bills get their allocation and every payer's unallocated money becomes credit.

Revision ID: 0016_money_allocation
Revises: 0013
Create Date: 2026-12-04 14:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_money_allocation"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLES = ("funding_allocation", "funding_credit")


def upgrade() -> None:
    op.create_table(
        "funding_allocation",
        sa.Column("id", _ID, nullable=False),
        sa.Column("payer_id", _ID, nullable=False),
        sa.Column("payment_id", _ID, nullable=False),
        sa.Column("bill_id", _ID, nullable=False),
        sa.Column("bill_line_id", _ID, nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_funding_allocation_amount_nonzero")),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["funding_payer.id"], name=op.f("fk_funding_allocation_payer_id_funding_payer")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["funding_payment.id"], name=op.f("fk_funding_allocation_payment_id_funding_payment")
        ),
        sa.ForeignKeyConstraint(
            ["bill_id"], ["funding_bill.id"], name=op.f("fk_funding_allocation_bill_id_funding_bill")
        ),
        sa.ForeignKeyConstraint(
            ["bill_line_id"],
            ["funding_bill_line.id"],
            name=op.f("fk_funding_allocation_bill_line_id_funding_bill_line"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_allocation")),
    )
    for column in ("payer_id", "payment_id", "bill_id", "bill_line_id"):
        op.create_index(f"ix_funding_allocation_{column}", "funding_allocation", [column], unique=False)
    op.create_table(
        "funding_credit",
        sa.Column("id", _ID, nullable=False),
        sa.Column("payer_id", _ID, nullable=False),
        sa.Column("payment_id", _ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_funding_credit_amount_nonzero")),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["funding_payer.id"], name=op.f("fk_funding_credit_payer_id_funding_payer")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["funding_payment.id"], name=op.f("fk_funding_credit_payment_id_funding_payment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_credit")),
    )
    op.create_index("ix_funding_credit_payer_id", "funding_credit", ["payer_id"], unique=False)
    op.create_index("ix_funding_credit_payment_id", "funding_credit", ["payment_id"], unique=False)
    _backfill()
    _append_only()


_PAID_BILLS = (
    "SELECT b.id AS bill_id, b.payer_id, b.kind, b.amount, MAX(p.id) AS payment_id FROM funding_bill b "
    "JOIN funding_payment p ON p.bill_id = b.id WHERE b.amount > 0 "
    "GROUP BY b.id, b.payer_id, b.kind, b.amount HAVING SUM(p.amount) >= b.amount"
)


def _backfill() -> None:
    """Bills paid in full before allocation existed: BPU month by month, the others as a whole; the rest is credit."""
    op.execute(
        "INSERT INTO funding_allocation (payer_id, payment_id, bill_id, bill_line_id, amount, created_at) "
        f"SELECT pb.payer_id, pb.payment_id, pb.bill_id, l.id, l.amount, CURRENT_TIMESTAMP FROM ({_PAID_BILLS}) pb "
        "JOIN funding_bill_line l ON l.bill_id = pb.bill_id WHERE pb.kind = 'bpu' AND l.amount <> 0"
    )
    op.execute(
        "INSERT INTO funding_allocation (payer_id, payment_id, bill_id, bill_line_id, amount, created_at) "
        f"SELECT pb.payer_id, pb.payment_id, pb.bill_id, NULL, pb.amount, CURRENT_TIMESTAMP FROM ({_PAID_BILLS}) pb "
        "WHERE pb.kind <> 'bpu'"
    )
    op.execute(
        "INSERT INTO funding_credit (payer_id, payment_id, amount, needs_review, reason, created_at) "
        "SELECT p.payer_id, MAX(p.id), SUM(p.amount) - COALESCE(MAX(a.allocated), 0), "
        "FALSE, 'paid before allocation existed, not allocated', CURRENT_TIMESTAMP "
        "FROM funding_payment p LEFT JOIN (SELECT payer_id, SUM(amount) AS allocated FROM funding_allocation "
        "GROUP BY payer_id) a ON a.payer_id = p.payer_id "
        "GROUP BY p.payer_id HAVING SUM(p.amount) - COALESCE(MAX(a.allocated), 0) <> 0"
    )


def _append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:  # the function comes from 0003
            op.execute(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION funding_ledger_append_only()"
            )
        return
    for table in TABLES:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
    op.drop_table("funding_credit")
    op.drop_table("funding_allocation")
