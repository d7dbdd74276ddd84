"""JSON API of the managed rule tables (mounted at ``/api/v1``): versions, health, propose, activate, withdraw."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import ValidationError
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.ruleadmin import health, service
from jangkau.ruleadmin.errors import (
    HeaderColumns,
    HeaderInvalid,
    InstrumentRequired,
    NoSuchTable,
    NotProposed,
    NotToml,
    OtherTable,
    RuleFileRefused,
    RuleFileShape,
    RuleUnknown,
    SameUser,
    TooLateToWithdraw,
    VersionNotFound,
    VersionOverlap,
)
from jangkau.ruleadmin.schemas import RuleVersionRead, TableHealthRead, VersionIn
from jangkau.web.kit import get_session

router = APIRouter(prefix="/rules", tags=["rules"])
READ = Depends(require(Permission.RULES_READ))
MANAGE = Depends(require(Permission.RULES_MANAGE))
SESSION = Depends(get_session)


def _header(**data: object) -> VersionIn:
    """The version's header from the form fields; a broken rule is a 422 naming the field."""
    try:
        return VersionIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise HeaderInvalid(str(first["loc"][0]) if first["loc"] else "form", str(first["msg"])) from exc


@router.get("/versions", response_model=list[RuleVersionRead])
def list_versions(
    rule_id: str | None = None, principal: Principal = READ, session: Session = SESSION
) -> list[RuleVersionRead]:
    """Versions added by users, newest first per table."""
    return service.versions(session, principal, rule_id)


@router.get("/health", response_model=list[TableHealthRead])
def table_health(
    on: dt.date | None = None, days: int = health.WARN_DAYS, _p: Principal = READ
) -> list[TableHealthRead]:
    """Yearly tables that end within ``days`` of ``on`` (default today) or have ended."""
    return health.check(on or dt.date.today(), days)


@router.post(
    "/min-wage",
    status_code=201,
    response_model=RuleVersionRead,
    responses=error_responses(HeaderInvalid, HeaderColumns, RuleFileRefused, InstrumentRequired, VersionOverlap),
)
def propose_min_wage(
    file: UploadFile = File(...),
    valid_from: dt.date = Form(...),
    instrument: str = Form("", max_length=300),
    signed_on: dt.date | None = Form(None),
    source: str = Form("", max_length=500),
    status: Literal["confirmed", "unconfirmed"] = Form("confirmed"),
    principal: Principal = MANAGE,
    session: Session = SESSION,
) -> RuleVersionRead:
    """A year of a province's minimum wages from CSV/XLSX (422 lists every refused row; nothing is proposed)."""
    header = _header(instrument=instrument, signed_on=signed_on, valid_from=valid_from, source=source, status=status)
    row = service.propose_min_wage_file(session, principal, file.filename or "", file.file.read(), header)
    return service.read(row)


@router.post(
    "/tables/{rule_id}/versions",
    status_code=201,
    response_model=RuleVersionRead,
    responses=error_responses(
        HeaderInvalid, RuleUnknown, NoSuchTable, NotToml, OtherTable, RuleFileShape, InstrumentRequired, VersionOverlap
    ),
)
def propose_table_version(
    rule_id: str,
    file: UploadFile = File(..., description="TOML shaped as the shipped file of the table"),
    valid_from: dt.date = Form(...),
    instrument: str = Form("", max_length=300),
    signed_on: dt.date | None = Form(None),
    source: str = Form("", max_length=500),
    status: Literal["confirmed", "unconfirmed"] = Form("confirmed"),
    note: str = Form("", max_length=500),
    principal: Principal = MANAGE,
    session: Session = SESSION,
) -> RuleVersionRead:
    """A new version of any rule table from a TOML file (422 lists every difference from the table's shape)."""
    header = _header(
        instrument=instrument, signed_on=signed_on, valid_from=valid_from, source=source, status=status, note=note
    )
    return service.read(service.propose_table_file(session, principal, rule_id[:80], file.file.read(), header))


@router.post(
    "/versions/{version_id}/activate",
    response_model=RuleVersionRead,
    responses=error_responses(VersionNotFound, NotProposed, SameUser, VersionOverlap),
)
def activate(version_id: int, principal: Principal = MANAGE, session: Session = SESSION) -> RuleVersionRead:
    """The checker (not the proposer) activates a proposed version."""
    return service.read(service.activate(session, principal, version_id))


@router.post(
    "/versions/{version_id}/withdraw",
    response_model=RuleVersionRead,
    responses=error_responses(VersionNotFound, TooLateToWithdraw),
)
def withdraw(version_id: int, principal: Principal = MANAGE, session: Session = SESSION) -> RuleVersionRead:
    """Withdraw a proposal, or an active version before its valid_from."""
    return service.read(service.withdraw(session, principal, version_id))
