"""Input and output shapes of the registry (shared by the CLI, the API and the pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.kit.masking import mask_nik, mask_phone
from jangkau.registry.models import Employer, Membership, Person
from jangkau.registry.nik import Sex


class PersonIn(BaseModel):
    """A person to register."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    nik: str = Field(min_length=1, max_length=32, description="16-digit NIK")
    full_name: str = Field(min_length=1, max_length=150)
    birth_date: dt.date
    sex: Sex
    village_code: str = Field(min_length=1, max_length=20, description="Village (desa/kelurahan) code, 12.71.01.1001")
    phone: str | None = Field(default=None, max_length=20)
    address: str | None = Field(default=None, max_length=255)
    rt: str | None = Field(default=None, max_length=3)
    rw: str | None = Field(default=None, max_length=3)
    occupation: str | None = Field(default=None, max_length=40)
    is_vulnerable: bool = False


class EmployerIn(BaseModel):
    """An employer to register."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    registration_number: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    npwp: str | None = Field(default=None, max_length=20)
    business_sector: str = Field(min_length=1, max_length=40)
    size_class: str = Field(pattern="^(micro|small|medium|large)$")
    jkk_risk_group: int = Field(ge=1, le=5)
    village_code: str = Field(min_length=1, max_length=20)
    address: str | None = Field(default=None, max_length=255)


class MembershipIn(BaseModel):
    """A membership to open for a registered person."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    person_id: int
    segment: str = Field(pattern="^(pu|bpu|jakon|pmi)$")
    programs: list[str] = Field(min_length=1)
    start_date: dt.date
    employer_id: int | None = None
    wage: int | None = Field(default=None, description="Reported monthly wage (PU), whole Rupiah")
    declared_income: int | None = Field(default=None, description="Declared monthly income (BPU), whole Rupiah")


@dataclass(frozen=True)
class Registrar:
    """Who registers: ``kind`` is user, agent, self, participant, employer, import or demo."""

    kind: str
    label: str | None = None
    person_id: int | None = None


OPERATOR = Registrar("user", "cli")


class NikLookupIn(BaseModel):
    """A NIK to look up, sent in a request body (never in an address)."""

    model_config = ConfigDict(extra="forbid")

    nik: str = Field(..., min_length=1, max_length=32, description="The 16-digit NIK (spaces and dots allowed)")


class RegisteredByRead(BaseModel):
    """Who registered the record: ``kind`` is user, agent, self, participant, employer, import or demo."""

    kind: str
    label: str | None
    person_id: int | None = Field(description="the registering participant, for register-someone-else")


class PersonRead(BaseModel):
    """A person as the caller may see them: NIK and phone masked, birth date, sex and address hidden, unless the
    caller's role reads full records and the full record was asked for."""

    id: int
    nik: str = Field(description="masked (1271**********01) unless the caller reads full records")
    full_name: str
    # a masked NIK hides exactly the birth date and sex (digits 7-12): showing them beside it would undo it
    birth_date: dt.date | None
    sex: str | None
    phone: str | None
    address: str | None
    rt: str | None
    rw: str | None
    village_code: str
    occupation: str | None
    is_vulnerable: bool
    registered_by: RegisteredByRead

    @classmethod
    def for_caller(cls, person: Person, principal: Principal, full: bool = False) -> PersonRead:
        """``person`` masked for ``principal``; ``full`` asks for the clear record (granted to roles that read full
        records only)."""
        clear = full and principal.can(Permission.REGISTRY_READ_FULL)
        return cls(
            id=person.id,
            nik=person.nik if clear else mask_nik(person.nik),
            full_name=person.full_name,
            birth_date=person.birth_date if clear else None,
            sex=person.sex if clear else None,
            phone=person.phone if clear else mask_phone(person.phone),
            address=person.address if clear else None,
            rt=person.rt,
            rw=person.rw,
            village_code=person.village_code,
            occupation=person.occupation,
            is_vulnerable=person.is_vulnerable,
            registered_by=RegisteredByRead(
                kind=person.registered_by_kind,
                label=person.registered_by_label,
                person_id=person.registered_by_person_id,
            ),
        )


class MembershipRead(BaseModel):
    """A membership: segment, programmes, wage or declared income (whole Rupiah), dates and status."""

    id: int
    person_id: int
    segment: str
    employer_id: int | None
    programs: list[str]
    wage: int | None
    declared_income: int | None
    start_date: dt.date
    end_date: dt.date | None
    status: str

    @classmethod
    def of(cls, membership: Membership) -> MembershipRead:
        return cls(
            id=membership.id,
            person_id=membership.person_id,
            segment=membership.segment,
            employer_id=membership.employer_id,
            programs=membership.programs.split(","),
            wage=membership.wage,
            declared_income=membership.declared_income,
            start_date=membership.start_date,
            end_date=membership.end_date,
            status=membership.status,
        )


class PersonDetailRead(PersonRead):
    """One person with their memberships."""

    memberships: list[MembershipRead]


class PersonCreatedRead(BaseModel):
    """A registered person and the NIK check's warnings (e.g. an unusual birth year)."""

    person: PersonRead
    warnings: list[str]


class EmployerRead(BaseModel):
    """An employer (PU): registration number, tax number, sector, size and JKK risk group."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    registration_number: str
    name: str
    npwp: str | None
    business_sector: str
    size_class: str
    jkk_risk_group: int
    village_code: str
    address: str | None

    @classmethod
    def of(cls, employer: Employer) -> EmployerRead:
        return cls.model_validate(employer)


class NikCheckRead(BaseModel):
    """What a NIK says: validity, errors, warnings, decoded sex and birth date, district (never whether anyone with
    this NIK is registered)."""

    nik: str
    valid: bool
    errors: list[str]
    warnings: list[str]
    sex: str | None
    birth_date: dt.date | None
    province_code: str | None
    regency_code: str | None
    district_code: str | None
    serial: str | None
    district_name: str | None
