"""Input and output shapes of the registry (shared by the CLI, the API and the pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

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
