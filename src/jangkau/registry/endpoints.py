"""``/api/v1`` persons, employers, memberships, enrolments and contribution quotes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import InvalidInput, NotFound
from jangkau.idempotency import request_fingerprint, run_idempotent
from jangkau.kit.months import Month
from jangkau.kit.pagination import PageRequest
from jangkau.regions.codes import parse_region_code
from jangkau.registry import access
from jangkau.registry import repository as repo
from jangkau.registry.enrolment import EnrolmentIn, enrol, enrolment_dict, quote_bpu, registrar_for
from jangkau.registry.nik import clean_nik, looks_like_nik
from jangkau.registry.schemas import EmployerIn, MembershipIn, NikLookupIn, PersonIn
from jangkau.registry.service import open_membership, register_employer, register_person
from jangkau.registry.views import employer_view, membership_view, person_view
from jangkau.rules import parse_programs, pu_contribution
from jangkau.webkit import get_session

router = APIRouter(tags=["registry"])
IDEMPOTENCY = Header(None, alias="Idempotency-Key", description="Retries with the same key return the first result")


def _page(page: int, size: int) -> PageRequest:
    return PageRequest(page, size)


def _page_body(items: list[dict[str, Any]], total: int, request: PageRequest) -> dict[str, Any]:
    return {"items": items, "total": total, "page": request.page, "size": request.size}


@router.get("/persons")
def list_persons(
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
    region: str | None = Query(None, max_length=20, description="Region code prefix, e.g. 12.71.01"),
    q: str | None = Query(None, max_length=60, description="Name fragment or exact NIK"),
    page: int = Query(1, ge=1, le=1_000_000),
    size: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    """People inside the caller's territory (identifiers masked), filtered by region and name.

    A NIK is never accepted in the address: post it to ``/persons/lookup``.
    """
    if q and looks_like_nik(q):
        raise InvalidInput.for_field(
            "q",
            "a NIK does not belong in an address; POST it to /api/v1/persons/lookup",
            "NIK tidak boleh ada di alamat; kirim dengan POST ke /api/v1/persons/lookup",
            code="nik_in_url",
        )
    code = parse_region_code(region, "region").code if region else None
    listing = repo.list_persons(session, principal.scope, _page(page, size), region=code, search=q)
    return _page_body([person_view(p, principal) for p in listing.items], listing.total, listing.request)


@router.get("/persons/{person_id}")
def get_person(
    person_id: int,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
) -> dict[str, Any]:
    """One person with memberships; roles that read full records see NIK and phone (and the read is audited)."""
    person = access.person_or_404(session, principal, person_id)
    full = principal.can(Permission.REGISTRY_READ_FULL)
    action = "read_full" if full else "read"
    audit.record(session, principal, action, "person", person.id, region_code=person.village_code)
    body = person_view(person, principal, full=True)
    body["memberships"] = [membership_view(m) for m in repo.memberships_of(session, person.id)]
    return body


@router.post("/persons/lookup")
def lookup_person(
    data: NikLookupIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
) -> dict[str, Any]:
    """Look a person up by NIK, posted so that no NIK lands in an address or an access log.

    404 when absent or outside the caller's territory (the two are not told apart).
    """
    person = access.visible_person_by_nik(session, principal, clean_nik(data.nik))
    if person is None:
        raise NotFound("No person with that NIK", "Tidak ada orang dengan NIK itu", code="person_not_found")
    return get_person(person.id, session, principal)


@router.post("/persons", status_code=201)
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
            raise InvalidInput.for_field(
                "village_code", "outside your territory", "di luar wilayah tugas Anda", code="outside_scope"
            )
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
        return 201, {"person": person_view(result.person, principal, full=True), "warnings": result.warnings}

    return run_idempotent(
        session,
        request.app.state.session_factory,
        principal,
        key,
        request_fingerprint("POST", "/persons", data.model_dump(mode="json")),
        produce,
    )


@router.get("/employers")
def list_employers(
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
    region: str | None = Query(None, max_length=20),
    q: str | None = Query(None, max_length=80),
    page: int = Query(1, ge=1, le=1_000_000),
    size: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    """Employers inside the caller's territory."""
    code = parse_region_code(region, "region").code if region else None
    listing = repo.list_employers(session, principal.scope, _page(page, size), region=code, search=q)
    return _page_body([employer_view(e) for e in listing.items], listing.total, listing.request)


@router.post("/employers", status_code=201)
def create_employer(
    data: EmployerIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_WRITE)),
) -> dict[str, Any]:
    """Register an employer (409 if the registration number is taken)."""
    if not principal.sees(data.village_code):
        raise InvalidInput.for_field(
            "village_code", "outside your territory", "di luar wilayah tugas Anda", code="outside_scope"
        )
    employer = register_employer(session, data, registrar_for(principal))
    audit.record(
        session,
        principal,
        "create",
        "employer",
        employer.id,
        region_code=employer.village_code,
        after=employer_view(employer),
    )
    return employer_view(employer)


@router.post("/memberships", status_code=201)
def create_membership(
    data: MembershipIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_WRITE)),
) -> dict[str, Any]:
    """Open a membership for a person in the caller's territory."""
    membership = open_membership(session, data, registrar_for(principal), principal.scope)
    audit.record(session, principal, "create", "membership", membership.id, after=membership_view(membership))
    return membership_view(membership)


@router.post("/enrolments", status_code=201)
def create_enrolment(
    data: EnrolmentIn,
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.QUOTE)),
    key: str | None = IDEMPOTENCY,
) -> JSONResponse:
    """Door-to-door enrolment: find or register the worker and open a BPU membership, with its quote.

    Field agents and staff enrol in their territory; a worker or employer registers someone else (the JMO way).
    """
    if not (principal.can(Permission.ENROL) or principal.can(Permission.REGISTER_OTHERS)):
        principal.require(Permission.ENROL)

    def produce() -> tuple[int, dict[str, Any]]:
        return 201, enrolment_dict(enrol(session, data, principal), principal)

    return run_idempotent(
        session,
        request.app.state.session_factory,
        principal,
        key,
        request_fingerprint("POST", "/enrolments", data.model_dump(mode="json")),
        produce,
    )


@router.get("/quotes/contribution")
def contribution_quote(
    _principal: Principal = Depends(require(Permission.QUOTE)),
    segment: str = Query("bpu", pattern="^(bpu|pu)$"),
    month: str = Query(..., description="Contribution month YYYY-MM"),
    income: int | None = Query(None, gt=0, le=1_000_000_000, description="BPU declared income"),
    programs: str = Query("jkk,jkm", max_length=40),
    wage: int | None = Query(None, gt=0, le=1_000_000_000, description="PU reported wage"),
    risk_group: int | None = Query(None, ge=1, le=5),
    region: str | None = Query(None, max_length=20),
) -> dict[str, Any]:
    """A contribution quote from the rules engine, with the rules, versions and citations it used."""
    try:
        contribution_month = Month.parse(month)
    except ValueError as exc:
        raise InvalidInput.for_field("month", str(exc), "format bulan YYYY-MM") from exc
    chosen = [p.strip() for p in programs.split(",") if p.strip()]
    if segment == "bpu":
        if income is None:
            raise InvalidInput.for_field("income", "a BPU quote needs the declared income", "isi penghasilan")
        return quote_bpu(income, chosen, contribution_month).as_dict()
    if wage is None or risk_group is None:
        raise InvalidInput.for_field("wage", "a PU quote needs wage and risk_group", "isi upah dan kelompok risiko")
    return pu_contribution(wage, risk_group, contribution_month, parse_programs(chosen), region=region).as_dict()


__all__ = ["router"]
