"""``/api/v1`` health, regions and NIK check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from jangkau import __version__
from jangkau.regions import repository as regions
from jangkau.regions.service import region_stats, show_region
from jangkau.registry.nik import check_nik
from jangkau.registry.schemas import NikLookupIn
from jangkau.webkit import get_session

router = APIRouter(tags=["system"])


@router.get("/health")
def health(session: Session = Depends(get_session)) -> dict[str, Any]:
    """Liveness and whether the region tree is loaded."""
    return {"status": "ok", "version": __version__, "regions_loaded": not regions.is_empty(session)}


@router.get("/regions/stats")
def regions_stats(session: Session = Depends(get_session)) -> dict[str, Any]:
    """Counts of regions per level and the source of the tree."""
    return region_stats(session)


@router.get("/regions/{code}")
def region_detail(code: str, session: Session = Depends(get_session)) -> dict[str, Any]:
    """A region with its parent and children (404 if unknown, 422 if malformed)."""
    return show_region(session, code)


@router.post("/nik/check")
def nik_check(data: NikLookupIn, session: Session = Depends(get_session)) -> dict[str, Any]:
    """Check a NIK (posted, never in the address): validity, errors, warnings, decoded sex and birth date, district.

    It says nothing of whether anyone with this NIK is registered.
    """
    result = check_nik(data.nik, district_exists=lambda code: regions.exists(session, code))
    out = result.as_dict()
    district = regions.get(session, result.district_code) if result.district_code else None
    out["district_name"] = district.name if district else None
    return out
