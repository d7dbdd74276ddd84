"""All SQL of the managed rule versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.registry.models import Employer, Membership
from jangkau.ruleadmin.models import RuleVersion


def add(session: Session, version: RuleVersion) -> RuleVersion:
    session.add(version)
    session.flush()
    return version


def get(session: Session, version_id: int, lock: bool = False) -> RuleVersion | None:
    query = select(RuleVersion).where(RuleVersion.id == version_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def in_states(session: Session, states: Sequence[str], rule_id: str | None = None) -> Sequence[RuleVersion]:
    query = select(RuleVersion).where(RuleVersion.state.in_(states))
    if rule_id is not None:
        query = query.where(RuleVersion.rule_id == rule_id)
    return session.scalars(query.order_by(RuleVersion.rule_id, RuleVersion.valid_from, RuleVersion.id)).all()


def listing(session: Session, rule_id: str | None = None) -> Sequence[RuleVersion]:
    query = select(RuleVersion)
    if rule_id:
        query = query.where(RuleVersion.rule_id == rule_id)
    return session.scalars(query.order_by(RuleVersion.rule_id, RuleVersion.valid_from.desc(), RuleVersion.id)).all()


def fingerprint(session: Session) -> tuple[int, int, dt.datetime | None]:
    """Changes whenever a version is added or changes state (count, highest id, latest update)."""
    row = session.execute(
        select(func.count(RuleVersion.id), func.max(RuleVersion.id), func.max(RuleVersion.updated_at))
    ).one()
    return int(row[0]), int(row[1] or 0), row[2]


def pu_wages_in(session: Session, region_prefix: str, on: dt.date) -> Sequence[tuple[int, int, int]]:
    """(employer id, wage, workers) of the open PU memberships whose employer lies in ``region_prefix`` on ``on``.

    Aggregates only: no person is named.
    """
    query = (
        select(Membership.employer_id, Membership.wage, func.count(Membership.id))
        .join(Employer, Employer.id == Membership.employer_id)
        .where(
            Membership.segment == "pu",
            Membership.status.in_(("pending", "active")),
            Membership.wage.is_not(None),
            Membership.start_date <= on,
            (Membership.end_date.is_(None)) | (Membership.end_date >= on),
            Employer.village_code.like(region_prefix + ".%"),
        )
        .group_by(Membership.employer_id, Membership.wage)
    )
    return [(int(e or 0), int(w or 0), int(n)) for e, w, n in session.execute(query).all()]
