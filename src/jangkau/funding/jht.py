"""The JHT part of what a membership paid: per contribution month, from the ledger's paid months.

A month counts when it is protected (``funding_paid_month``, kept by the payment allocation) and its bill line
holds the contribution. The JHT share of the line comes from the rules engine: for PU the employer 3.7 % plus the
worker 2 % of the wage, for BPU the worker's 2 % of the declared income band (REFERENCE 1.2, 2.2). When the
line's amount differs from what the rules give for today's wage on file (the wage changed since), the JHT share
is taken pro rata from the line, rounded down, with a warning (the wage history is not kept).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from jangkau.errors import InvalidInput
from jangkau.funding.models import BillLine, PaidMonth
from jangkau.kit.money import Rupiah
from jangkau.kit.months import Month
from jangkau.registry.models import Employer, Membership
from jangkau.rules import Program, bpu_contribution, parse_programs, pu_contribution


@lru_cache(maxsize=50_000)
def jht_share(segment: str, base: int, risk_group: int, programs: str, month: Month) -> tuple[Rupiah, Rupiah]:
    """(JHT amount, whole contribution) of one month for a wage / declared income, per the rules engine."""
    held = parse_programs(programs)
    if Program.JHT not in held:
        return 0, 0
    if segment == "pu":
        contribution = pu_contribution(base, risk_group, month, held)
    elif segment == "bpu":
        contribution = bpu_contribution(base, month, held, months=1)
    else:
        return 0, 0
    return contribution.line(Program.JHT).total, contribution.total


def paid_lines(session: Session, membership_id: int) -> list[tuple[dt.date, Rupiah]]:
    """(contribution month, line amount) of every protected month of a membership, oldest first."""
    rows = session.execute(
        select(BillLine.month, BillLine.amount)
        .join(
            PaidMonth,
            and_(
                PaidMonth.membership_id == BillLine.membership_id,
                PaidMonth.month == BillLine.month,
                PaidMonth.bill_id == BillLine.bill_id,
            ),
        )
        .where(BillLine.membership_id == membership_id)
        .order_by(BillLine.month)
    ).all()
    return [(month, int(amount)) for month, amount in rows]


def jht_contributions(session: Session, membership: Membership) -> tuple[list[tuple[Month, Rupiah]], list[str]]:
    """The JHT amount of every paid month of a membership, and warnings (pro-rated months, no wage on file).

    Raises:
        InvalidInput: the rules refuse the wage or income on file for a month.
    """
    base = membership.wage if membership.segment == "pu" else membership.declared_income
    group = 1
    if membership.employer_id is not None:
        employer = session.get(Employer, membership.employer_id)
        group = employer.jkk_risk_group if employer else 1
    warnings: list[str] = []
    if not base:
        return [], [f"no wage or declared income on file for membership {membership.id}: no JHT computed"]
    out: list[tuple[Month, Rupiah]] = []
    prorated = 0
    for day, amount in paid_lines(session, membership.id):
        month = Month.of(day)
        try:
            jht, total = jht_share(membership.segment, base, group, membership.programs, month)
        except InvalidInput as exc:
            warnings.append(f"{month}: {exc.message}")
            continue
        if total and total != amount:
            jht, prorated = amount * jht // total, prorated + 1
        if jht:
            out.append((month, jht))
    if prorated:
        warnings.append(
            f"{prorated} month(s) billed at another wage than the one on file: JHT taken pro rata from the bill line"
        )
    return out, warnings
