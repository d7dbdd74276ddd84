"""``/api/v1`` health, regions and NIK check."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from jangkau import __version__
from jangkau.api_errors import error_responses
from jangkau.regions import repository as regions
from jangkau.regions.errors import RegionCodeInvalid, RegionNotFound
from jangkau.regions.schemas import RegionRead, RegionStatsRead
from jangkau.regions.service import region_stats, show_region
from jangkau.registry.nik import check_nik
from jangkau.registry.schemas import NikCheckRead, NikLookupIn
from jangkau.system.health import readiness
from jangkau.system.schemas import HealthRead, ReadyRead
from jangkau.web.kit import get_session

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


@router.get("/regions/stats", response_model=RegionStatsRead)
def regions_stats(session: Session = Depends(get_session)) -> RegionStatsRead:
    """Counts of regions per level and the source of the tree."""
    return RegionStatsRead.model_validate(region_stats(session))


@router.get("/regions/{code}", response_model=RegionRead, responses=error_responses(RegionNotFound, RegionCodeInvalid))
def region_detail(code: str, session: Session = Depends(get_session)) -> RegionRead:
    """A region with its parent and children (404 if unknown, 422 if malformed)."""
    return RegionRead.model_validate(show_region(session, code))


@router.post("/nik/check", response_model=NikCheckRead)
def nik_check(data: NikLookupIn, session: Session = Depends(get_session)) -> NikCheckRead:
    """Check a NIK (posted, never in the address): validity, errors, warnings, decoded sex and birth date, district.

    It says nothing of whether anyone with this NIK is registered.
    """
    result = check_nik(data.nik, district_exists=lambda code: regions.exists(session, code))
    district = regions.get(session, result.district_code) if result.district_code else None
    return NikCheckRead.model_validate({**result.as_dict(), "district_name": district.name if district else None})
