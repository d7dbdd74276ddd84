"""Registry pages: the register of a region, with counts, filters and masked identifiers."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from jangkau.kit.masking import mask_nik
from jangkau.kit.pagination import PageRequest
from jangkau.regions import repository as regions
from jangkau.regions.codes import Level, parse_region_code
from jangkau.registry import repository as repo
from jangkau.registry.occupations import occupation_name
from jangkau.registry.service import EVERYWHERE
from jangkau.webkit import get_session, templates

router = APIRouter()
DEFAULT_REGION = "12.71"


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/registry", status_code=303)


@router.get("/registry", response_class=HTMLResponse, include_in_schema=False)
def registry_page(
    request: Request,
    session: Session = Depends(get_session),
    region: str = Query(DEFAULT_REGION, max_length=20),
    q: str | None = Query(None, max_length=60),
    page: int = Query(1, ge=1, le=100_000),
) -> HTMLResponse:
    """The register of a region: counts, a district filter, a name/NIK search, one page of people."""
    code = parse_region_code(region, "region").code
    root = ".".join(code.split(".")[:2]) if code.count(".") >= 1 else code
    listing = repo.list_persons(session, EVERYWHERE, PageRequest(page, 50), region=code, search=q)
    memberships = repo.memberships_of_many(session, [p.id for p in listing.items])
    village_names = regions.names(session, {p.village_code for p in listing.items} | {code, root})
    source = regions.latest_source(session)
    today = dt.date.today()
    rows = [
        {
            "nik_masked": mask_nik(p.nik),
            "full_name": p.full_name,
            "sex": p.sex,
            "birth_date": p.birth_date.isoformat(),
            "age": (today - p.birth_date).days // 365,
            "village_name": village_names.get(p.village_code, p.village_code),
            "occupation": occupation_name(p.occupation),
            "memberships": memberships[p.id],
        }
        for p in listing.items
    ]
    context = {
        "region": code,
        "region_name": village_names.get(code, code),
        "root": root,
        "root_name": village_names.get(root, root),
        "districts": regions.descendants(session, root, Level.DISTRICT.value) if "." in root else [],
        "q": q,
        "page": listing,
        "rows": rows,
        "counts": repo.count_registry(session, [code]),
        "source": f"{source.source} {source.version}, {source.decree}" if source else "belum dimuat",
    }
    return templates.TemplateResponse(request, "registry.html", context)
