"""Jobs pages (Bahasa Indonesia first, phone-sized): the public board, vacancies, a worker's profile and matches,
posting a vacancy, an employer's hires to register, labour-service requests and their tracking.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from jangkau.auth.deps import current_principal, optional_principal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import JangkauError
from jangkau.jobs import service
from jangkau.jobs.applications import service as applications
from jangkau.jobs.forms import split_list as _list
from jangkau.jobs.forms import whole_number
from jangkau.jobs.labour import service as labour
from jangkau.jobs.models import CONTRACT_TYPES, EDUCATION_LEVELS, REQUEST_KINDS
from jangkau.jobs.schemas import ApplicationIn, RequestIn, SeekerIn, SeekerRead, StatusIn, VacancyIn
from jangkau.jobs.training import service as training
from jangkau.kit.pagination import PageRequest
from jangkau.web import forms as formkit
from jangkau.web.forms import new_token
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/jobs", include_in_schema=False)
SESSION = Depends(get_session)
WHO = Depends(current_principal)


@router.get("", response_class=HTMLResponse)
def board(
    request: Request, session: Session = SESSION, principal: Principal | None = Depends(optional_principal)
) -> HTMLResponse:
    """Public: training programmes, announcements, request tracking; signed-in users also get their links."""
    return render(request, "jobs/board.html", {"board": training.public_board(session), "who": principal})


@router.get("/track", response_class=HTMLResponse)
def track(request: Request, code: str = Query("", max_length=20), session: Session = SESSION) -> HTMLResponse:
    found, error = None, None
    if code:
        try:
            found = labour.track(session, code)
        except JangkauError as exc:
            error = formkit.refusal_message(exc)
    return render(request, "jobs/track.html", {"found": found, "error": error, "code": code})


@router.post("/training/{training_id}/signup", response_model=None)
def sign_up(
    request: Request,
    training_id: int,
    csrf_token: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        training.sign_up(session, training_id, principal)
    except JangkauError as exc:
        context = {"board": training.public_board(session), "who": principal, "error": formkit.refusal_message(exc)}
        return render(request, "jobs/board.html", context, status_code=exc.http_status)
    return RedirectResponse("/jobs?signed_up=1", status_code=303)


@router.get("/vacancies", response_class=HTMLResponse)
def vacancies(
    request: Request,
    q: str = Query("", max_length=100),
    region: str = Query("", max_length=20),
    mine: bool = False,
    page: int = Query(1, ge=1, le=10_000),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> HTMLResponse:
    data = service.search_vacancies(session, principal, PageRequest(page, 20), q or None, region or None, None, mine)
    return render(request, "jobs/vacancies.html", {"data": data, "q": q, "region": region, "page": page, "mine": mine})


def _vacancy_context(session: Session, vacancy_id: int, principal: Principal) -> dict[str, Any]:
    detail = service.vacancy_detail(session, vacancy_id, principal)
    matches = service.seekers_for_vacancy(session, vacancy_id, principal)["items"] if detail["may_manage"] else []
    return {"v": detail, "matches": matches, "statuses": applications.TRANSITIONS}


@router.get("/vacancies/new", response_class=HTMLResponse)
def new_vacancy(request: Request, principal: Principal = WHO) -> HTMLResponse:
    if not (principal.can(Permission.JOBS_POST) or principal.can(Permission.JOBS_MANAGE)):
        principal.require(Permission.JOBS_POST)
    context = {"values": {}, "contracts": CONTRACT_TYPES, "form_token": new_token()}
    return render(request, "jobs/vacancy_form.html", context)


@router.post("/vacancies/new", response_model=None)
def post_vacancy(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    employer_id: str = Form(""),
    title: str = Form(""),
    sector: str = Form(""),
    skills: str = Form(""),
    wage_offered: str = Form(""),
    wage_period: str = Form("month"),
    district_code: str = Form(""),
    contract_type: str = Form("pkwt"),
    openings: str = Form("1"),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    """Post from the form; a refusal (e.g. under the UMK) shows the form again, with the reason and the values."""
    check_csrf(request, csrf_token)
    values = {
        "employer_id": employer_id,
        "title": title,
        "sector": sector,
        "skills": skills,
        "wage_offered": wage_offered,
        "wage_period": wage_period,
        "district_code": district_code,
        "contract_type": contract_type,
        "openings": openings,
    }

    def produce() -> str:
        data = VacancyIn.model_validate(
            {
                **values,
                "employer_id": int(employer_id) if employer_id.strip().isdigit() else None,
                "skills": _list(skills),
                "wage_offered": whole_number(wage_offered, "wage_offered", 0),
                "openings": whole_number(openings, "openings", 1),
            }
        )
        posted = service.post_vacancy(session, data, principal)
        return f"/jobs/vacancies/{posted['id']}"

    def refused(exc: Exception) -> Response:
        error = formkit.refusal_message(exc)
        context = {
            "values": values,
            "contracts": CONTRACT_TYPES,
            "error": error,
            "field_errors": formkit.field_errors(exc),
            "form_token": new_token(),
        }
        return render(request, "jobs/vacancy_form.html", context, status_code=422)

    return formkit.submit_form(session, principal, form_token, "/jobs/vacancies/new", produce, refused)


@router.get("/vacancies/{vacancy_id}", response_class=HTMLResponse)
def vacancy(request: Request, vacancy_id: int, principal: Principal = WHO, session: Session = SESSION) -> HTMLResponse:
    return render(request, "jobs/vacancy.html", _vacancy_context(session, vacancy_id, principal))


@router.post("/vacancies/{vacancy_id}/apply", response_model=None)
def apply(
    request: Request,
    vacancy_id: int,
    csrf_token: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        applications.apply(session, ApplicationIn(vacancy_id=vacancy_id), principal)
    except JangkauError as exc:
        context = {**_vacancy_context(session, vacancy_id, principal), "error": formkit.refusal_message(exc)}
        return render(request, "jobs/vacancy.html", context, status_code=exc.http_status)
    return RedirectResponse("/jobs/profile?applied=1", status_code=303)


@router.post("/applications/{application_id}/status", response_model=None)
def move(
    request: Request,
    application_id: int,
    vacancy_id: int = Form(...),
    status: str = Form(...),
    csrf_token: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        applications.move(session, application_id, StatusIn.model_validate({"status": status}), principal)
    except (JangkauError, ValidationError) as exc:
        context = {**_vacancy_context(session, vacancy_id, principal), "error": formkit.refusal_message(exc)}
        return render(request, "jobs/vacancy.html", context, status_code=422)
    return RedirectResponse(f"/jobs/vacancies/{vacancy_id}", status_code=303)


def _profile_context(session: Session, principal: Principal) -> dict[str, Any]:
    mine = service.my_seeker(session, principal)
    profile = None if mine is None else service.seeker_or_404(session, mine[0].id, principal)
    return {
        "profile": None if profile is None else SeekerRead.for_caller(*profile, principal).model_dump(),
        "matches": [] if mine is None else service.vacancies_for_seeker(session, mine[0].id, principal)["items"],
        "applications": applications.my_applications(session, principal),
        "trainings": training.my_trainings(session, principal.person_id),
        "requests": labour.my_requests(session, principal),
        "education_levels": EDUCATION_LEVELS,
    }


@router.get("/profile", response_class=HTMLResponse)
def profile(request: Request, principal: Principal = WHO, session: Session = SESSION) -> HTMLResponse:
    principal.require(Permission.JOBS_SEEK)
    return render(request, "jobs/profile.html", _profile_context(session, principal))


@router.post("/profile", response_model=None)
def save_profile(
    request: Request,
    csrf_token: str = Form(""),
    skills: str = Form(""),
    education: str = Form("sma"),
    experience_years: str = Form("0"),
    preferred_districts: str = Form(""),
    expected_wage: str = Form(""),
    availability: str = Form("now"),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    check_csrf(request, csrf_token)
    typed = {
        "skills": skills,
        "education": education,
        "experience_years": experience_years,
        "preferred_districts": preferred_districts,
        "expected_wage": expected_wage,
        "availability": availability,
    }
    try:
        data = SeekerIn.model_validate(
            {
                "skills": _list(skills),
                "education": education,
                "experience_years": whole_number(experience_years, "experience_years", 0),
                "preferred_districts": _list(preferred_districts),
                "expected_wage": whole_number(expected_wage, "expected_wage"),
                "availability": availability,
            }
        )
        service.save_seeker(session, data, principal)
    except (JangkauError, ValidationError, ValueError) as exc:
        typed = {
            "skills": skills,
            "education": education,
            "experience_years": experience_years,
            "preferred_districts": preferred_districts,
            "expected_wage": expected_wage,
            "availability": availability,
        }
        context = {
            **_profile_context(session, principal),
            "error": formkit.refusal_message(exc),
            "typed": typed,
            "field_errors": formkit.field_errors(exc),
        }
        return render(request, "jobs/profile.html", context, status_code=422)
    return RedirectResponse("/jobs/profile?saved=1", status_code=303)


@router.get("/hires", response_class=HTMLResponse)
def hires(request: Request, principal: Principal = WHO, session: Session = SESSION) -> HTMLResponse:
    return render(request, "jobs/hires.html", {"hires": applications.hire_tasks(session, principal)})


@router.post("/hires/{hire_id}/register", response_model=None)
def register_hire(
    request: Request, hire_id: int, csrf_token: str = Form(""), principal: Principal = WHO, session: Session = SESSION
) -> Response:
    check_csrf(request, csrf_token)
    try:
        applications.register_hire(session, hire_id, principal)
    except JangkauError as exc:
        context = {"hires": applications.hire_tasks(session, principal), "error": formkit.refusal_message(exc)}
        return render(request, "jobs/hires.html", context, status_code=exc.http_status)
    return RedirectResponse("/jobs/hires?registered=1", status_code=303)


@router.get("/requests/new", response_class=HTMLResponse, dependencies=[WHO])
def new_request(request: Request) -> HTMLResponse:
    return render(request, "jobs/request_form.html", {"kinds": REQUEST_KINDS, "values": {}, "form_token": new_token()})


@router.post("/requests/new", response_model=None)
def file_request(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    kind: str = Form(""),
    details: str = Form(""),
    nik: str = Form(""),
    employer_id: str = Form(""),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> Response:
    check_csrf(request, csrf_token)
    values = {"kind": kind, "details": details, "nik": nik, "employer_id": employer_id}

    def produce() -> str:
        data = RequestIn.model_validate(
            {**values, "nik": nik or None, "employer_id": int(employer_id) if employer_id.isdigit() else None}
        )
        filed = labour.file_request(session, data, principal)
        return f"/jobs/track?code={filed['tracking_code']}"

    def refused(exc: Exception) -> Response:
        error = formkit.refusal_message(exc)
        context = {
            "kinds": REQUEST_KINDS,
            "values": values,
            "error": error,
            "field_errors": formkit.field_errors(exc),
            "form_token": new_token(),
        }
        return render(request, "jobs/request_form.html", context, status_code=422)

    refusals = (JangkauError, ValidationError)
    return formkit.submit_form(session, principal, form_token, "/jobs/requests/new", produce, refused, refusals)


# the pages of the office and the field agents (``/jobs/assist``, ``/jobs/office/...``), mounted with these
from jangkau.jobs.labour import pages as office_pages  # noqa: E402  (needs ``router`` above)

router.include_router(office_pages.router)
