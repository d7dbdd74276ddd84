"""Door-to-door enrolment: register a worker (or find them) and open a BPU membership with its quote."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission, Role
from jangkau.errors import Conflict, InvalidInput
from jangkau.funding import service as funding
from jangkau.kit.masking import mask_nik
from jangkau.kit.months import Month
from jangkau.registry import repository as repo
from jangkau.registry.models import Membership, Person
from jangkau.registry.nik import clean_nik
from jangkau.registry.schemas import MembershipIn, PersonIn, Registrar
from jangkau.registry.service import open_membership, register_person
from jangkau.rules import bpu_contribution, parse_programs
from jangkau.rules.results import Contribution

RELATIONSHIPS = ("household_worker", "driver", "vendor", "family", "employee", "other")


class EnrolmentIn(BaseModel):
    """A BPU enrolment as a field agent (or a registering participant) fills it in."""

    model_config = ConfigDict(extra="forbid")

    person: PersonIn
    programs: list[str] = Field(default_factory=lambda: ["jkk", "jkm"], min_length=1)
    declared_income: int = Field(default=1_000_000, gt=0, le=1_000_000_000)
    start_date: dt.date | None = None
    payer: str = Field(default="self", max_length=40)
    relationship: str | None = Field(default=None, max_length=30)


@dataclass
class Enrolment:
    person: Person
    membership: Membership
    quote: Contribution
    created_person: bool
    warnings: list[str]


def quote_bpu(income: int, programs: list[str], month: Month) -> Contribution:
    """The monthly BPU contribution for a declared income and programmes (from the rules engine)."""
    return bpu_contribution(income, month, parse_programs(programs))


def registrar_for(principal: Principal) -> Registrar:
    """How the register records who enrolled: an agent, a user, a participant (the JMO way) or an employer."""
    if principal.role is Role.FIELD_AGENT:
        return Registrar("agent", principal.username)
    if principal.role is Role.WORKER:
        return Registrar("participant", principal.username, principal.person_id)
    if principal.role is Role.EMPLOYER:
        return Registrar("employer", principal.username)
    return Registrar("user", principal.username)


def enrol(session: Session, data: EnrolmentIn, principal: Principal, today: dt.date | None = None) -> Enrolment:
    """Register (or find) the worker and open a BPU membership, all in the caller's transaction.

    Raises:
        InvalidInput: bad person data, a village outside the caller's territory, bad programmes or income.
        Conflict: the NIK belongs to someone outside the caller's territory, or the worker already has an
            open BPU membership.
    """
    today = today or dt.date.today()
    if principal.role in (Role.WORKER, Role.EMPLOYER) and not data.relationship:
        raise InvalidInput.for_field(
            "relationship",
            f"say how you know the worker: {', '.join(RELATIONSHIPS)}",
            "isi hubungan Anda dengan pekerja",
        )
    if data.relationship and data.relationship not in RELATIONSHIPS:
        raise InvalidInput.for_field("relationship", f"one of {', '.join(RELATIONSHIPS)}", "pilihan hubungan salah")
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
    if programme_id is not None:
        # the sponsor's criteria, quota and whole-period budget are checked here; a refusal undoes the enrolment
        funding.enrol(session, programme_id, membership.id, principal.username, today)
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
    return Enrolment(person, membership, quote, created, warnings)


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
        raise InvalidInput.for_field("payer", "either 'self' or 'programme:<id>'", "pilih 'self' atau program")
    return int(ident)


def _check_territory(principal: Principal, village_code: str) -> None:
    if principal.role in (Role.WORKER, Role.EMPLOYER):
        return  # a participant may register a household worker anywhere
    if not principal.sees(village_code.strip()):
        raise InvalidInput.for_field(
            "village_code",
            f"{village_code} is outside your territory ({', '.join(principal.scope)})",
            f"{village_code} di luar wilayah tugas Anda",
            code="outside_scope",
        )


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
        raise Conflict(
            f"NIK {nik} is already registered outside your territory; ask the branch office to transfer it",
            f"NIK {nik} sudah terdaftar di luar wilayah Anda; hubungi kantor cabang",
            code="nik_registered_elsewhere",
        )
    return person, False, []


def enrolment_dict(result: Enrolment, principal: Principal) -> dict[str, Any]:
    full = principal.can(Permission.REGISTRY_READ_FULL)
    return {
        "person": {
            "id": result.person.id,
            "nik": result.person.nik if full else mask_nik(result.person.nik),
            "full_name": result.person.full_name,
            "village_code": result.person.village_code,
            "created": result.created_person,
        },
        "membership": {
            "id": result.membership.id,
            "segment": "bpu",
            "programs": result.membership.programs.split(","),
            "declared_income": result.membership.declared_income,
            "start_date": result.membership.start_date,
            "status": result.membership.status,
        },
        "quote": result.quote.as_dict(),
        "warnings": result.warnings,
    }
