"""``/api/v1`` persons, employers and memberships (enrolments and quotes: ``jangkau.enrolment.endpoints``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.kit.pagination import Page, PageRequest
from jangkau.regions.codes import parse_region_code
from jangkau.regions.errors import RegionCodeInvalid, RegionUnknown
from jangkau.registry import access
from jangkau.registry import repository as repo
from jangkau.registry.access import registrar_for
from jangkau.registry.errors import (
    EmployerAlreadyRegistered,
    MembershipExists,
    MembershipInvalid,
    NikAlreadyRegistered,
    NikInAddress,
    NikNotFound,
    OutsideTerritory,
    PersonInvalid,
    PersonNotFound,
    UnknownPersonId,
)
from jangkau.registry.nik import clean_nik, looks_like_nik
from jangkau.registry.schemas import (
    EmployerIn,
    EmployerRead,
    MembershipIn,
    MembershipRead,
    NikLookupIn,
    PersonCreatedRead,
    PersonDetailRead,
    PersonIn,
    PersonRead,
)
from jangkau.registry.service import open_membership, register_employer, register_person
from jangkau.web.idempotency import request_fingerprint, run_idempotent
from jangkau.web.kit import get_session

router = APIRouter(tags=["registry"])
IDEMPOTENCY = Header(None, alias="Idempotency-Key", description="Retries with the same key return the first result")


def _page(page: int, size: int) -> PageRequest:
    return PageRequest(page, size)


@router.get("/persons", response_model=Page[PersonRead], responses=error_responses(NikInAddress, RegionCodeInvalid))
def list_persons(
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
    region: str | None = Query(None, max_length=20, description="Region code prefix, e.g. 12.71.01"),
    q: str | None = Query(None, max_length=60, description="Name fragment or exact NIK"),
    page: int = Query(1, ge=1, le=1_000_000),
    size: int = Query(50, ge=1, le=500),
) -> Page[PersonRead]:
    """People inside the caller's territory (identifiers masked), filtered by region and name.

    A NIK is never accepted in the address: post it to ``/persons/lookup``.
    """
    if q and looks_like_nik(q):
        raise NikInAddress("q")
    code = parse_region_code(region, "region").code if region else None
    listing = repo.list_persons(session, principal.scope, _page(page, size), region=code, search=q)
    return listing.map(lambda p: PersonRead.for_caller(p, principal))


@router.get("/persons/{person_id}", response_model=PersonDetailRead, responses=error_responses(PersonNotFound))
def get_person(
    person_id: int,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
) -> PersonDetailRead:
    """One person with memberships; roles that read full records see NIK and phone (and the read is audited)."""
    person = access.person_or_404(session, principal, person_id)
    full = principal.can(Permission.REGISTRY_READ_FULL)
    action = "read_full" if full else "read"
    audit.record(session, principal, action, "person", person.id, region_code=person.village_code)
    return PersonDetailRead(
        **PersonRead.for_caller(person, principal, full=True).model_dump(),
        memberships=[MembershipRead.of(m) for m in repo.memberships_of(session, person.id)],
    )


@router.post("/persons/lookup", response_model=PersonDetailRead, responses=error_responses(NikNotFound))
def lookup_person(
    data: NikLookupIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
) -> PersonDetailRead:
    """Look a person up by NIK, posted so that no NIK lands in an address or an access log.

    404 when absent or outside the caller's territory (the two are not told apart).
    """
    person = access.visible_person_by_nik(session, principal, clean_nik(data.nik))
    if person is None:
        raise NikNotFound
    return get_person(person.id, session, principal)


@router.post(
    "/persons",
    status_code=201,
    response_model=PersonCreatedRead,
    responses=error_responses(OutsideTerritory, PersonInvalid, NikAlreadyRegistered),
)
def create_person(
    data: PersonIn,
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_WRITE)),
    key: str | None = IDEMPOTENCY,
) -> JSONResponse:
    """Register a person in the caller's territory (409 if the NIK is registered)."""

    def produce() -> tuple[int, dict[str, Any]]:
        if not principal.sees(data.village_code):
            raise OutsideTerritory
        result = register_person(session, data, registrar_for(principal))
        audit.record(
            session,
            principal,
            "create",
            "person",
            result.person.id,
            region_code=result.person.village_code,
            after=data.model_dump(exclude={"phone", "address"}),
        )
        created = PersonCreatedRead(
            person=PersonRead.for_caller(result.person, principal, full=True), warnings=result.warnings
        )
        return 201, created.model_dump(mode="json")

    return run_idempotent(
        session,
        request.app.state.session_factory,
        principal,
        key,
        request_fingerprint("POST", "/persons", data.model_dump(mode="json")),
        produce,
    )


@router.get("/employers", response_model=Page[EmployerRead], responses=error_responses(RegionCodeInvalid))
def list_employers(
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
    region: str | None = Query(None, max_length=20),
    q: str | None = Query(None, max_length=80),
    page: int = Query(1, ge=1, le=1_000_000),
    size: int = Query(50, ge=1, le=500),
) -> Page[EmployerRead]:
    """Employers inside the caller's territory."""
    code = parse_region_code(region, "region").code if region else None
    listing = repo.list_employers(session, principal.scope, _page(page, size), region=code, search=q)
    return listing.map(EmployerRead.of)


@router.post(
    "/employers",
    status_code=201,
    response_model=EmployerRead,
    responses=error_responses(OutsideTerritory, RegionUnknown, EmployerAlreadyRegistered),
)
def create_employer(
    data: EmployerIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_WRITE)),
) -> EmployerRead:
    """Register an employer (409 if the registration number is taken)."""
    if not principal.sees(data.village_code):
        raise OutsideTerritory
    employer = register_employer(session, data, registrar_for(principal))
    audit.record(
        session,
        principal,
        "create",
        "employer",
        employer.id,
        region_code=employer.village_code,
        after=EmployerRead.of(employer).model_dump(),
    )
    return EmployerRead.of(employer)


@router.post(
    "/memberships",
    status_code=201,
    response_model=MembershipRead,
    responses=error_responses(UnknownPersonId, MembershipInvalid, MembershipExists),
)
def create_membership(
    data: MembershipIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_WRITE)),
) -> MembershipRead:
    """Open a membership for a person in the caller's territory."""
    membership = open_membership(session, data, registrar_for(principal), principal.scope)
    body = MembershipRead.of(membership)
    audit.record(session, principal, "create", "membership", membership.id, after=body.model_dump())
    return body


__all__ = ["router"]
