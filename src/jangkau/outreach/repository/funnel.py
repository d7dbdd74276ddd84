"""The SQL behind campaign progress, the funnel, leaderboards and the agent incentive.

"Paid" means the membership's first contribution month is in ``funding_paid_month`` (its month is on or before the
start date, since months are stored as their first day); "active after 3 months" means the month three months after
the first one is paid too. Both are read with correlated look-ups on the paid-month primary key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from jangkau.db.scope import scope_filter
from jangkau.funding.models import BillLine, PaidMonth
from jangkau.kit.months import Month
from jangkau.outreach.models import Prospect, Visit
from jangkau.registry.models import Membership, Person

AGENT_KIND = "agent"


@dataclass(frozen=True)
class MembershipFact:
    """One registration in a period, where the worker lives, who registered it and how far it got paying."""

    membership_id: int
    village_code: str
    start_date: dt.date
    registered_by: str | None
    first_month_paid: bool
    last_paid: dt.date | None

    def active_after(self, months: int) -> bool:
        """Paid for the month ``months`` after the first one (still paying)."""
        return (
            self.first_month_paid
            and self.last_paid is not None
            and Month.of(self.last_paid) >= Month.of(self.start_date).plus(months)
        )


def membership_facts(
    session: Session,
    scope: Iterable[str],
    first: dt.date,
    last: dt.date,
    *,
    agents_only: bool = False,
    vulnerable_only: bool = False,
) -> list[MembershipFact]:
    """Memberships starting in ``first``..``last`` of people living in ``scope``."""
    scope = tuple(scope)
    if not scope:
        return []
    first_paid = (
        select(func.count())
        .where(PaidMonth.membership_id == Membership.id, PaidMonth.month <= Membership.start_date)
        .scalar_subquery()
    )
    last_paid = select(func.max(PaidMonth.month)).where(PaidMonth.membership_id == Membership.id).scalar_subquery()
    conditions = [
        scope_filter(Person.village_code, scope),
        Membership.start_date >= first,
        Membership.start_date <= last,
    ]
    if agents_only:
        conditions.append(Membership.registered_by_kind == AGENT_KIND)
    if vulnerable_only:
        conditions.append(Person.is_vulnerable.is_(True))
    rows = session.execute(
        select(
            Membership.id,
            Person.village_code,
            Membership.start_date,
            Membership.registered_by_label,
            first_paid,
            last_paid,
        )
        .join(Person, Person.id == Membership.person_id)
        .where(*conditions)
    ).all()
    return [MembershipFact(int(i), str(v), s, label, bool(p), lp) for i, v, s, label, p, lp in rows]


@dataclass(frozen=True)
class VisitFact:
    agent_id: int
    village_code: str
    prospect_id: int
    outcome: str


def visit_facts(session: Session, scope: Iterable[str], first: dt.date, last: dt.date) -> list[VisitFact]:
    """Visits in the period to prospects living in ``scope``."""
    rows = session.execute(
        select(Visit.agent_id, Prospect.village_code, Visit.prospect_id, Visit.outcome)
        .join(Prospect, Prospect.id == Visit.prospect_id)
        .where(scope_filter(Prospect.village_code, scope), Visit.visited_on >= first, Visit.visited_on <= last)
    ).all()
    return [VisitFact(int(a), str(v), int(p), str(o)) for a, v, p, o in rows]


def _recruits(username: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (Membership.registered_by_kind == AGENT_KIND, Membership.registered_by_label == username)


def collected_from_recruits(session: Session, username: str, month: Month) -> int:
    """Contributions of the agent's recruits that became paid months during ``month`` (bill line amounts)."""
    total = session.scalar(
        select(func.coalesce(func.sum(BillLine.amount), 0))
        .join(PaidMonth, and_(PaidMonth.membership_id == BillLine.membership_id, PaidMonth.month == BillLine.month))
        .join(Membership, Membership.id == BillLine.membership_id)
        .where(
            *_recruits(username),
            PaidMonth.bill_id == BillLine.bill_id,
            PaidMonth.paid_on >= month.first_day(),
            PaidMonth.paid_on <= month.last_day(),
        )
    )
    return int(total or 0)


def new_paid_recruits(session: Session, username: str, month: Month) -> int:
    """Recruits of the agent whose membership started in ``month`` and whose first month is paid."""
    first_paid = (
        select(PaidMonth.membership_id)
        .where(PaidMonth.membership_id == Membership.id, PaidMonth.month <= Membership.start_date)
        .exists()
    )
    count = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            *_recruits(username),
            Membership.start_date >= month.first_day(),
            Membership.start_date <= month.last_day(),
            first_paid,
        )
    )
    return int(count or 0)


def activity_months(session: Session, username: str, since: dt.date) -> set[Month]:
    """Months since ``since`` in which the agent acquired a participant or a recruit's contribution came in."""
    starts = session.scalars(
        select(Membership.start_date).where(*_recruits(username), Membership.start_date >= since).distinct()
    ).all()
    paid = session.scalars(
        select(PaidMonth.paid_on)
        .join(Membership, Membership.id == PaidMonth.membership_id)
        .where(*_recruits(username), PaidMonth.paid_on >= since)
        .distinct()
    ).all()
    return {Month.of(d) for d in (*starts, *paid)}
