"""Labour services a person files online (a job-seeker card, kartu AK/1; a complaint about an employer; job
counselling), followed by a tracking code anyone holding it can look up. Services never commit.

The tracking code is random (10 characters from an alphabet without look-alikes: about 10^15 codes), so it cannot be
guessed; the public look-up shows only the kind of request and its status, never the person.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.jobs import access
from jangkau.jobs import errors as refusals
from jangkau.jobs import repository as repo
from jangkau.jobs.models import ServiceRequest, ServiceRequestEvent
from jangkau.jobs.schemas import RequestIn, RequestRead, RequestStatusIn
from jangkau.kit.masking import mask_nik
from jangkau.registry import repository as registry

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
# Where a request may go next.
NEXT: dict[str, frozenset[str]] = {
    "submitted": frozenset({"in_process", "done", "rejected"}),
    "in_process": frozenset({"done", "rejected"}),
    "done": frozenset(),
    "rejected": frozenset(),
}


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def file_request(session: Session, data: RequestIn, principal: Principal) -> dict[str, Any]:
    """File a request for the signed-in worker, or for a person (by NIK) a helper assists.

    Raises:
        InvalidInput: an AK/1 card without a job-seeker profile; a complaint without a known employer; a bad NIK.
    """
    person = access.person_for(session, data.nik, principal)
    if data.kind == "kartu_ak1" and repo.seeker_of_person(session, person.id) is None:
        raise refusals.Ak1NeedsProfile()
    if data.kind == "employer_complaint" and (
        data.employer_id is None or repo.employer(session, data.employer_id) is None
    ):
        raise refusals.ComplaintNeedsEmployer()
    code = new_code()
    while repo.request_by_code(session, code) is not None:
        code = new_code()
    request = repo.add(
        session,
        ServiceRequest(
            tracking_code=code,
            kind=data.kind,
            person_id=person.id,
            region_code=person.village_code,
            employer_id=data.employer_id if data.kind == "employer_complaint" else None,
            details=data.details,
            filed_by=principal.username,
        ),
    )
    repo.add(session, ServiceRequestEvent(request_id=request.id, status="submitted", actor=principal.username))
    audit.record(session, principal, "create", "jobs_request", request.id, region_code=person.village_code)
    return RequestRead.of(request).model_dump()


def track(session: Session, code: str) -> dict[str, Any]:
    """A request's status and history by its tracking code (no sign-in needed; no personal data shown).

    Raises:
        NotFound: no request with that code.
    """
    request = repo.request_by_code(session, code.strip().upper())
    if request is None:
        raise refusals.TrackingCodeNotFound(code)
    return RequestRead.of(request, _events(session, request.id)).model_dump()


def _events(session: Session, request_id: int) -> list[dict[str, Any]]:
    return [{"status": e.status, "note": e.note, "at": e.at} for e in repo.request_events(session, request_id)]


def office_queue(
    session: Session,
    principal: Principal,
    open_only: bool = True,
    status: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Requests of people in the office's territory, oldest first: open ones, or those with ``status``/``kind``."""
    principal.require(Permission.JOBS_MANAGE)
    rows = repo.requests(session, principal.scope, open_only=open_only, status=status, kind=kind)
    return [{**RequestRead.of(r).model_dump(), "details": r.details} for r in rows]


def office_request(session: Session, request_id: int, principal: Principal) -> dict[str, Any]:
    """One request for the manpower office: what was asked, by whom (NIK masked), its history, the next steps.

    Raises:
        NotFound: no such request in the territory.
    """
    principal.require(Permission.JOBS_MANAGE)
    request = repo.request_in_scope(session, request_id, principal.scope)
    person = None if request is None else registry.person_by_id(session, request.person_id, principal.scope)
    if request is None or person is None:
        raise refusals.RequestNotFound(request_id)
    return {
        **RequestRead.of(request, _events(session, request.id)).model_dump(),
        "details": request.details,
        "employer_id": request.employer_id,
        "filed_by": request.filed_by,
        "person": {"id": person.id, "full_name": person.full_name, "nik": mask_nik(person.nik)},
        "next": sorted(NEXT[request.status]),
    }


def my_requests(session: Session, principal: Principal) -> list[dict[str, Any]]:
    if principal.person_id is None:
        return []
    return [
        RequestRead.of(r).model_dump()
        for r in repo.requests(session, ("",), open_only=False, person_id=principal.person_id)
    ]


def update_request(session: Session, request_id: int, data: RequestStatusIn, principal: Principal) -> dict[str, Any]:
    """Move a request on (the manpower office); a done AK/1 request stores the card number on the profile.

    Raises:
        NotFound: no such request in the territory.
        InvalidInput: an impossible step (e.g. a done request back to in process).
    """
    principal.require(Permission.JOBS_MANAGE)
    request = repo.request_in_scope(session, request_id, principal.scope)
    if request is None:
        raise refusals.RequestNotFound(request_id)
    if data.status not in NEXT[request.status]:
        raise refusals.RequestTransitionRefused(request.status, data.status, ", ".join(sorted(NEXT[request.status])))
    before = request.status
    request.status, request.answer = data.status, data.note or request.answer
    request.is_open = data.status in ("submitted", "in_process")
    if request.kind == "kartu_ak1" and data.status == "done":
        seeker = repo.seeker_of_person(session, request.person_id)
        if seeker is not None and seeker.ak1_number is None:
            seeker.ak1_number = f"AK1-{request.region_code[:5]}-{request.id:06d}"
    session.flush()
    repo.add(
        session,
        ServiceRequestEvent(request_id=request.id, status=data.status, note=data.note, actor=principal.username),
    )
    audit.record(
        session,
        principal,
        "update",
        "jobs_request",
        request.id,
        before={"status": before},
        after={"status": data.status},
    )
    return RequestRead.of(request, _events(session, request.id)).model_dump()
