"""JSON API of reporting: coverage figures, exports, estimates import, targets, refresh (under /api/v1/reports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.db.uow import unit_of_work
from jangkau.reporting import estimates, exports, jobs, service
from jangkau.reporting.pages import MEDIA
from jangkau.webkit import get_session

router = APIRouter(prefix="/reports", tags=["reports"])
READ = require(Permission.REPORTS_READ)
WRITE = require(Permission.REPORTS_WRITE)
MAX_ESTIMATE_FILE = 5_000_000


class TargetIn(BaseModel):
    """An active-member target of a region for a year."""

    model_config = ConfigDict(extra="forbid")
    region: str = Field(max_length=13)
    year: int = Field(ge=2000, le=2100)
    target_active: int = Field(gt=0)
    note: str | None = Field(None, max_length=300)


@router.get("/coverage/{region}")
def coverage(
    region: str,
    month: str | None = Query(None, max_length=7),
    session: Session = Depends(get_session),
    principal: Principal = Depends(READ),
) -> dict[str, Any]:
    """Coverage of a region (``ID`` = the country) in a month, with breakdowns, trend, regions inside, freshness."""
    return service.coverage_report(session, principal, region, month, dt.date.today())


@router.get("/coverage/{region}/export.{fmt}")
def export(
    region: str,
    fmt: str,
    month: str | None = Query(None, max_length=7),
    table: str = Query("children", max_length=20),
    session: Session = Depends(get_session),
    principal: Principal = Depends(READ),
) -> Response:
    """A table of the report as ``csv`` or ``xlsx``, or the monthly report as ``pdf``."""
    report = service.coverage_report(session, principal, region, month, dt.date.today())
    data = exports.monthly_pdf(report) if fmt == "pdf" else exports.export_table(report, table, fmt)
    return Response(data, media_type=MEDIA.get(fmt, "application/octet-stream"))


@router.post("/estimates/import")
def import_estimates(
    file: UploadFile = File(...),
    year: int = Form(..., ge=2000, le=2100),
    source: str = Form(..., min_length=3, max_length=200),
    session: Session = Depends(get_session),
    principal: Principal = Depends(WRITE),
) -> dict[str, Any]:
    """Import workforce estimates (CSV ``region_code,workers``; villages or districts), all or nothing."""
    content = file.file.read(MAX_ESTIMATE_FILE + 1)
    result = estimates.import_estimates(session, principal, content, year, source)
    audit.record(session, principal, "import", "workforce_estimate", year, after=result)
    return result


@router.post("/targets")
def put_target(
    data: TargetIn, session: Session = Depends(get_session), principal: Principal = Depends(WRITE)
) -> dict[str, Any]:
    """Set the active-member target of a region for a year."""
    row = estimates.set_target(session, principal, data.region, data.year, data.target_active, data.note)
    result = {"region": row.region_code, "year": row.year, "target_active": row.target_active, "note": row.note}
    audit.record(session, principal, "update", "coverage_target", f"{row.region_code}:{row.year}", after=result)
    return result


@router.post("/refresh")
def refresh(
    request: Request, session: Session = Depends(get_session), principal: Principal = Depends(WRITE)
) -> dict[str, Any]:
    """Drain the outbox now (recompute the villages and months marked dirty), in its own transaction."""
    factory = request.app.state.session_factory
    result = jobs.refresh(lambda: unit_of_work(factory), dt.date.today())
    audit.record(session, principal, "refresh", "coverage_summary")
    return {"refresh": result.as_dict() if result else None}
