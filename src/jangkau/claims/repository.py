"""All SQL of the claims domain. Every read of claims joins the person and filters by the caller's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jangkau.claims.models import Claim, ClaimDocument, ClaimDocumentRequest, ClaimEvent, ClaimHandover, ClaimHeir
from jangkau.claims.rules.workflow import OPEN
from jangkau.db.scope import scope_filter
from jangkau.kit.months import Month
from jangkau.kit.pagination import Page, PageRequest
from jangkau.registry.models import Person


def add(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


def _visible(scope: Iterable[str], filed_by_user_id: int | None) -> list[ColumnElement[bool]]:
    conditions = [scope_filter(Person.village_code, scope)]
    if filed_by_user_id is not None:
        conditions.append(Claim.filed_by_user_id == filed_by_user_id)
    return conditions


def claim_by_reference(
    session: Session, reference: str, scope: Iterable[str], filed_by_user_id: int | None = None, lock: bool = False
) -> tuple[Claim, Person] | None:
    """The claim and its person if the person lives in ``scope`` (and, if given, the claim was filed by that user)."""
    query = (
        select(Claim, Person)
        .join(Person, Person.id == Claim.person_id)
        .where(Claim.reference == reference, *_visible(scope, filed_by_user_id))
    )
    if lock:
        query = query.with_for_update(of=Claim)
    row = session.execute(query).first()
    return None if row is None else (row[0], row[1])


def open_duplicate(session: Session, person_id: int, program: str, benefit: str, event_date: dt.date) -> Claim | None:
    """A claim for the same person, type, benefit and event date that was not rejected."""
    return session.scalars(
        select(Claim).where(
            Claim.person_id == person_id,
            Claim.program == program,
            Claim.benefit == benefit,
            Claim.event_date == event_date,
            Claim.status != "rejected",
        )
    ).first()


def queue(
    session: Session,
    scope: Iterable[str],
    page: PageRequest,
    statuses: Sequence[str],
    filed_by_user_id: int | None = None,
) -> Page[tuple[Claim, Person]]:
    """Claims in ``statuses``, the nearest SLA deadline first (claims without one, by filing date, after)."""
    conditions = [*_visible(scope, filed_by_user_id), Claim.status.in_(statuses)]
    base = select(Claim, Person).join(Person, Person.id == Claim.person_id).where(*conditions)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.order_by(Claim.sla_due_on.is_(None), Claim.sla_due_on, Claim.filed_on, Claim.id)
        .offset(page.offset)
        .limit(page.size)
    ).all()
    return Page.of([(r[0], r[1]) for r in rows], int(total), page)


def heirs_of(session: Session, claim_id: int) -> Sequence[ClaimHeir]:
    return session.scalars(select(ClaimHeir).where(ClaimHeir.claim_id == claim_id).order_by(ClaimHeir.id)).all()


def documents_of(session: Session, claim_id: int) -> Sequence[ClaimDocument]:
    return session.scalars(
        select(ClaimDocument).where(ClaimDocument.claim_id == claim_id).order_by(ClaimDocument.id)
    ).all()


def events_of(session: Session, claim_id: int) -> Sequence[ClaimEvent]:
    return session.scalars(select(ClaimEvent).where(ClaimEvent.claim_id == claim_id).order_by(ClaimEvent.id)).all()


def handovers_of(session: Session, claim_id: int) -> Sequence[ClaimHandover]:
    return session.scalars(
        select(ClaimHandover).where(ClaimHandover.claim_id == claim_id).order_by(ClaimHandover.id)
    ).all()


def jht_paid_out(session: Session, membership_id: int) -> list[tuple[Month, int]]:
    """(month paid, amount) of the JHT claims paid from a membership's account, oldest first."""
    rows = session.execute(
        select(Claim.paid_on, Claim.paid_amount)
        .where(
            Claim.membership_id == membership_id,
            Claim.program == "jht",
            Claim.status == "paid",
            Claim.paid_on.is_not(None),
        )
        .order_by(Claim.paid_on)
    ).all()
    return [(Month.of(day), int(amount or 0)) for day, amount in rows if day is not None]


def document_requests(session: Session, claim_id: int) -> Sequence[ClaimDocumentRequest]:
    return session.scalars(
        select(ClaimDocumentRequest).where(ClaimDocumentRequest.claim_id == claim_id).order_by(ClaimDocumentRequest.id)
    ).all()


def open_request(session: Session, claim_id: int) -> ClaimDocumentRequest | None:
    return next((r for r in document_requests(session, claim_id) if r.arrived_on is None), None)


def open_claims_by_deadline(session: Session, day: dt.date, soon: dt.date) -> tuple[list[str], list[str]]:
    """References of open claims past their SLA deadline on ``day``, and of those due from ``day`` to ``soon``."""
    query = (
        select(Claim.reference, Claim.sla_due_on)
        .where(Claim.status.in_(sorted(OPEN)), Claim.sla_due_on.is_not(None), Claim.sla_due_on <= soon)
        .order_by(Claim.sla_due_on, Claim.id)
    )
    late: list[str] = []
    due: list[str] = []
    for reference, due_on in session.execute(query):
        if reference is not None and due_on is not None:
            (late if due_on < day else due).append(reference)
    return late, due


def claims_of_person(session: Session, person_id: int, limit: int = 50) -> Sequence[Claim]:
    """A person's claims, newest event first (the person page; the caller decided the person is theirs to see)."""
    return session.scalars(
        select(Claim)
        .where(Claim.person_id == person_id)
        .order_by(Claim.event_date.desc(), Claim.id.desc())
        .limit(limit)
    ).all()
