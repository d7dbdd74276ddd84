"""Sponsors and programmes in the browser (``funding.write``): the sponsors of the office's territory, a new sponsor
(APBD, APBDes / Dana Desa, CSR, donor, wadah), a new programme with its budget and eligibility rules, and editing
both. Each form is all or nothing and once per form; a refusal names each bad field next to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.funding.forms import REFUSALS, problem
from jangkau.funding.sponsors import service
from jangkau.funding.sponsors.service import ProgrammeForm, SponsorForm
from jangkau.kit.months import Month
from jangkau.web.forms import new_token, submit_form
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/funding", include_in_schema=False)
WRITE = Depends(require(Permission.FUNDING_WRITE))
SESSION = Depends(get_session)


def _sponsors_context(session: Session, principal: Principal, **extra: Any) -> dict[str, Any]:
    return {
        "sponsors": service.visible_sponsors(session, principal),
        "kinds": service.KINDS,
        "form_token": new_token(),
        "values": {"kind": "apbd", "region_code": principal.scope[0] if len(principal.scope) == 1 else ""},
        "error": None,
        **extra,
    }


@router.get("/sponsors", response_class=HTMLResponse)
def sponsors_page(request: Request, session: Session = SESSION, principal: Principal = WRITE) -> HTMLResponse:
    return render(request, "funding/sponsors.html", _sponsors_context(session, principal))


@router.post("/sponsors", response_model=None)
def sponsor_create(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    kind: str = Form("", max_length=20),
    name: str = Form("", max_length=200),
    region_code: str = Form("", max_length=20),
    phone: str = Form("", max_length=20),
    session: Session = SESSION,
    principal: Principal = WRITE,
) -> Response:
    check_csrf(request, csrf_token)
    form = SponsorForm(kind, name, region_code, phone)

    def produce() -> str:
        sponsor = service.create_sponsor(session, form, principal)
        return f"/funding/programmes/new?sponsor={sponsor.id}"

    def refused(exc: Exception) -> Response:
        context = _sponsors_context(session, principal, values=vars(form), error=problem(exc))
        return render(request, "funding/sponsors.html", context, status_code=422)

    return submit_form(session, principal, form_token, "/funding/sponsors", produce, refused, REFUSALS)


@router.get("/sponsors/{sponsor_id}/edit", response_class=HTMLResponse)
def sponsor_edit_page(
    request: Request, sponsor_id: int, session: Session = SESSION, principal: Principal = WRITE
) -> HTMLResponse:
    sponsor = service.sponsor_in_territory(session, principal, sponsor_id)
    values = {"name": sponsor.name, "region_code": sponsor.region_code or "", "phone": sponsor.phone or ""}
    context = {"sponsor": sponsor, "values": values, "error": None}
    return render(request, "funding/sponsor_edit.html", context)


@router.post("/sponsors/{sponsor_id}/edit", response_model=None)
def sponsor_edit(
    request: Request,
    sponsor_id: int,
    csrf_token: str = Form(""),
    name: str = Form("", max_length=200),
    region_code: str = Form("", max_length=20),
    phone: str = Form("", max_length=20),
    session: Session = SESSION,
    principal: Principal = WRITE,
) -> Response:
    """Save the sponsor's name, region and phone (saving the same values twice changes nothing)."""
    check_csrf(request, csrf_token)
    sponsor = service.sponsor_in_territory(session, principal, sponsor_id)
    form = SponsorForm(sponsor.kind, name, region_code, phone)

    def produce() -> str:
        service.update_sponsor(session, sponsor_id, form, principal)
        return "/funding/sponsors?saved=1"

    def refused(exc: Exception) -> Response:
        context = {"sponsor": sponsor, "values": vars(form), "error": problem(exc)}
        return render(request, "funding/sponsor_edit.html", context, status_code=422)

    action = f"/funding/sponsors/{sponsor_id}/edit"
    return submit_form(session, principal, "", action, produce, refused, REFUSALS)


def _programme_context(session: Session, principal: Principal, **extra: Any) -> dict[str, Any]:
    return {
        "sponsors": service.visible_sponsors(session, principal),
        "occupations": service.occupation_choices(),
        "form_token": new_token(),
        "programme": None,
        "error": None,
        **extra,
    }


def _programme_form(values: dict[str, Any]) -> ProgrammeForm:
    return ProgrammeForm(
        payer_id=values["payer_id"],
        name=values["name"],
        with_jht=bool(values["with_jht"]),
        declared_income=values["declared_income"],
        start_month=values["start_month"],
        months=values["months"],
        budget=values["budget"],
        quota=values["quota"],
        region_prefix=values["region_prefix"],
        occupations=list(values["occupations"]),
        vulnerable_only=bool(values["vulnerable_only"]),
        min_age=values["min_age"],
        max_age=values["max_age"],
    )


@router.get("/programmes/new", response_class=HTMLResponse)
def programme_new_page(
    request: Request,
    sponsor: int | None = Query(None, ge=1, le=2**62),
    session: Session = SESSION,
    principal: Principal = WRITE,
) -> HTMLResponse:
    values = vars(ProgrammeForm(payer_id=str(sponsor or ""), start_month=str(Month.of(dt.date.today()))))
    context = _programme_context(session, principal, values=values)
    return render(request, "funding/programme_form.html", context)


async def _typed(request: Request) -> dict[str, Any]:
    form = await request.form()
    text = {key: str(form.get(key, ""))[:200] for key in vars(ProgrammeForm()) if key != "occupations"}
    return {
        **text,
        "with_jht": bool(form.get("with_jht")),
        "vulnerable_only": bool(form.get("vulnerable_only")),
        "occupations": [str(o)[:40] for o in form.getlist("occupations")][:50],
        "csrf_token": str(form.get("csrf_token", "")),
        "form_token": str(form.get("form_token", "")),
    }


@router.post("/programmes/new", response_model=None)
async def programme_create(request: Request, session: Session = SESSION, principal: Principal = WRITE) -> Response:
    """Create the programme once; each bad field is named next to it and what was typed stays."""
    typed = await _typed(request)
    check_csrf(request, typed["csrf_token"])
    form = _programme_form(typed)

    def produce() -> str:
        programme = service.create_programme(session, form, principal)
        return f"/funding/programmes/{programme.id}"

    def refused(exc: Exception) -> Response:
        context = _programme_context(session, principal, values=vars(form), error=problem(exc))
        return render(request, "funding/programme_form.html", context, status_code=422)

    return submit_form(session, principal, typed["form_token"], "/funding/programmes/new", produce, refused, REFUSALS)


@router.get("/programmes/{programme_id}/edit", response_class=HTMLResponse)
def programme_edit_page(
    request: Request, programme_id: int, session: Session = SESSION, principal: Principal = WRITE
) -> HTMLResponse:
    programme = service.programme_in_territory(session, principal, programme_id)
    context = _programme_context(session, principal, programme=programme, values=service.programme_values(programme))
    return render(request, "funding/programme_form.html", context)


@router.post("/programmes/{programme_id}/edit", response_model=None)
async def programme_edit(
    request: Request, programme_id: int, session: Session = SESSION, principal: Principal = WRITE
) -> Response:
    """Save the name, budget, quota and eligibility rules (saving the same values twice changes nothing)."""
    typed = await _typed(request)
    check_csrf(request, typed["csrf_token"])
    programme = service.programme_in_territory(session, principal, programme_id)
    fixed = service.programme_values(programme)
    form = _programme_form({**typed, **{k: fixed[k] for k in ("payer_id", "with_jht", "declared_income",
                                                              "start_month", "months")}})  # fmt: skip

    def produce() -> str:
        service.update_programme(session, programme_id, form, principal)
        return f"/funding/programmes/{programme_id}"

    def refused(exc: Exception) -> Response:
        context = _programme_context(session, principal, programme=programme, values=vars(form), error=problem(exc))
        return render(request, "funding/programme_form.html", context, status_code=422)

    action = f"/funding/programmes/{programme_id}/edit"
    return submit_form(session, principal, "", action, produce, refused, REFUSALS)
