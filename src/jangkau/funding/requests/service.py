"""Sponsor-paid enrolments are checked (issue 22, point 6).

An enrolment charged to a sponsor's programme (APBD, APBDes / Dana Desa, CSR, donor) by its staff (branch and
region officers whose territory holds the programme's region) or by the sponsor itself enrols the worker at once,
against the criteria, quota and budget (``service.enrol``). From anyone else (a worker's self-service, someone
registering another person, an employer, a field agent) it becomes a **request**: the membership is opened and
waits, and the sponsor's officer approves it (the same checks then, with the budget as it is on that day) or
rejects it with a reason the requester reads on the receipt and the coverage page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission, Role
from jangkau.db.base import utcnow
from jangkau.funding import repository as repo
from jangkau.funding import service
from jangkau.funding.access import readable_payers
from jangkau.funding.errors import (
    NotProgrammeStaff,
    ProgrammeEnded,
    ProgrammeNotFound,
    RejectionReasonMissing,
    RequestDecided,
    RequestNotFound,
)
from jangkau.funding.models import Programme, Sponsorship, SponsorshipRequest
from jangkau.funding.repository import requests as requests_sql
from jangkau.i18n import N_, gettext
from jangkau.kit.months import Month
from jangkau.registry.models import Membership, Person
from jangkau.rules import budget_cost

STAFF_ROLES = (Role.ADMIN, Role.BRANCH_OFFICER, Role.REGION_OFFICER)
PROGRAMME_OVER = N_("the programme ended in %(end)s")


def _overlaps(prefix: str | None, scope: tuple[str, ...] | list[str]) -> bool:
    if prefix is None:
        return bool(scope)
    return any(s == "" or s.startswith(prefix) or prefix.startswith(s) for s in scope)


def is_programme_staff(session: Session, principal: Principal, programme: Programme) -> bool:
    """The programme's staff: an officer who manages funding in a territory overlapping the programme's region,
    or a sign-in of the programme's sponsor."""
    if principal.role is Role.SPONSOR:
        allowed = readable_payers(session, principal)
        return allowed is not None and programme.payer_id in allowed
    return (
        principal.role in STAFF_ROLES
        and principal.can(Permission.FUNDING_WRITE)
        and _overlaps(programme.region_prefix, tuple(principal.scope))
    )


def running_programmes(session: Session, month: Month) -> list[Programme]:
    """The programmes whose period holds ``month`` (those a new enrolment may be charged to)."""
    started = requests_sql.programmes_started_by(session, month.first_day())
    return [p for p in started if Month.of(p.start_month).plus(p.months - 1) >= month]


def _programme(session: Session, programme_id: int) -> Programme:
    programme = repo.programme(session, programme_id)
    if programme is None:
        raise ProgrammeNotFound(programme_id)
    return programme


def ensure_programme_staff(session: Session, principal: Principal, programme_id: int) -> Programme:
    """The programme, when the caller may enrol into it directly.

    Raises:
        NotFound: no such programme.
        Forbidden (``not_programme_staff``): the caller is not the programme's staff nor its sponsor.
    """
    programme = _programme(session, programme_id)
    if not is_programme_staff(session, principal, programme):
        raise NotProgrammeStaff(programme.name)
    return programme


def charge_programme(
    session: Session, principal: Principal, programme_id: int, membership: Membership, person: Person, today: dt.date
) -> Sponsorship | SponsorshipRequest:
    """Charge a new membership to a programme: enrolled at once by its staff, a pending request otherwise.

    Raises:
        NotFound: no such programme.
        InvalidInput: the programme has ended; for staff, the worker does not meet the criteria.
        Conflict: for staff, the quota is full or the budget would overrun.
    """
    programme = _programme(session, programme_id)
    if is_programme_staff(session, principal, programme):
        return service.enrol(session, programme.id, membership.id, principal.username, today)
    end = Month.of(programme.start_month).plus(programme.months - 1)
    if Month.of(today) > end:
        raise ProgrammeEnded(end)
    request: SponsorshipRequest = repo.add(
        session,
        SponsorshipRequest(
            programme_id=programme.id,
            membership_id=membership.id,
            person_id=person.id,
            status="pending",
            requested_by=principal.username,
        ),
    )
    audit.record(
        session,
        principal,
        "request",
        "sponsorship_request",
        request.id,
        region_code=person.village_code,
        after={"programme_id": programme.id, "membership_id": membership.id},
    )
    return request


@dataclass(frozen=True)
class RequestCheck:
    """A pending request with what the decision needs: the criteria it fails and whether the budget holds."""

    request: SponsorshipRequest
    programme: Programme
    membership: Membership
    person: Person
    failures: list[str]
    cost: int  # the whole period from this month, committed on approval
    remaining: int  # the programme's budget not yet committed

    @property
    def affordable(self) -> bool:
        return self.cost <= self.remaining


def decidable_programmes(session: Session, principal: Principal) -> list[int] | None:
    """The programmes whose requests the caller decides (``None``: all of them, for a country-wide officer)."""
    if principal.role is Role.SPONSOR:
        payers = readable_payers(session, principal) or set()
        return requests_sql.programme_ids_of_payers(session, payers) if payers else []
    if principal.role not in STAFF_ROLES or not principal.can(Permission.FUNDING_WRITE):
        return []
    if "" in principal.scope:
        return None
    return [
        p.id
        for p, _sponsor in repo.programmes_with_sponsors(session)
        if _overlaps(p.region_prefix, tuple(principal.scope))
    ]


def pending_requests(session: Session, principal: Principal, today: dt.date, lang: str = "en") -> list[RequestCheck]:
    """The pending requests the caller decides, oldest first, each checked against criteria and budget today (the
    failed criteria in ``lang``)."""
    programmes = decidable_programmes(session, principal)
    if programmes == []:
        return []
    checks: list[RequestCheck] = []
    remaining: dict[int, int] = {}
    for request, programme, membership, person in requests_sql.requests_of_programmes(session, programmes):
        if programme.id not in remaining:
            _workers, committed = repo.programme_commitment(session, programme.id)
            remaining[programme.id] = programme.budget - committed
        first = max(Month.of(programme.start_month), Month.of(today), Month.of(membership.start_date))
        end = Month.of(programme.start_month).plus(programme.months - 1)
        months = end.minus(first) + 1
        failures = service.criteria_failures(programme, membership, person, today, lang)
        if months < 1:
            failures.append(gettext(PROGRAMME_OVER, lang, end=str(end)))
        cost = (
            budget_cost(1, months, first, programme.declared_income, programme.programs).per_worker_total
            if months >= 1
            else 0
        )
        checks.append(RequestCheck(request, programme, membership, person, failures, cost, remaining[programme.id]))
    return checks


def _decidable(session: Session, principal: Principal, request_id: int) -> tuple[SponsorshipRequest, Programme]:
    request = requests_sql.request_for_update(session, request_id)
    if request is None:
        raise RequestNotFound(request_id)
    programme = _programme(session, request.programme_id)
    if not is_programme_staff(session, principal, programme):
        raise RequestNotFound(request_id)  # another sponsor's request is not theirs to know about
    if request.status != "pending":
        raise RequestDecided(request_id, request.status)
    return request, programme


def approve(session: Session, principal: Principal, request_id: int, today: dt.date) -> Sponsorship:
    """Approve a pending request: the worker is enrolled in the programme (criteria, quota, budget checked now).

    Raises:
        NotFound: no such request among the caller's programmes.
        Conflict: already decided; the quota is full or the budget would overrun (the request stays pending).
        InvalidInput: the worker does not meet the criteria (the request stays pending: reject it with a reason).
    """
    request, programme = _decidable(session, principal, request_id)
    sponsorship = service.enrol(session, programme.id, request.membership_id, principal.username, today)
    request.status, request.sponsorship_id = "approved", sponsorship.id
    request.decided_by, request.decided_at = principal.username, utcnow()
    session.flush()
    audit.record(
        session, principal, "approve", "sponsorship_request", request.id, after={"sponsorship_id": sponsorship.id}
    )
    return sponsorship


def reject(session: Session, principal: Principal, request_id: int, reason: str) -> SponsorshipRequest:
    """Reject a pending request with the reason the requester will read (the worker may then pay themselves).

    Raises:
        InvalidInput: no reason given.
        NotFound: no such request among the caller's programmes.
        Conflict: already decided.
    """
    reason = " ".join(reason.split())[:500]
    if not reason:
        raise RejectionReasonMissing
    request, _programme = _decidable(session, principal, request_id)
    request.status, request.reason = "rejected", reason
    request.decided_by, request.decided_at = principal.username, utcnow()
    session.flush()
    audit.record(session, principal, "reject", "sponsorship_request", request.id, after={"reason": reason})
    return request
