"""``/api/v1`` door-to-door enrolments and contribution quotes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth.deps import require
from jangkau.auth.errors import Forbidden
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.enrolment.errors import (
    IncomeMissing,
    MonthInvalid,
    NikRegisteredElsewhere,
    PayerInvalid,
    RelationshipInvalid,
    RelationshipMissing,
    WageMissing,
)
from jangkau.enrolment.schemas import ContributionRead, EnrolmentIn, EnrolmentRead
from jangkau.enrolment.service import enrol, quote_bpu
from jangkau.kit.months import Month
from jangkau.registry.errors import MembershipExists, MembershipInvalid, OutsideTerritory, PersonInvalid
from jangkau.rules import parse_programs, pu_contribution
from jangkau.web.idempotency import request_fingerprint, run_idempotent
from jangkau.web.kit import get_session

router = APIRouter(tags=["enrolment"])
IDEMPOTENCY = Header(None, alias="Idempotency-Key", description="Retries with the same key return the first result")


@router.post(
    "/enrolments",
    status_code=201,
    response_model=EnrolmentRead,
    responses=error_responses(
        Forbidden,
        OutsideTerritory,
        PersonInvalid,
        MembershipInvalid,
        RelationshipMissing,
        RelationshipInvalid,
        PayerInvalid,
        NikRegisteredElsewhere,
        MembershipExists,
    ),
)
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
        return 201, EnrolmentRead.for_caller(enrol(session, data, principal), principal).model_dump(mode="json")

    return run_idempotent(
        session,
        request.app.state.session_factory,
        principal,
        key,
        request_fingerprint("POST", "/enrolments", data.model_dump(mode="json")),
        produce,
    )


@router.get(
    "/quotes/contribution",
    response_model=ContributionRead,
    responses=error_responses(MonthInvalid, IncomeMissing, WageMissing),
)
def contribution_quote(
    _principal: Principal = Depends(require(Permission.QUOTE)),
    segment: str = Query("bpu", pattern="^(bpu|pu)$"),
    month: str = Query(..., description="Contribution month YYYY-MM"),
    income: int | None = Query(None, gt=0, le=1_000_000_000, description="BPU declared income"),
    programs: str = Query("jkk,jkm", max_length=40),
    wage: int | None = Query(None, gt=0, le=1_000_000_000, description="PU reported wage"),
    risk_group: int | None = Query(None, ge=1, le=5),
    region: str | None = Query(None, max_length=20),
) -> ContributionRead:
    """A contribution quote from the rules engine, with the rules, versions and citations it used."""
    try:
        contribution_month = Month.parse(month)
    except ValueError as exc:
        raise MonthInvalid(str(exc)) from exc
    chosen = [p.strip() for p in programs.split(",") if p.strip()]
    if segment == "bpu":
        if income is None:
            raise IncomeMissing
        return ContributionRead.of(quote_bpu(income, chosen, contribution_month))
    if wage is None or risk_group is None:
        raise WageMissing
    return ContributionRead.of(
        pu_contribution(wage, risk_group, contribution_month, parse_programs(chosen), region=region)
    )


__all__ = ["router"]
