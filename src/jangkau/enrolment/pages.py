"""Door-to-door enrolment, registering someone else, the receipt, the membership card and the coverage check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import current_principal, require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.auth.secrets import qr_svg_data_uri
from jangkau.enrolment.errors import ConsentNeedsMobile, EnrolmentFormInvalid, IncomeNotANumber
from jangkau.enrolment.schemas import EnrolmentIn
from jangkau.enrolment.service import RELATIONSHIPS, enrol, quote_bpu
from jangkau.errors import FieldError, InvalidInput, JangkauError
from jangkau.funding.protection import member_protection
from jangkau.funding.requests import service as sponsor_requests
from jangkau.i18n import DEFAULT_LANGUAGE, N_, gettext
from jangkau.kit.dates import read_date
from jangkau.kit.masking import mask_nik
from jangkau.kit.months import Month
from jangkau.notify import consent
from jangkau.notify.errors import InvalidAddress
from jangkau.regions import repository as regions
from jangkau.registry import access
from jangkau.registry import repository as repo
from jangkau.registry.card import card_pdf, card_token
from jangkau.registry.models import Person
from jangkau.registry.nik import check_nik, clean_nik
from jangkau.registry.occupations import OCCUPATIONS, Sector
from jangkau.registry.schemas import NikLookupIn, PersonIn
from jangkau.registry.service import offline_field_errors
from jangkau.web.kit import check_csrf, get_session, language, render

router = APIRouter(include_in_schema=False)
MAX_VILLAGE_CHOICES = 400  # more than this and the village code is typed instead of chosen
INCOME_CHOICES = (1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 4_000_000, 5_000_000)
INFORMAL = [o for o in OCCUPATIONS.values() if o.sector in (Sector.INFORMAL, Sector.PUBLIC)]


def _villages(session: Session, principal: Principal) -> list[Any]:
    """The villages a field agent works in (empty for a country-wide scope: the code is typed instead)."""
    places = principal.home if access.owns(principal) else principal.scope
    if "" in places:
        return []
    found = regions.villages_in(session, places, MAX_VILLAGE_CHOICES + 1)
    return [] if len(found) > MAX_VILLAGE_CHOICES else list(found)


def _form_context(
    session: Session, principal: Principal, values: dict[str, Any], errors: dict[str, str], other: bool
) -> dict[str, Any]:
    income = int(values.get("declared_income") or 1_000_000)
    programs = ["jkk", "jkm"] + (["jht"] if values.get("jht") else [])
    try:
        quote = quote_bpu(income, programs, Month.of(dt.date.today()))
    except JangkauError:
        quote = None
    return {
        "values": values,
        "errors": errors,
        "other": other,
        "villages": _villages(session, principal),
        "occupations": INFORMAL,
        "incomes": INCOME_CHOICES,
        "relationships": RELATIONSHIPS,
        "programmes": _programmes(session, principal),
        "quote": quote,
    }


def _programmes(session: Session, principal: Principal) -> list[Any]:
    """Sponsorship programmes running this month that may pay for workers in the caller's territory (a worker's or
    employer's: the places its account was set up for; their enrolment then waits for the sponsor's approval)."""
    running = sponsor_requests.running_programmes(session, Month.of(dt.date.today()))
    places = principal.home if access.owns(principal) else principal.scope
    return [p for p in running if p.region_prefix is None or any(_overlap(p.region_prefix, s) for s in places)]


def _overlap(prefix: str, scope: str) -> bool:
    return scope == "" or scope.startswith(prefix) or prefix.startswith(scope)


def _page_for(principal: Principal) -> bool:
    """True when the caller registers someone else (a worker or employer), False for agents and staff."""
    if principal.can(Permission.ENROL):
        return False
    principal.require(Permission.REGISTER_OTHERS)
    return True


@router.get("/enrol", response_class=HTMLResponse)
@router.get("/register-other", response_class=HTMLResponse)
def enrol_form(
    request: Request, session: Session = Depends(get_session), principal: Principal = Depends(current_principal)
) -> HTMLResponse:
    other = _page_for(principal)
    values = {"declared_income": 1_000_000, "sex": "", "village_code": ""}
    return render(request, "enrol.html", _form_context(session, principal, values, {}, other))


@router.post("/enrol", response_model=None)
@router.post("/register-other", response_model=None)
async def enrol_submit(
    request: Request, session: Session = Depends(get_session), principal: Principal = Depends(current_principal)
) -> Response:
    """Save the enrolment; on any refusal show the form again with what was typed and the reasons."""
    other = _page_for(principal)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        check_csrf(request, values.get("csrf_token"))
        data = _enrolment_from_form(values)
        result = enrol(session, data, principal)
        _record_consent(session, result.person, values.get("consent_channel", ""))
    except JangkauError as exc:
        errors = {f.field.split(".")[-1]: (f.message_id or f.message) for f in exc.fields if f.field != "csrf_token"}
        if not errors:
            errors["form"] = exc.message_id or exc.message
        session.rollback()
        return render(
            request, "enrol.html", _form_context(session, principal, values, errors, other), status_code=exc.http_status
        )
    return RedirectResponse(f"/enrol/receipt/{result.membership.id}", status_code=303)


def _record_consent(session: Session, person: Person, channel: str) -> None:
    """The worker agreed on the form to reminders by WhatsApp or SMS at the phone given (recorded as given on the
    enrolment form, now).

    Raises:
        InvalidInput: a channel chosen without a valid mobile number.
    """
    if channel not in ("whatsapp", "sms"):
        return
    if not person.phone:
        raise ConsentNeedsMobile
    try:
        consent.grant(session, person.id, channel, person.phone, consent.Via.ENROLMENT_FORM)
    except InvalidAddress as exc:
        raise InvalidInput.for_field("phone", exc.fields[0].message, exc.fields[0].message_id) from exc


def _day_first(typed: str | None) -> str | None:
    """A birth date typed without a date picker (``04-12-1990``, ``4 Desember 1990``) as ISO; anything else as typed,
    for the form's own check to name."""
    try:
        return read_date(typed).isoformat() if typed else typed
    except ValueError:
        return typed


def _enrolment_from_form(values: dict[str, str]) -> EnrolmentIn:
    try:
        person = PersonIn(
            nik=values.get("nik", ""),
            full_name=values.get("full_name", ""),
            birth_date=_day_first(values.get("birth_date")),
            sex=values.get("sex"),
            village_code=values.get("village_code", ""),
            phone=values.get("phone") or None,
            address=values.get("address") or None,
            rt=values.get("rt") or None,
            rw=values.get("rw") or None,
            occupation=values.get("occupation") or None,
            is_vulnerable=bool(values.get("is_vulnerable")),
        )
        return EnrolmentIn(
            person=person,
            programs=["jkk", "jkm"] + (["jht"] if values.get("jht") else []),
            declared_income=int(values.get("declared_income") or 0),
            payer=values.get("payer") or "self",
            relationship=values.get("relationship") or None,
        )
    except ValidationError as exc:
        fields = [
            FieldError(".".join(str(p) for p in e["loc"]), e["msg"], _indonesian(e["type"])) for e in exc.errors()
        ]
        named = {f.field.split(".")[-1] for f in fields}
        fields += [f for f in offline_field_errors(values.get("nik", ""), values.get("phone")) if f.field not in named]
        raise EnrolmentFormInvalid(fields) from exc
    except ValueError as exc:
        raise IncomeNotANumber from exc


# what a person can do about a form error, by pydantic's error type (the Indonesian is in the catalog)
_FORM_ERRORS = {
    "missing": N_("this field is required"),
    "string_too_short": N_("this field is required"),
    "date_from_datetime_parsing": N_("not a valid date"),
    "date_parsing": N_("not a valid date"),
    "enum": N_("choose one of the options"),
    "string_too_long": N_("too long"),
}


def _indonesian(error_type: str) -> str:
    return gettext(_FORM_ERRORS.get(error_type, N_("not a valid value")), "id")


@router.post("/enrol/check-nik")
def check_nik_json(
    data: NikLookupIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.QUOTE)),
) -> JSONResponse:
    """For the form: is the NIK valid, and (for staff and agents) is the person already registered?

    The NIK is posted, never put in the address. Workers, employers and sponsors learn only whether the NIK is
    well formed: whether someone else is registered is not theirs to know (the enrolment itself refuses a duplicate).
    """
    result = check_nik(data.nik, district_exists=lambda code: regions.exists(session, code))
    body: dict[str, Any] = {
        "valid": result.valid,
        "errors": result.errors,
        "warnings": result.warnings,
        "sex": result.sex.value if result.sex else None,
        "birth_date": result.birth_date.isoformat() if result.birth_date else None,
        "exists": False,
        "register_checked": not access.owns(principal),
    }
    if not result.valid or access.owns(principal):
        return JSONResponse(body)
    person_id = repo.nik_taken(session, clean_nik(data.nik))
    if person_id is not None:
        person = access.visible_person(session, principal, person_id)
        body["exists"] = True
        if person is None:
            body["elsewhere"] = True
        else:
            audit.record(session, principal, "read", "person", person.id, region_code=person.village_code)
            memberships = repo.memberships_of(session, person.id)
            body.update(
                full_name=person.full_name,
                village_code=person.village_code,
                memberships=[{"segment": m.segment, "status": m.status, "programs": m.programs} for m in memberships],
            )
    return JSONResponse(body)


def _membership_for(session: Session, membership_id: int, principal: Principal) -> tuple[Any, Any]:
    """The membership and its person, if the caller may see the person (404 otherwise); the read is audited."""
    membership, person = access.membership_or_404(session, principal, membership_id)
    audit.record(session, principal, "read", "membership", membership.id, region_code=person.village_code)
    return membership, person


def verify_url(request: Request, membership_id: int) -> str:
    """The card check address a card's and a receipt's QR code opens (``/cards/verify/{signed token}``)."""
    return f"{str(request.base_url).rstrip('/')}/cards/verify/{card_token(membership_id)}"


@router.get("/enrol/receipt/{membership_id}", response_class=HTMLResponse)
def receipt(
    membership_id: int,
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
) -> HTMLResponse:
    """The receipt: who was registered, the protection sentence, who pays and how, and the card's QR code."""
    membership, person = _membership_for(session, membership_id, principal)
    # a door-to-door (BPU) receipt shows the monthly contribution; a wage earner's is billed through the employer
    quote = (
        quote_bpu(membership.declared_income, membership.programs.split(","), Month.of(membership.start_date))
        if membership.segment == "bpu" and membership.declared_income
        else None
    )
    village = regions.get(session, person.village_code)
    url = verify_url(request, membership.id)
    return render(
        request,
        "receipt.html",
        {
            "m": membership,
            "p": person,
            "nik": mask_nik(person.nik),
            "quote": quote,
            "village": village.name if village else "",
            "mp": member_protection(session, membership, dt.date.today(), language(request)),
            "verify_url": url,
            "qr": qr_svg_data_uri(url),
        },
    )


@router.get("/memberships/{membership_id}/card.pdf")
def card(
    membership_id: int,
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
) -> Response:
    """The membership card as a PDF: name, masked NIK, programmes, the protection sentence, who pays and how, and
    a QR code of the card check address."""
    membership, person = _membership_for(session, membership_id, principal)
    village = regions.get(session, person.village_code)
    protection = member_protection(session, membership, dt.date.today(), DEFAULT_LANGUAGE)
    pdf = card_pdf(
        person,
        membership,
        village.name if village else person.village_code,
        verify_url(request, membership.id),
        protection,
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="kartu-{membership.id}.pdf"'},
    )
