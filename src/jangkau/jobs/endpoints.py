"""JSON API of the jobs domain (mounted at ``/api/v1``): ``router``.

Public (no sign-in): ``GET /jobs/board`` (training and announcements) and ``GET /jobs/requests/track/{code}``.
Everything else needs one of ``jobs.seek`` (workers), ``jobs.assist`` (agents, the manpower office), ``jobs.post``
(employers), ``jobs.manage`` (the manpower office); the services check which. POSTs that create honour
``Idempotency-Key``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.idempotency import request_fingerprint, run_idempotent
from jangkau.jobs import applications, labour, service, training, views
from jangkau.jobs.jobs import check_hires
from jangkau.jobs.schemas import (
    AnnouncementIn,
    ApplicationIn,
    RequestIn,
    RequestStatusIn,
    SeekerIn,
    StatusIn,
    TrainingIn,
    VacancyIn,
)
from jangkau.kit.pagination import PageRequest
from jangkau.webkit import get_session

router = APIRouter(prefix="/jobs", tags=["jobs"])
SESSION = Depends(get_session)
WHO = Depends(current_principal)


class SignupIn(BaseModel):
    """Sign up the signed-in worker, or (a helper) the person with this NIK."""

    model_config = ConfigDict(extra="forbid")

    nik: str | None = Field(default=None, max_length=32)


def _idempotent(
    request: Request, session: Session, principal: Principal, body: Any, produce: Callable[[], dict[str, Any]]
) -> Any:
    fingerprint = request_fingerprint("POST", request.url.path, body)
    return run_idempotent(
        session,
        request.app.state.session_factory,
        principal,
        request.headers.get("idempotency-key"),
        fingerprint,
        lambda: (201, produce()),
    )


@router.get("/board")
def board(session: Session = SESSION) -> dict[str, Any]:
    """Training programmes and announcements: public, no sign-in."""
    return training.public_board(session)


@router.post("/seekers", status_code=201)
def save_seeker(data: SeekerIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """Create or update the profile of the person with ``nik`` (a worker: their own)."""
    return service.save_seeker(session, data, principal)


@router.get("/seekers")
def list_seekers(
    page: int = Query(1, ge=1),
    size: int = Query(50, ge=1, le=500),
    skill: str | None = Query(None, max_length=40),
    district: str | None = Query(None, max_length=20),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> dict[str, Any]:
    return service.list_seekers(session, principal, PageRequest(page, size), skill, district)


@router.get("/seekers/me")
def me(principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """The signed-in worker's profile, applications, training and requests."""
    principal.require(Permission.JOBS_SEEK)
    mine = service.my_seeker(session, principal)
    return {
        "profile": None if mine is None else views.seeker_view(*mine, principal),
        "applications": applications.my_applications(session, principal),
        "training": training.my_trainings(session, principal.person_id),
        "requests": labour.my_requests(session, principal),
    }


@router.get("/seekers/{seeker_id}")
def seeker(seeker_id: int, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    return views.seeker_view(*service.seeker_or_404(session, seeker_id, principal), principal)


@router.get("/seekers/{seeker_id}/matches")
def seeker_matches(
    seeker_id: int, limit: int = Query(20, ge=1, le=100), principal: Principal = WHO, session: Session = SESSION
) -> dict[str, Any]:
    """Open vacancies ranked for the seeker, with the parts of each score and each employer's standing."""
    return service.vacancies_for_seeker(session, seeker_id, principal, limit)


@router.post("/vacancies", status_code=201)
def post_vacancy(data: VacancyIn, request: Request, principal: Principal = WHO, session: Session = SESSION) -> Any:
    """Post a vacancy; an offer under the UMK/UMP is 422 with the rule."""
    body = data.model_dump(mode="json")
    return _idempotent(request, session, principal, body, lambda: service.post_vacancy(session, data, principal))


@router.get("/vacancies")
def vacancies(
    page: int = Query(1, ge=1),
    size: int = Query(20, ge=1, le=500),
    q: str | None = Query(None, max_length=100),
    region: str | None = Query(None, max_length=20),
    skill: str | None = Query(None, max_length=40),
    mine: bool = False,
    principal: Principal = WHO,
    session: Session = SESSION,
) -> dict[str, Any]:
    """Open vacancies by words, region prefix and skill, each with the employer's compliance standing."""
    return service.search_vacancies(session, principal, PageRequest(page, size), q, region, skill, mine)


@router.get("/vacancies/{vacancy_id}")
def vacancy(vacancy_id: int, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    return service.vacancy_detail(session, vacancy_id, principal)


@router.get("/vacancies/{vacancy_id}/matches")
def vacancy_matches(
    vacancy_id: int, limit: int = Query(20, ge=1, le=100), principal: Principal = WHO, session: Session = SESSION
) -> dict[str, Any]:
    """Seekers ranked for the vacancy (its employer or the office), with the parts of each score."""
    return service.seekers_for_vacancy(session, vacancy_id, principal, limit)


@router.post("/vacancies/{vacancy_id}/close")
def close_vacancy(vacancy_id: int, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    return service.close_vacancy(session, vacancy_id, principal)


@router.post("/applications", status_code=201)
def apply(data: ApplicationIn, request: Request, principal: Principal = WHO, session: Session = SESSION) -> Any:
    """Apply to an open vacancy; a closed one is 422, a second application 409."""
    body = data.model_dump(mode="json")
    return _idempotent(request, session, principal, body, lambda: applications.apply(session, data, principal))


@router.post("/applications/{application_id}/status")
def move(application_id: int, data: StatusIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """Move an application on; an impossible step is 422 with the possible next ones; a hire opens a task."""
    return applications.move(session, application_id, data, principal)


@router.get("/applications/{application_id}/history")
def history(application_id: int, principal: Principal = WHO, session: Session = SESSION) -> list[dict[str, Any]]:
    principal.require(Permission.JOBS_MANAGE)
    return applications.history(session, application_id)


@router.get("/hires")
def hires(
    status: str | None = Query(None, pattern="^(waiting|registered|finding)$"),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> list[dict[str, Any]]:
    """Hires to register (an employer's own; the office's territory)."""
    return applications.hire_tasks(session, principal, status)


@router.post("/hires/{hire_id}/register")
def register_hire(hire_id: int, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """Register the hired worker as a PU member with the wage offered (the registry's ``open_membership``)."""
    return applications.register_hire(session, hire_id, principal)


@router.post("/hires/check")
def run_hire_check(principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """Run the daily hire check now (the office), in the request's one transaction."""
    principal.require(Permission.JOBS_MANAGE)
    return check_hires(lambda: nullcontext(session), principal=principal).as_dict()


@router.post("/training", status_code=201)
def add_training(data: TrainingIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    return training.add_training(session, data, principal)


@router.post("/training/{training_id}/signups", status_code=201)
def sign_up(training_id: int, data: SignupIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """Take a seat; a full programme is 422, a second sign-up 409."""
    return training.sign_up(session, training_id, principal, data.nik)


@router.post("/announcements", status_code=201)
def announce(data: AnnouncementIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    return training.add_announcement(session, data, principal)


@router.post("/requests", status_code=201)
def file_request(data: RequestIn, request: Request, principal: Principal = WHO, session: Session = SESSION) -> Any:
    """File a labour-service request; the answer holds its tracking code."""
    body = data.model_dump(mode="json")
    return _idempotent(request, session, principal, body, lambda: labour.file_request(session, data, principal))


@router.get("/requests")
def request_queue(
    open_only: bool = True, principal: Principal = WHO, session: Session = SESSION
) -> list[dict[str, Any]]:
    """Requests of people in the office's territory."""
    return labour.office_queue(session, principal, open_only)


@router.get("/requests/track/{code}")
def track(code: str, session: Session = SESSION) -> dict[str, Any]:
    """A request's status by its tracking code: public, no personal data."""
    return labour.track(session, code)


@router.post("/requests/{request_id}/status")
def update_request(
    request_id: int, data: RequestStatusIn, principal: Principal = WHO, session: Session = SESSION
) -> dict[str, Any]:
    return labour.update_request(session, request_id, data, principal)
