"""Dashboard pages: coverage of a region against workforce and target, with charts, exports and the PDF report."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.reporting import exports, service, views
from jangkau.reporting.bands import PAYER_NAMES_ID, SEGMENT_NAMES_ID, SEX_NAMES_ID
from jangkau.webkit import get_session, render

router = APIRouter(include_in_schema=False)
READ = require(Permission.REPORTS_READ)
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get("/reports")
def reports_home(principal: Principal = Depends(READ)) -> RedirectResponse:
    """Open the dashboard of the user's own territory."""
    return RedirectResponse(f"/reports/{service.default_region(principal)}", status_code=303)


@router.get("/reports/{region}", response_class=HTMLResponse)
def dashboard(
    request: Request,
    region: str,
    month: str | None = Query(None, max_length=7),
    session: Session = Depends(get_session),
    principal: Principal = Depends(READ),
) -> HTMLResponse:
    """The dashboard of one region (country ``ID``, province, city, district or village)."""
    report = service.coverage_report(session, principal, region, month, dt.date.today())
    context = {
        "report": report,
        "charts": views.charts(report),
        "level_name": views.LEVEL_ID[int(report["region"]["level"])],
        "child_level": views.CHILD_LEVEL_ID.get(int(report["region"]["level"]), ""),
        "names": {"segment": SEGMENT_NAMES_ID, "payer": PAYER_NAMES_ID, "sex": SEX_NAMES_ID},
        "tables": list(exports.TABLES),
    }
    return render(request, "reporting/dashboard.html", context)


@router.get("/reports/{region}/export.{fmt}")
def export(
    region: str,
    fmt: str,
    month: str | None = Query(None, max_length=7),
    table: str = Query("children", max_length=20),
    session: Session = Depends(get_session),
    principal: Principal = Depends(READ),
) -> Response:
    """A table of the dashboard as CSV or XLSX, or the monthly report as PDF."""
    report = service.coverage_report(session, principal, region, month, dt.date.today())
    data = exports.monthly_pdf(report) if fmt == "pdf" else exports.export_table(report, table, fmt)
    name = f"cakupan_{report['region']['code']}_{report['month']}" + ("" if fmt == "pdf" else f"_{table}")
    return Response(
        data,
        media_type=MEDIA.get(fmt, "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
