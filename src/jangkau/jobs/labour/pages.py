"""Jobs pages for the people who help (Bahasa Indonesia first, phone-sized).

- a field agent or the manpower office (``jobs.assist``): find a person by NIK in their territory, keep that person's
  job-seeker profile, file a labour-service request for them (``/jobs/assist``);
- the manpower office (``jobs.manage``): training programmes and announcements, sign-ups per programme, the request
  queue with status changes the person reads on the tracking page, the overdue-hires list (``/jobs/office``).

Every form: CSRF, the services' messages, a savepoint so a refusal leaves nothing saved, a one-time form token so a
double submit creates one row (``formkit.submit_form``), and the caller's territory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import JangkauError
from jangkau.jobs import access
from jangkau.jobs import errors as refusals
from jangkau.jobs import repository as repo
from jangkau.jobs.applications import service as applications
from jangkau.jobs.forms import split_list as _list
from jangkau.jobs.forms import whole_number as _int
from jangkau.jobs.labour import service as labour
from jangkau.jobs.models import AVAILABILITY, EDUCATION_LEVELS, REQUEST_KINDS, REQUEST_STATUSES
from jangkau.jobs.schemas import (
    AnnouncementIn,
    RequestIn,
    RequestRead,
    RequestStatusIn,
    SeekerIn,
    SeekerRead,
    TrainingIn,
)
from jangkau.jobs.service import save_seeker
from jangkau.jobs.training import service as training
from jangkau.kit.masking import mask_nik
from jangkau.registry import repository as registry
from jangkau.web import forms as formkit
from jangkau.web.forms import new_token
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(include_in_schema=False)  # mounted under /jobs by jobs.pages
SESSION = Depends(get_session)
WHO = Depends(current_principal)


def _assist_context(session: Session, principal: Principal, person_id: int | None = None) -> dict[str, Any]:
    """The search form, and the person (in the caller's territory) with their profile and requests.

    The NIK never goes into a URL (addresses end up in logs): it is posted to ``/jobs/assist/find``, which sends the
    browser to the person's page by id. Showing a person's full record to staff is audited.

    Raises:
        Forbidden: a role that may not help job seekers.
        NotFound: no such person in the caller's territory.
    """
    access.require_any(principal, Permission.JOBS_ASSIST, Permission.JOBS_MANAGE)
    context: dict[str, Any] = {
        "nik": "",
        "person": None,
        "profile": None,
        "requests": [],
        "values": {},
        "education_levels": EDUCATION_LEVELS,
        "availability": AVAILABILITY,
        "kinds": REQUEST_KINDS,
        "form_token": new_token(),
    }
    if person_id is None:
        return context
    person = registry.person_by_id(session, person_id, principal.scope)
    if person is None:
        raise refusals.PersonNotFound(person_id)
    full = principal.can(Permission.REGISTRY_READ_FULL)  # region and OPD officers see the NIK masked
    action = "read_full" if full else "read"
    audit.record(session, principal, action, "person", person.id, region_code=person.village_code)
    seeker = repo.seeker_of_person(session, person.id)
    context["person"] = {
        "id": person.id,
        "full_name": person.full_name,
        "nik": person.nik if full else mask_nik(person.nik),
        "village": person.village_code,
    }
    context["profile"] = None if seeker is None else SeekerRead.for_caller(seeker, person, principal).model_dump()
    context["requests"] = [
        RequestRead.of(r).model_dump()
        for r in repo.requests(session, principal.scope, open_only=False, person_id=person.id)
    ]
    return context


@router.get("/assist", response_class=HTMLResponse)
def assist(request: Request, principal: Principal = WHO, session: Session = SESSION) -> HTMLResponse:
    """Find a person by NIK, then keep their profile and file requests for them."""
    return render(request, "jobs/assist.html", _assist_context(session, principal))


@router.post("/assist/find", response_model=None)
def assist_find(
    request: Request,
    csrf_token: str = Form(""),
    nik: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    """The person with this NIK in the caller's territory (an invalid NIK or one outside it: the message)."""
    check_csrf(request, csrf_token)
    context = _assist_context(session, principal)
    try:
        person = access.person_for(session, nik.strip(), principal)
    except JangkauError as exc:
        context |= {"nik": nik, "lookup_error": formkit.refusal_message(exc)}
        return render(request, "jobs/assist.html", context, status_code=422)
    return RedirectResponse(f"/jobs/assist/person/{person.id}", status_code=303)


@router.get("/assist/person/{person_id}", response_class=HTMLResponse)
def assist_person(
    request: Request, person_id: int, principal: Principal = WHO, session: Session = SESSION
) -> HTMLResponse:
    """A person of the territory: their job-seeker profile (form) and their labour-service requests."""
    return render(request, "jobs/assist.html", _assist_context(session, principal, person_id))


def _person_nik(session: Session, principal: Principal, person_id: str) -> tuple[int, str]:
    """The id and NIK of the person a form is about (inside the caller's territory, else 404)."""
    access.require_any(principal, Permission.JOBS_ASSIST, Permission.JOBS_MANAGE)
    person = registry.person_by_id(session, int(person_id), principal.scope) if person_id.isdigit() else None
    if person is None:
        raise refusals.PersonNotFound(person_id)
    return person.id, person.nik


@router.post("/assist/profile", response_model=None)
def assist_profile(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    person_id: str = Form(""),
    skills: str = Form(""),
    education: str = Form("sma"),
    experience_years: str = Form("0"),
    experience: str = Form(""),
    preferred_districts: str = Form(""),
    expected_wage: str = Form(""),
    availability: str = Form("now"),
    available_from: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    """Save the profile of the person with ``nik`` (create or update: one profile per person)."""
    check_csrf(request, csrf_token)
    pid, nik = _person_nik(session, principal, person_id)
    values = {
        "skills": skills,
        "education": education,
        "experience_years": experience_years,
        "experience": experience,
        "preferred_districts": preferred_districts,
        "expected_wage": expected_wage,
        "availability": availability,
        "available_from": available_from,
    }

    def produce() -> str:
        data = SeekerIn.model_validate(
            {
                "nik": nik,
                "skills": _list(skills),
                "education": education,
                "experience_years": _int(experience_years, "experience_years", 0),
                "experience": experience.strip() or None,
                "preferred_districts": _list(preferred_districts),
                "expected_wage": formkit.rupiah_field(expected_wage, "expected_wage"),
                "availability": availability,
                "available_from": available_from or None,
            }
        )
        save_seeker(session, data, principal)
        return f"/jobs/assist/person/{pid}?saved=1"

    def refused(exc: Exception) -> Response:
        context = {**_assist_context(session, principal, pid), "values": values, "error": formkit.refusal_message(exc)}
        return render(request, "jobs/assist.html", context, status_code=getattr(exc, "http_status", 422))

    return formkit.submit_form(session, principal, form_token, "/jobs/assist/profile", produce, refused)


@router.post("/assist/request", response_model=None)
def assist_request(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    person_id: str = Form(""),
    kind: str = Form(""),
    details: str = Form(""),
    employer_id: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    """File a labour-service request for the person with ``nik``; the page then shows its tracking code."""
    check_csrf(request, csrf_token)
    pid, nik = _person_nik(session, principal, person_id)

    def produce() -> str:
        data = RequestIn.model_validate(
            {
                "kind": kind,
                "details": details,
                "nik": nik,
                "employer_id": int(employer_id) if employer_id.strip().isdigit() else None,
            }
        )
        filed = labour.file_request(session, data, principal)
        return f"/jobs/assist/person/{pid}?filed={filed['tracking_code']}"

    def refused(exc: Exception) -> Response:
        context = {
            **_assist_context(session, principal, pid),
            "request_values": {"kind": kind, "details": details, "employer_id": employer_id},
            "request_error": formkit.refusal_message(exc),
        }
        return render(request, "jobs/assist.html", context, status_code=getattr(exc, "http_status", 422))

    return formkit.submit_form(session, principal, form_token, "/jobs/assist/request", produce, refused)


# --- the manpower office -------------------------------------------------------------------------------------


def _office_context(session: Session, principal: Principal) -> dict[str, Any]:
    principal.require(Permission.JOBS_MANAGE)
    return {
        "trainings": training.office_trainings(session, principal),
        "training_values": {},
        "announcement_values": {},
        "form_token": new_token(),
        "today": dt.date.today(),
        "open_requests": len(labour.office_queue(session, principal)),
        "overdue": len(applications.overdue_hires(session, principal)),
    }


@router.get("/office", response_class=HTMLResponse)
def office(request: Request, principal: Principal = WHO, session: Session = SESSION) -> HTMLResponse:
    """The manpower office's jobs desk: training with sign-ups, new training and announcements, links to queues."""
    return render(request, "jobs/office.html", _office_context(session, principal))


@router.post("/office/training", response_model=None)
def office_add_training(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    title: str = Form(""),
    provider: str = Form(""),
    region_code: str = Form(""),
    starts_on: str = Form(""),
    ends_on: str = Form(""),
    seats: str = Form(""),
    skills: str = Form(""),
    description: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    """Add a training programme in the office's territory."""
    check_csrf(request, csrf_token)
    principal.require(Permission.JOBS_MANAGE)
    values = {
        "title": title,
        "provider": provider,
        "region_code": region_code,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "seats": seats,
        "skills": skills,
        "description": description,
    }

    def produce() -> str:
        data = TrainingIn.model_validate(
            {
                **values,
                "seats": _int(seats, "seats", 0),
                "skills": _list(skills),
                "description": description.strip() or None,
                "starts_on": starts_on or None,
                "ends_on": ends_on or None,
            }
        )
        added = training.add_training(session, data, principal)
        return f"/jobs/office/training/{added['id']}?added=1"

    def refused(exc: Exception) -> Response:
        context = {
            **_office_context(session, principal),
            "training_values": values,
            "training_error": formkit.refusal_message(exc),
            "training_field_errors": formkit.field_errors(exc),
        }
        return render(request, "jobs/office.html", context, status_code=getattr(exc, "http_status", 422))

    return formkit.submit_form(session, principal, form_token, "/jobs/office/training", produce, refused)


@router.post("/office/announcements", response_model=None)
def office_announce(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    title: str = Form(""),
    body: str = Form(""),
    region_code: str = Form(""),
    published_on: str = Form(""),
    visible_until: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    """Publish an announcement on the public board."""
    check_csrf(request, csrf_token)
    principal.require(Permission.JOBS_MANAGE)
    values = {
        "title": title,
        "body": body,
        "region_code": region_code,
        "published_on": published_on,
        "visible_until": visible_until,
    }

    def produce() -> str:
        data = AnnouncementIn.model_validate(
            {**values, "published_on": published_on or None, "visible_until": visible_until or None}
        )
        training.add_announcement(session, data, principal)
        return "/jobs/office?announced=1"

    def refused(exc: Exception) -> Response:
        context = {
            **_office_context(session, principal),
            "announcement_values": values,
            "announcement_error": formkit.refusal_message(exc),
            "announcement_field_errors": formkit.field_errors(exc),
        }
        return render(request, "jobs/office.html", context, status_code=getattr(exc, "http_status", 422))

    return formkit.submit_form(session, principal, form_token, "/jobs/office/announcements", produce, refused)


@router.get("/office/training/{training_id}", response_class=HTMLResponse)
def office_training(
    request: Request, training_id: int, principal: Principal = WHO, session: Session = SESSION
) -> HTMLResponse:
    """Who signed up for a programme of the office's territory."""
    return render(request, "jobs/office_training.html", training.training_signups(session, training_id, principal))


@router.get("/office/requests", response_class=HTMLResponse)
def office_requests(
    request: Request,
    status: str = Query("", max_length=12),
    kind: str = Query("", max_length=20),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> HTMLResponse:
    """The request queue: open requests, or those with a status, optionally of one kind."""
    status = status if status in REQUEST_STATUSES else ""
    kind = kind if kind in REQUEST_KINDS else ""
    rows = labour.office_queue(session, principal, status=status or None, kind=kind or None)
    context = {"rows": rows, "status": status, "kind": kind, "statuses": REQUEST_STATUSES, "kinds": REQUEST_KINDS}
    return render(request, "jobs/office_requests.html", context)


def _request_context(session: Session, request_id: int, principal: Principal) -> dict[str, Any]:
    return {"r": labour.office_request(session, request_id, principal), "form_token": new_token(), "values": {}}


@router.get("/office/requests/{request_id}", response_class=HTMLResponse)
def office_request(
    request: Request, request_id: int, principal: Principal = WHO, session: Session = SESSION
) -> HTMLResponse:
    """One request with its history and the form that moves it on."""
    return render(request, "jobs/office_request.html", _request_context(session, request_id, principal))


@router.post("/office/requests/{request_id}/status", response_model=None)
def office_move_request(
    request: Request,
    request_id: int,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    status: str = Form(""),
    note: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    """Move a request on with a note the person reads on the tracking page."""
    check_csrf(request, csrf_token)
    principal.require(Permission.JOBS_MANAGE)

    def produce() -> str:
        data = RequestStatusIn.model_validate({"status": status, "note": note.strip() or None})
        labour.update_request(session, request_id, data, principal)
        return f"/jobs/office/requests/{request_id}?moved=1"

    def refused(exc: Exception) -> Response:
        context = {
            **_request_context(session, request_id, principal),
            "values": {"status": status, "note": note},
            "error": formkit.refusal_message(exc),
        }
        return render(request, "jobs/office_request.html", context, status_code=getattr(exc, "http_status", 422))

    path = f"/jobs/office/requests/{request_id}/status"
    return formkit.submit_form(session, principal, form_token, path, produce, refused)


@router.get("/office/hires-overdue", response_class=HTMLResponse)
def office_overdue(request: Request, principal: Principal = WHO, session: Session = SESSION) -> HTMLResponse:
    """Hires of workers in the territory not registered by their deadline (30 days from the start)."""
    return render(request, "jobs/office_overdue.html", {"hires": applications.overdue_hires(session, principal)})
