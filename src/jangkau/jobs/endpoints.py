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

from jangkau.api_errors import error_responses
from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.jobs import service
from jangkau.jobs.applications import service as applications
from jangkau.jobs.errors import (
    AccountNotLinked,
    ActOnlyForOwnBusiness,
    ActOnlyForSelf,
    Ak1NeedsProfile,
    AlreadyApplied,
    AlreadySignedUp,
    ApplicationNotFound,
    ApplicationTransitionRefused,
    ClosingDateInPast,
    ComplaintNeedsEmployer,
    DistrictsInvalid,
    EmployerNeeded,
    EmployerNotFound,
    EmployerNotLinked,
    HireNotFound,
    HireRegistered,
    NikNeeded,
    NotLooking,
    OutsideTerritory,
    PersonNotRegistered,
    ProfileFirst,
    RequestNotFound,
    RequestTransitionRefused,
    SeekerNeeded,
    SeekerNotFound,
    TrackingCodeNotFound,
    TrainingDatesInvalid,
    TrainingFull,
    TrainingNotFound,
    TrainingStarted,
    VacancyClosed,
    VacancyNotFound,
    VisibleBeforePublication,
)
from jangkau.jobs.labour import service as labour
from jangkau.jobs.schemas import (
    AnnouncementIn,
    AnnouncementRead,
    ApplicationIn,
    AppliedRead,
    BoardRead,
    HireCheckRead,
    HireRead,
    HireRegisteredRead,
    HistoryEntryRead,
    MovedRead,
    QueuedRequestRead,
    RequestIn,
    RequestRead,
    RequestStatusIn,
    SeekerIn,
    SeekerMatchesRead,
    SeekerMeRead,
    SeekerRead,
    SignupRead,
    StatusIn,
    TrainingIn,
    TrainingRead,
    VacancyDetailRead,
    VacancyIn,
    VacancyMatchesRead,
    VacancyRead,
)
from jangkau.jobs.training import service as training
from jangkau.jobs.vacancies.service import check_hires
from jangkau.kit.pagination import Page, PageRequest
from jangkau.web.idempotency import request_fingerprint, run_idempotent
from jangkau.web.kit import get_session

router = APIRouter(prefix="/jobs", tags=["jobs"])
SESSION = Depends(get_session)
WHO = Depends(current_principal)
# who acts for whom (``access.person_for``, ``access.employer_for``)
FOR_PERSON = (AccountNotLinked, ActOnlyForSelf, NikNeeded, PersonNotRegistered, 403)
FOR_EMPLOYER = (EmployerNotLinked, ActOnlyForOwnBusiness, EmployerNeeded, EmployerNotFound, 403)


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


@router.get("/board", response_model=BoardRead)
def board(session: Session = SESSION) -> dict[str, Any]:
    """Training programmes and announcements: public, no sign-in."""
    return training.public_board(session)


@router.post(
    "/seekers", status_code=201, response_model=SeekerRead, responses=error_responses(*FOR_PERSON, DistrictsInvalid)
)
def save_seeker(data: SeekerIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """Create or update the profile of the person with ``nik`` (a worker: their own)."""
    return service.save_seeker(session, data, principal)


@router.get("/seekers", response_model=Page[SeekerRead], responses=error_responses(403))
def list_seekers(
    page: int = Query(1, ge=1),
    size: int = Query(50, ge=1, le=500),
    skill: str | None = Query(None, max_length=40),
    district: str | None = Query(None, max_length=20),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> dict[str, Any]:
    return service.list_seekers(session, principal, PageRequest(page, size), skill, district)


@router.get("/seekers/me", responses=error_responses(403))
def me(principal: Principal = WHO, session: Session = SESSION) -> SeekerMeRead:
    """The signed-in worker's profile, applications, training and requests."""
    principal.require(Permission.JOBS_SEEK)
    mine = service.my_seeker(session, principal)
    return SeekerMeRead.model_validate(
        {
            "profile": None if mine is None else SeekerRead.for_caller(*mine, principal),
            "applications": applications.my_applications(session, principal),
            "training": training.my_trainings(session, principal.person_id),
            "requests": labour.my_requests(session, principal),
        }
    )


@router.get("/seekers/{seeker_id}", responses=error_responses(SeekerNotFound))
def seeker(seeker_id: int, principal: Principal = WHO, session: Session = SESSION) -> SeekerRead:
    return SeekerRead.for_caller(*service.seeker_or_404(session, seeker_id, principal), principal)


@router.get(
    "/seekers/{seeker_id}/matches", response_model=VacancyMatchesRead, responses=error_responses(SeekerNotFound)
)
def seeker_matches(
    seeker_id: int, limit: int = Query(20, ge=1, le=100), principal: Principal = WHO, session: Session = SESSION
) -> dict[str, Any]:
    """Open vacancies ranked for the seeker, with the parts of each score and each employer's standing."""
    return service.vacancies_for_seeker(session, seeker_id, principal, limit)


@router.post(
    "/vacancies",
    status_code=201,
    response_model=VacancyRead,
    responses=error_responses(*FOR_EMPLOYER, DistrictsInvalid, ClosingDateInPast, 422),
)
def post_vacancy(data: VacancyIn, request: Request, principal: Principal = WHO, session: Session = SESSION) -> Any:
    """Post a vacancy; an offer under the UMK/UMP is 422 with the rule."""
    body = data.model_dump(mode="json")
    return _idempotent(request, session, principal, body, lambda: service.post_vacancy(session, data, principal))


@router.get("/vacancies", response_model=Page[VacancyRead], responses=error_responses(403))
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


@router.get(
    "/vacancies/{vacancy_id}", response_model=VacancyDetailRead, responses=error_responses(VacancyNotFound, 403)
)
def vacancy(vacancy_id: int, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    return service.vacancy_detail(session, vacancy_id, principal)


@router.get(
    "/vacancies/{vacancy_id}/matches", response_model=SeekerMatchesRead, responses=error_responses(VacancyNotFound)
)
def vacancy_matches(
    vacancy_id: int, limit: int = Query(20, ge=1, le=100), principal: Principal = WHO, session: Session = SESSION
) -> dict[str, Any]:
    """Seekers ranked for the vacancy (its employer or the office), with the parts of each score."""
    return service.seekers_for_vacancy(session, vacancy_id, principal, limit)


@router.post("/vacancies/{vacancy_id}/close", response_model=VacancyRead, responses=error_responses(VacancyNotFound))
def close_vacancy(vacancy_id: int, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    return service.close_vacancy(session, vacancy_id, principal)


@router.post(
    "/applications",
    status_code=201,
    response_model=AppliedRead,
    responses=error_responses(
        ProfileFirst, SeekerNeeded, SeekerNotFound, VacancyNotFound, VacancyClosed, NotLooking, AlreadyApplied, 403
    ),
)
def apply(data: ApplicationIn, request: Request, principal: Principal = WHO, session: Session = SESSION) -> Any:
    """Apply to an open vacancy; a closed one is 422, a second application 409."""
    body = data.model_dump(mode="json")
    return _idempotent(request, session, principal, body, lambda: applications.apply(session, data, principal))


@router.post(
    "/applications/{application_id}/status",
    response_model=MovedRead,
    responses=error_responses(ApplicationNotFound, ApplicationTransitionRefused),
)
def move(application_id: int, data: StatusIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """Move an application on; an impossible step is 422 with the possible next ones; a hire opens a task."""
    return applications.move(session, application_id, data, principal)


@router.get(
    "/applications/{application_id}/history", response_model=list[HistoryEntryRead], responses=error_responses(403)
)
def history(application_id: int, principal: Principal = WHO, session: Session = SESSION) -> list[dict[str, Any]]:
    principal.require(Permission.JOBS_MANAGE)
    return applications.history(session, application_id)


@router.get("/hires", response_model=list[HireRead], responses=error_responses(403))
def hires(
    status: str | None = Query(None, pattern="^(waiting|registered|finding)$"),
    principal: Principal = WHO,
    session: Session = SESSION,
) -> list[dict[str, Any]]:
    """Hires to register (an employer's own; the office's territory)."""
    return applications.hire_tasks(session, principal, status)


@router.post(
    "/hires/{hire_id}/register",
    response_model=HireRegisteredRead,
    responses=error_responses(HireNotFound, HireRegistered, 422),
)
def register_hire(hire_id: int, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """Register the hired worker as a PU member with the wage offered (the registry's ``open_membership``)."""
    return applications.register_hire(session, hire_id, principal)


@router.post("/hires/check", responses=error_responses(403))
def run_hire_check(principal: Principal = WHO, session: Session = SESSION) -> HireCheckRead:
    """Run the daily hire check now (the office), in the request's one transaction."""
    principal.require(Permission.JOBS_MANAGE)
    return HireCheckRead.model_validate(check_hires(lambda: nullcontext(session), principal=principal))


@router.post(
    "/training",
    status_code=201,
    response_model=TrainingRead,
    responses=error_responses(OutsideTerritory, TrainingDatesInvalid, 403),
)
def add_training(data: TrainingIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    return training.add_training(session, data, principal)


@router.post(
    "/training/{training_id}/signups",
    status_code=201,
    response_model=SignupRead,
    responses=error_responses(*FOR_PERSON, TrainingNotFound, TrainingStarted, TrainingFull, AlreadySignedUp),
)
def sign_up(training_id: int, data: SignupIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    """Take a seat; a full programme is 422, a second sign-up 409."""
    return training.sign_up(session, training_id, principal, data.nik)


@router.post(
    "/announcements",
    status_code=201,
    response_model=AnnouncementRead,
    responses=error_responses(OutsideTerritory, VisibleBeforePublication, 403),
)
def announce(data: AnnouncementIn, principal: Principal = WHO, session: Session = SESSION) -> dict[str, Any]:
    return training.add_announcement(session, data, principal)


@router.post(
    "/requests",
    status_code=201,
    response_model=RequestRead,
    responses=error_responses(*FOR_PERSON, Ak1NeedsProfile, ComplaintNeedsEmployer),
)
def file_request(data: RequestIn, request: Request, principal: Principal = WHO, session: Session = SESSION) -> Any:
    """File a labour-service request; the answer holds its tracking code."""
    body = data.model_dump(mode="json")
    return _idempotent(request, session, principal, body, lambda: labour.file_request(session, data, principal))


@router.get("/requests", response_model=list[QueuedRequestRead], responses=error_responses(403))
def request_queue(
    open_only: bool = True, principal: Principal = WHO, session: Session = SESSION
) -> list[dict[str, Any]]:
    """Requests of people in the office's territory."""
    return labour.office_queue(session, principal, open_only)


@router.get("/requests/track/{code}", response_model=RequestRead, responses=error_responses(TrackingCodeNotFound))
def track(code: str, session: Session = SESSION) -> dict[str, Any]:
    """A request's status by its tracking code: public, no personal data."""
    return labour.track(session, code)


@router.post(
    "/requests/{request_id}/status",
    response_model=RequestRead,
    responses=error_responses(RequestNotFound, RequestTransitionRefused, 403),
)
def update_request(
    request_id: int, data: RequestStatusIn, principal: Principal = WHO, session: Session = SESSION
) -> dict[str, Any]:
    return labour.update_request(session, request_id, data, principal)
