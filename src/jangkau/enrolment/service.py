"""Door-to-door enrolment: register a worker (or find them) and open a BPU membership with its quote."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.enrolment.errors import NikRegisteredElsewhere, PayerInvalid, RelationshipInvalid, RelationshipMissing
from jangkau.enrolment.schemas import EnrolmentIn
from jangkau.funding.models import SponsorshipRequest
from jangkau.funding.requests import service as sponsor_requests
from jangkau.kit.months import Month
from jangkau.registry import repository as repo
from jangkau.registry.access import registrar_for
from jangkau.registry.errors import OutsideTerritory
from jangkau.registry.models import Membership, Person
from jangkau.registry.nik import clean_nik
from jangkau.registry.schemas import MembershipIn, PersonIn, Registrar
from jangkau.registry.service import open_membership, register_person
from jangkau.rules import bpu_contribution, parse_programs
from jangkau.rules.results import Contribution

RELATIONSHIPS = ("household_worker", "driver", "vendor", "family", "employee", "other")


@dataclass
class Enrolment:
    person: Person
    membership: Membership
    quote: Contribution
    created_person: bool
    warnings: list[str]
    request: SponsorshipRequest | None = None  # a sponsor-paid enrolment waiting for the sponsor's officer


def quote_bpu(income: int, programs: list[str], month: Month) -> Contribution:
    """The monthly BPU contribution for a declared income and programmes (from the rules engine)."""
    return bpu_contribution(income, month, parse_programs(programs))


def enrol(session: Session, data: EnrolmentIn, principal: Principal, today: dt.date | None = None) -> Enrolment:
    """Register (or find) the worker and open a BPU membership, all in the caller's transaction.

    Raises:
        InvalidInput: bad person data, a village outside the caller's territory, bad programmes or income.
        Conflict: the NIK belongs to someone outside the caller's territory, or the worker already has an
            open BPU membership.
    """
    today = today or dt.date.today()
    if principal.role in (Role.WORKER, Role.EMPLOYER) and not data.relationship:
        raise RelationshipMissing(RELATIONSHIPS)
    if data.relationship and data.relationship not in RELATIONSHIPS:
        raise RelationshipInvalid(RELATIONSHIPS)
    _check_territory(principal, data.person.village_code)
    start = data.start_date or today
    quote = quote_bpu(data.declared_income, data.programs, Month.of(start))
    registrar = registrar_for(principal)
    person, created, warnings = _find_or_register(session, data.person, principal, registrar, today)
    membership = open_membership(
        session,
        MembershipIn(
            person_id=person.id,
            segment="bpu",
            programs=data.programs,
            start_date=start,
            declared_income=data.declared_income,
        ),
        registrar,
        scope=("",),
        new_person=person if created else None,
    )
    programme_id = sponsor_programme(data.payer)
    request = None
    if programme_id is not None:
        # the programme's staff enrol at once (criteria, quota and whole-period budget checked here; a refusal
        # undoes the enrolment); anyone else's enrolment waits for the sponsor's officer
        charged = sponsor_requests.charge_programme(session, principal, programme_id, membership, person, today)
        request = charged if isinstance(charged, SponsorshipRequest) else None
    enrolled = audit.Entry(
        "enrol",
        "membership",
        membership.id,
        region_code=person.village_code,
        after={
            "person_id": person.id,
            "programs": membership.programs,
            "payer": data.payer,
            "declared_income": data.declared_income,
            "relationship": data.relationship,
        },
    )
    # the registration's own event first, both in one INSERT
    audit.record_many(session, principal, [_registered(person), enrolled] if created else [enrolled])
    return Enrolment(person, membership, quote, created, warnings, request)


def _registered(person: Person) -> audit.Entry:
    after = {"nik": person.nik, "full_name": person.full_name}
    return audit.Entry("create", "person", person.id, region_code=person.village_code, after=after)


def sponsor_programme(payer: str) -> int | None:
    """``self`` -> None; ``programme:<id>`` -> the sponsorship programme that pays.

    Raises:
        InvalidInput: any other value.
    """
    if payer == "self":
        return None
    kind, _, ident = payer.partition(":")
    if kind != "programme" or not ident.isdigit():
        raise PayerInvalid
    return int(ident)


def _check_territory(principal: Principal, village_code: str) -> None:
    if principal.role in (Role.WORKER, Role.EMPLOYER):
        return  # a participant may register a household worker anywhere
    if not principal.sees(village_code.strip()):
        raise OutsideTerritory(village_code, principal.scope)


def _find_or_register(
    session: Session, data: PersonIn, principal: Principal, registrar: Registrar, today: dt.date
) -> tuple[Person, bool, list[str]]:
    nik = clean_nik(data.nik)
    existing_id = repo.nik_taken(session, nik)
    if existing_id is None:
        result = register_person(session, data, registrar, today)  # its audit event is written by enrol()
        return result.person, True, result.warnings
    visible_scope = ("",) if principal.role in (Role.WORKER, Role.EMPLOYER) else principal.scope
    person = repo.person_by_id(session, existing_id, visible_scope)
    if person is None:
        raise NikRegisteredElsewhere(nik)
    return person, False, []
