"""``/api/v1`` health, regions and NIK check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from jangkau import __version__
from jangkau.regions import repository as regions
from jangkau.regions.service import region_stats, show_region
from jangkau.registry.nik import check_nik
from jangkau.registry.schemas import NikLookupIn
from jangkau.system.health import readiness
from jangkau.system.schemas import HealthRead, NikCheckRead, ReadyRead
from jangkau.webkit import get_session

router = APIRouter(tags=["system"])


@router.get("/health", response_model=HealthRead)
def health() -> HealthRead:
    """Liveness: the process answers. It touches no database (a load balancer may call it often)."""
    return HealthRead(status="ok", version=__version__)


@router.get("/ready", response_model=ReadyRead, responses={503: {"model": ReadyRead, "description": "Not ready"}})
def ready(request: Request) -> Response:
    """Readiness: the database answers and is at the current migrations, and a worker is alive (where required).

    HTTP 503 with each failed check's reason when not ready.
    """
    checks = readiness(request.app.state.engine, request.app.state.settings)
    ok = all(check.ok for check in checks)
    body = ReadyRead(status="ready" if ok else "not_ready", version=__version__, checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/regions/stats")
def regions_stats(session: Session = Depends(get_session)) -> dict[str, Any]:
    """Counts of regions per level and the source of the tree."""
    return region_stats(session)


@router.get("/regions/{code}")
def region_detail(code: str, session: Session = Depends(get_session)) -> dict[str, Any]:
    """A region with its parent and children (404 if unknown, 422 if malformed)."""
    return show_region(session, code)


@router.post("/nik/check", response_model=NikCheckRead)
def nik_check(data: NikLookupIn, session: Session = Depends(get_session)) -> NikCheckRead:
    """Check a NIK (posted, never in the address): validity, errors, warnings, decoded sex and birth date, district.

    It says nothing of whether anyone with this NIK is registered.
    """
    result = check_nik(data.nik, district_exists=lambda code: regions.exists(session, code))
    district = regions.get(session, result.district_code) if result.district_code else None
    return NikCheckRead(
        nik=result.nik,
        valid=result.valid,
        errors=result.errors,
        warnings=result.warnings,
        sex=result.sex.value if result.sex else None,
        birth_date=result.birth_date,
        province_code=result.province_code,
        regency_code=result.regency_code,
        district_code=result.district_code,
        serial=result.serial,
        district_name=district.name if district else None,
    )
