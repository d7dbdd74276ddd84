"""JSON API of reporting: coverage figures, exports, estimates import, targets, refresh (under /api/v1/reports)."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.kit.documents import DOCUMENT_RESPONSES
from jangkau.reporting import estimates, exports, jobs, scorecard, service
from jangkau.reporting.errors import (
    EstimatesFileUnreadable,
    EstimatesInvalid,
    EvidenceNotFound,
    MonthInFuture,
    RebuildRunning,
    RegionNotFound,
    ScorecardRegionLevel,
    ScoreOutOfRange,
    TargetNotPositive,
    UnknownFormat,
    UnknownIndicator,
    UnknownTable,
)
from jangkau.reporting.pages import MEDIA
from jangkau.reporting.schemas import (
    CoverageReportRead,
    EstimatesImportRead,
    RefreshRead,
    RefreshRunRead,
    ScorecardEvidenceRead,
    ScorecardRead,
    ScoreEntryRead,
    ScoreIn,
    TargetIn,
    TargetRead,
)
from jangkau.web.kit import get_session

router = APIRouter(prefix="/reports", tags=["reports"])
READ = require(Permission.REPORTS_READ)
WRITE = require(Permission.REPORTS_WRITE)
MAX_ESTIMATE_FILE = 5_000_000


EXPORT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The table (csv, xlsx) or the monthly report (pdf)",
        "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA.values()},
    }
}


@router.get(
    "/coverage/{region}",
    response_model=CoverageReportRead,
    responses=error_responses(RegionNotFound, MonthInFuture),
)
def coverage(
    region: str,
    month: str | None = Query(None, max_length=7),
    session: Session = Depends(get_session),
    principal: Principal = Depends(READ),
) -> CoverageReportRead:
    """Coverage of a region (``ID`` = the country) in a month, with breakdowns, trend, regions inside, freshness."""
    return CoverageReportRead.model_validate(
        service.coverage_report(session, principal, region, month, dt.date.today())
    )


@router.get(
    "/coverage/{region}/export.{fmt}",
    response_class=Response,
    responses={**EXPORT_RESPONSES, **error_responses(RegionNotFound, MonthInFuture, UnknownTable, UnknownFormat)},
)
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


@router.post(
    "/estimates/import",
    response_model=EstimatesImportRead,
    responses=error_responses(EstimatesInvalid, EstimatesFileUnreadable),
)
def import_estimates(
    file: UploadFile = File(...),
    year: int = Form(..., ge=2000, le=2100),
    source: str = Form(..., min_length=3, max_length=200),
    session: Session = Depends(get_session),
    principal: Principal = Depends(WRITE),
) -> EstimatesImportRead:
    """Import workforce estimates (CSV ``region_code,workers``; villages or districts), all or nothing."""
    content = file.file.read(MAX_ESTIMATE_FILE + 1)
    result = estimates.import_estimates(session, principal, content, year, source)
    audit.record(session, principal, "import", "workforce_estimate", year, after=result)
    return EstimatesImportRead.model_validate(result)


@router.post("/targets", response_model=TargetRead, responses=error_responses(RegionNotFound, TargetNotPositive))
def put_target(
    data: TargetIn, session: Session = Depends(get_session), principal: Principal = Depends(WRITE)
) -> TargetRead:
    """Set the active-member target of a region for a year."""
    row = estimates.set_target(session, principal, data.region, data.year, data.target_active, data.note)
    result = TargetRead(region=row.region_code, year=row.year, target_active=row.target_active, note=row.note)
    audit.record(
        session, principal, "update", "coverage_target", f"{row.region_code}:{row.year}", after=result.model_dump()
    )
    return result


@router.post("/refresh", response_model=RefreshRead, responses=error_responses(RebuildRunning))
def refresh(session: Session = Depends(get_session), principal: Principal = Depends(WRITE)) -> RefreshRead:
    """Drain the outbox now (recompute the villages and months marked dirty), in the request's transaction."""
    result = jobs.refresh(lambda: nullcontext(session), dt.date.today())
    audit.record(session, principal, "refresh", "coverage_summary")
    return RefreshRead(refresh=RefreshRunRead.of(result) if result else None)


@router.get("/scorecard/{region}", response_model=ScorecardRead, responses=error_responses(RegionNotFound))
def get_scorecard(
    region: str,
    year: int = Query(..., ge=2000, le=2100),
    session: Session = Depends(get_session),
    principal: Principal = Depends(READ),
) -> ScorecardRead:
    """The Paritrana-style scorecard of a region (weights UNCONFIRMED, said in ``rule``)."""
    return ScorecardRead.model_validate(scorecard.scorecard(session, principal, region, year, dt.date.today()))


@router.post(
    "/scorecard/{region}/entries",
    response_model=ScoreEntryRead,
    responses=error_responses(RegionNotFound, UnknownIndicator, ScoreOutOfRange, ScorecardRegionLevel),
)
def put_score(
    region: str, data: ScoreIn, session: Session = Depends(get_session), principal: Principal = Depends(WRITE)
) -> ScoreEntryRead:
    """Record the assessed score of one indicator."""
    entry = scorecard.put_entry(session, principal, region, data.year, data.indicator, data.score, data.note)
    result = ScoreEntryRead(region=entry.region_code, year=entry.year, indicator=entry.indicator, score=entry.score)
    audit.record(
        session,
        principal,
        "update",
        "scorecard_entry",
        f"{region}:{data.year}:{data.indicator}",
        after=result.model_dump(),
    )
    return result


@router.post(
    "/scorecard/{region}/evidence/upload",
    response_model=ScorecardEvidenceRead,
    responses=error_responses(RegionNotFound, UnknownIndicator, ScorecardRegionLevel),
)
def upload_evidence(
    region: str,
    year: int = Form(..., ge=2000, le=2100),
    indicator: str = Form(..., max_length=20),
    file: UploadFile = File(...),
    session: Session = Depends(get_session),
    principal: Principal = Depends(WRITE),
) -> ScorecardEvidenceRead:
    """Attach a PDF, PNG or JPEG (at most 2 MB) to an indicator."""
    content = file.file.read(scorecard.MAX_EVIDENCE_BYTES + 1)
    evidence = scorecard.add_evidence(
        session, principal, region, year, indicator, file.filename or "", content, file.content_type or ""
    )
    result = ScorecardEvidenceRead(
        id=evidence.id, file_name=evidence.file_name, size=evidence.size, sha256=evidence.sha256
    )
    audit.record(session, principal, "create", "scorecard_evidence", evidence.id, region_code=evidence.region_code)
    return result


@router.get(
    "/scorecard/evidence/{evidence_id}",
    response_class=Response,
    responses={**DOCUMENT_RESPONSES, **error_responses(EvidenceNotFound)},
)
def download_evidence(
    evidence_id: int, session: Session = Depends(get_session), principal: Principal = Depends(READ)
) -> Response:
    """One evidence document."""
    evidence = scorecard.evidence_file(session, principal, evidence_id)
    return Response(
        evidence.data,
        media_type=evidence.content_type,
        headers={"Content-Disposition": f'attachment; filename="{evidence.file_name}"'},
    )
