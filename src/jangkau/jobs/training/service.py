"""Training programmes with sign-up, and announcements from the manpower office. Services never commit.

Seats are never oversold: a sign-up takes its seat with one conditional UPDATE (``seats_taken < seats``), which the
database serialises, and a CHECK constraint (``seats_taken <= seats``) backs it up; the same person cannot sign up
twice (unique key), and a lost race on that key is a clear refusal, not an error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.jobs import access
from jangkau.jobs import errors as refusals
from jangkau.jobs import repository as repo
from jangkau.jobs.models import Announcement, Training, TrainingSignup
from jangkau.jobs.schemas import AnnouncementIn, AnnouncementRead, TrainingIn, TrainingRead, clean_skills
from jangkau.kit.masking import mask_nik
from jangkau.regions.service import require_region


def add_training(session: Session, data: TrainingIn, principal: Principal) -> dict[str, Any]:
    """Add a training programme (the manpower office, inside its territory).

    Raises:
        InvalidInput: an unknown region, or an end before the start.
        Forbidden: not the manpower office.
    """
    principal.require(Permission.JOBS_MANAGE)
    region = require_region(session, data.region_code, "region_code")
    if not principal.sees(region):
        raise refusals.OutsideTerritory()
    if data.ends_on < data.starts_on:
        raise refusals.TrainingDatesInvalid()
    training = repo.add(
        session,
        Training(
            title=data.title,
            provider=data.provider,
            region_code=region,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            seats=data.seats,
            seats_taken=0,
            skills=",".join(clean_skills(data.skills)),
            description=data.description,
            created_by=principal.username,
        ),
    )
    audit.record(session, principal, "create", "jobs_training", training.id, region_code=region)
    return TrainingRead.of(training).model_dump()


def sign_up(
    session: Session, training_id: int, principal: Principal, nik: str | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """Take a seat for the signed-in worker, or for the person with ``nik`` (a helper in their territory).

    Raises:
        NotFound: no such programme.
        InvalidInput: the programme has started, or is full.
        Conflict: the person already has a seat.
    """
    today = today or dt.date.today()
    person = access.person_for(session, nik, principal)
    training = repo.training(session, training_id)
    if training is None:
        raise refusals.TrainingNotFound(training_id)
    if training.starts_on <= today:
        raise refusals.TrainingStarted()
    if repo.signup_of(session, training.id, person.id) is not None:
        raise refusals.AlreadySignedUp(training.title)
    if not repo.take_seat(session, training.id):
        raise refusals.TrainingFull(training.seats)
    try:
        with session.begin_nested():
            signup = repo.add(
                session, TrainingSignup(training_id=training.id, person_id=person.id, signed_up_by=principal.username)
            )
    except IntegrityError as exc:
        raise refusals.AlreadySignedUp(training.title) from exc
    session.refresh(training)
    audit.record(session, principal, "create", "jobs_training_signup", signup.id, region_code=person.village_code)
    return {"signup_id": signup.id, "person_id": person.id, "training": TrainingRead.of(training).model_dump()}


def add_announcement(session: Session, data: AnnouncementIn, principal: Principal) -> dict[str, Any]:
    """Publish an announcement (the manpower office, inside its territory).

    Raises:
        InvalidInput: an unknown region or one outside the territory, or visible-until before publication.
    """
    principal.require(Permission.JOBS_MANAGE)
    region = require_region(session, data.region_code, "region_code")
    if not principal.sees(region):
        raise refusals.OutsideTerritory()
    published = data.published_on or dt.date.today()
    if data.visible_until is not None and data.visible_until < published:
        raise refusals.VisibleBeforePublication()
    row = repo.add(
        session,
        Announcement(
            title=data.title,
            body=data.body,
            region_code=region,
            published_on=published,
            visible_until=data.visible_until,
            author=principal.username,
        ),
    )
    audit.record(session, principal, "create", "jobs_announcement", row.id, region_code=region)
    return announcement_view(row)


def announcement_view(row: Announcement) -> dict[str, Any]:
    return AnnouncementRead.model_validate(row).model_dump()


def public_board(session: Session, today: dt.date | None = None) -> dict[str, Any]:
    """What anyone may read without signing in: training programmes that have not ended, and announcements."""
    today = today or dt.date.today()
    return {
        "training": [TrainingRead.of(t).model_dump() for t in repo.trainings(session, today)],
        "announcements": [announcement_view(a) for a in repo.announcements(session, today)],
    }


def my_trainings(session: Session, person_id: int | None) -> list[dict[str, Any]]:
    if person_id is None:
        return []
    return [TrainingRead.of(t).model_dump() for _, t in repo.signups_of_person(session, person_id)]


def office_trainings(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """Programmes of the office's territory with their seats taken (sign-ups), latest first."""
    principal.require(Permission.JOBS_MANAGE)
    return [TrainingRead.of(t).model_dump() for t in repo.trainings_in(session, principal.scope)]


def training_signups(session: Session, training_id: int, principal: Principal) -> dict[str, Any]:
    """A programme of the office's territory and who signed up (people in the territory, NIK masked).

    Raises:
        NotFound: no such programme in the territory.
    """
    principal.require(Permission.JOBS_MANAGE)
    training = repo.training(session, training_id)
    if training is None or not principal.sees(training.region_code):
        raise refusals.TrainingNotFound(training_id)
    return {
        "training": TrainingRead.of(training).model_dump(),
        "signups": [
            {
                "id": s.id,
                "person_id": p.id,
                "full_name": p.full_name,
                "nik": mask_nik(p.nik),
                "village_code": p.village_code,
                "signed_up_by": s.signed_up_by,
                "at": s.at,
            }
            for s, p in repo.signups_of_training(session, training.id, principal.scope)
        ],
    }
