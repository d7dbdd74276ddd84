"""Registry pages: the register of a region, with counts, filters and masked identifiers."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.kit import figures
from jangkau.kit.figures import last_complete_month
from jangkau.kit.masking import mask_nik
from jangkau.kit.pagination import Page, PageRequest
from jangkau.regions import repository as regions
from jangkau.regions.codes import Level, parse_region_code
from jangkau.registry import repository as repo
from jangkau.registry.models import Person
from jangkau.registry.nik import looks_like_nik
from jangkau.registry.occupations import OCCUPATIONS
from jangkau.registry.service import nik_search_result, remember_nik_search
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter()
DEFAULT_REGION = "12.71"


@router.get("/registry", response_class=HTMLResponse, include_in_schema=False)
def registry_page(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
    region: str | None = Query(None, max_length=20),
    q: str | None = Query(None, max_length=60, description="a name (a NIK is posted, never put in an address)"),
    page: int = Query(1, ge=1, le=100_000),
) -> HTMLResponse:
    """The register of a region: counts, a district filter, one page of people, searched by name from the address
    (``?q=``); a NIK in the address is not searched for (it is posted to ``/registry/search``)."""
    name = (q or "").strip()
    if name and looks_like_nik(name):
        context = _registry_context(session, principal, region, None, page)
        return render(request, "registry.html", {**context, "nik_in_address": True})
    return render(request, "registry.html", _registry_context(session, principal, region, name or None, page))


@router.post("/registry/search", response_model=None, include_in_schema=False)
def registry_search(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
    region: str = Form("", max_length=20),
    q: str = Form("", max_length=60),
    page: int = Form(1, ge=1, le=100_000),
    csrf_token: str = Form(""),
) -> Response:
    """A name or NIK search, posted so that what is searched for never appears in an address, a log or history; a
    NIK is answered with a redirect to the answer's random id (``/registry/results/<id>``)."""
    check_csrf(request, csrf_token)
    if looks_like_nik(q):
        code = parse_region_code(region or _default_region(principal), "region").code
        result_id = remember_nik_search(session, principal, q, code)
        return RedirectResponse(f"/registry/results/{result_id}", status_code=303)
    return render(request, "registry.html", _registry_context(session, principal, region or None, q.strip(), page))


@router.get("/registry/results/{result_id}", response_class=HTMLResponse, include_in_schema=False)
def registry_nik_result(
    request: Request,
    result_id: str = Path(max_length=64),
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.REGISTRY_READ)),
) -> HTMLResponse:
    """The answer to a posted NIK search, at an address that holds a random id, never the NIK (the caller's own
    answer only, for :data:`~jangkau.registry.service.SEARCH_RESULT_MINUTES` minutes)."""
    row, person = nik_search_result(session, principal, result_id)
    found = [person] if person is not None else []
    context = _registry_context(session, principal, row.region_code, None, 1, only=found)
    return render(request, "registry.html", {**context, "nik_result": True})


def _registry_context(
    session: Session,
    principal: Principal,
    region: str | None,
    q: str | None,
    page: int,
    only: list[Person] | None = None,
) -> dict[str, object]:
    """The register page's context; ``only``: show these people (a NIK search's answer) instead of a listing."""
    code = parse_region_code(region or _default_region(principal), "region").code
    full = principal.can(Permission.REGISTRY_READ_FULL)
    root = ".".join(code.split(".")[:2]) if code.count(".") >= 1 else code
    if only is None:
        listing = repo.list_persons(session, principal.scope, PageRequest(page, 50), region=code, search=q or None)
    else:
        listing = Page.of(only, len(only), PageRequest(1, 50))
    memberships = repo.memberships_of_many(session, [p.id for p in listing.items])
    village_names = regions.names(session, {p.village_code for p in listing.items} | {code, root})
    source = regions.latest_source(session)
    today = dt.date.today()
    rows = [
        {
            "id": p.id,
            "nik_masked": mask_nik(p.nik),
            "full_name": p.full_name,
            # beside a masked NIK, birth date and sex would give back the hidden digits: only for full readers
            "sex": p.sex if full else "",
            "birth_date": p.birth_date.isoformat() if full else "",
            "age": (today - p.birth_date).days // 365,
            "village_name": village_names.get(p.village_code, p.village_code),
            "occupation": _occupation(p.occupation),  # the English msgid: the page translates it
            "memberships": memberships[p.id],
        }
        for p in listing.items
    ]
    return {
        "region": code,
        "region_name": village_names.get(code, code),
        "root": root,
        "root_name": village_names.get(root, root),
        "districts": regions.descendants(session, root, Level.DISTRICT.value) if "." in root else [],
        "q": q,
        "page": listing,
        "rows": rows,
        "counts": repo.count_registry(session, _visible_part(principal, code)),
        "figures": figures.for_regions(session, _visible_part(principal, code), last_complete_month(today)).as_dict(),
        "source": f"{source.source} {source.version}, {source.decree}" if source else None,
    }


def _occupation(code: str | None) -> str:
    """An occupation's English name (a catalog msgid), or the code itself if it is not one of ours."""
    if code is None:
        return ""
    known = OCCUPATIONS.get(code)
    return known.name if known else code


def _default_region(principal: Principal) -> str:
    first = principal.scope[0] if principal.scope else ""
    return first or DEFAULT_REGION


def _visible_part(principal: Principal, code: str) -> list[str]:
    """The part of region ``code`` inside the caller's territory, as scope prefixes."""
    if principal.sees(code):
        return [code]
    return [p for p in principal.scope if p.startswith(code + ".")]
