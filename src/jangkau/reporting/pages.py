"""Dashboard pages: coverage of a region against workforce and target, with charts, exports and the PDF report."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import JangkauError
from jangkau.reporting import exports, scorecard, service, views
from jangkau.reporting.errors import ScoreOutOfRange
from jangkau.reporting.rules.bands import PAYER_NAMES, SEGMENT_NAMES, SEX_NAMES
from jangkau.web.forms import field_errors
from jangkau.web.kit import check_csrf, get_session, language, render

router = APIRouter(include_in_schema=False)
READ = require(Permission.REPORTS_READ)
WRITE = require(Permission.REPORTS_WRITE)
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
    level = int(report["region"]["level"])
    context = {
        "report": report,
        "charts": views.charts(report, language(request)),
        "level_name": views.LEVEL_NAMES[level],
        "child_level": views.CHILD_LEVEL_NAMES.get(level, ""),
        "names": {"segment": SEGMENT_NAMES, "payer": PAYER_NAMES, "sex": SEX_NAMES},
        "funnel_stages": exports.FUNNEL_STAGES,
        "tables": list(exports.TABLES),
        "table_names": exports.TABLE_NAMES,
    }
    return render(request, "reporting/dashboard.html", context)


@router.get("/reports/{region}/export.{fmt}")
def export(
    request: Request,
    region: str,
    fmt: str,
    month: str | None = Query(None, max_length=7),
    table: str = Query("children", max_length=20),
    session: Session = Depends(get_session),
    principal: Principal = Depends(READ),
) -> Response:
    """A table of the dashboard as CSV or XLSX, or the monthly report as PDF, in the page's language."""
    report = service.coverage_report(session, principal, region, month, dt.date.today())
    lang = language(request)
    data = exports.monthly_pdf(report, lang) if fmt == "pdf" else exports.export_table(report, table, fmt, lang)
    name = f"cakupan_{report['region']['code']}_{report['month']}" + ("" if fmt == "pdf" else f"_{table}")
    return Response(
        data,
        media_type=MEDIA.get(fmt, "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@router.get("/reports/{region}/scorecard", response_class=HTMLResponse)
def scorecard_page(
    request: Request,
    region: str,
    year: int | None = Query(None, ge=2000, le=2100),
    session: Session = Depends(get_session),
    principal: Principal = Depends(READ),
) -> HTMLResponse:
    """The Paritrana-style scorecard of a region, with evidence; assessors enter scores and upload documents."""
    today = dt.date.today()
    data = scorecard.scorecard(session, principal, region, year or today.year, today)
    context = {
        "card": data,
        "can_write": principal.can(Permission.REPORTS_WRITE),
        "error": None,
        "indicator_names": scorecard.INDICATOR_NAMES,
    }
    return render(request, "reporting/scorecard.html", context)


def _scorecard_refused(
    request: Request, session: Session, principal: Principal, region: str, year: int, exc: JangkauError,
    typed: dict[str, str],
) -> HTMLResponse:  # fmt: skip
    """The scorecard page again: the reason beside the field it concerns, what was typed kept, nothing saved."""
    context = {
        "card": scorecard.scorecard(session, principal, region, year, dt.date.today()),
        "can_write": principal.can(Permission.REPORTS_WRITE),
        "error": exc,
        "errors": field_errors(exc),
        "typed": typed,
        "indicator_names": scorecard.INDICATOR_NAMES,
    }
    return render(request, "reporting/scorecard.html", context, status_code=exc.http_status)


@router.post("/reports/{region}/scorecard/entries", response_model=None)
def scorecard_entry(
    request: Request,
    region: str,
    year: int = Form(..., ge=2000, le=2100),
    indicator: str = Form(..., max_length=20),
    score: str = Form("", max_length=20),
    note: str = Form("", max_length=2000),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
    principal: Principal = Depends(WRITE),
) -> Response:
    """Save an assessed score from the scorecard page; a refused one shows the page again with the reason."""
    check_csrf(request, csrf_token)
    try:
        with session.begin_nested():
            if not score.strip().isdigit():
                raise ScoreOutOfRange
            scorecard.put_entry(session, principal, region, year, indicator, int(score.strip()), note or None)
    except JangkauError as exc:
        typed = {"form": "entry", "indicator": indicator, "score": score, "note": note}
        return _scorecard_refused(request, session, principal, region, year, exc, typed)
    audit.record(session, principal, "update", "scorecard_entry", f"{region}:{year}:{indicator}")
    return RedirectResponse(f"/reports/{region}/scorecard?year={year}", status_code=303)


@router.post("/reports/{region}/scorecard/upload", response_model=None)
def scorecard_upload(
    request: Request,
    region: str,
    year: int = Form(..., ge=2000, le=2100),
    indicator: str = Form(..., max_length=20),
    file: UploadFile = File(...),
    csrf_token: str = Form(""),
    session: Session = Depends(get_session),
    principal: Principal = Depends(WRITE),
) -> Response:
    """Attach evidence from the scorecard page; a refused file shows the page again with the reason beside it."""
    check_csrf(request, csrf_token)
    content = file.file.read(scorecard.MAX_EVIDENCE_BYTES + 1)
    try:
        with session.begin_nested():
            evidence = scorecard.add_evidence(
                session, principal, region, year, indicator, file.filename or "", content, file.content_type or ""
            )
    except JangkauError as exc:
        typed = {"form": "evidence", "indicator": indicator}
        return _scorecard_refused(request, session, principal, region, year, exc, typed)
    audit.record(session, principal, "create", "scorecard_evidence", evidence.id, region_code=evidence.region_code)
    return RedirectResponse(f"/reports/{region}/scorecard?year={year}", status_code=303)
