"""Socialisation sessions for workers and trainings for agents, their attendance and what followed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.errors import FieldError, InvalidInput
from jangkau.kit.masking import mask_nik
from jangkau.outreach import errors as refusals
from jangkau.outreach import repository as repo
from jangkau.outreach.models import TRAINING_TOPICS, Attendance, Event
from jangkau.outreach.schemas import AttendeeIn, EventIn, EventRead
from jangkau.regions.service import require_region
from jangkau.registry.nik import clean_nik

FOLLOW_UP_DAYS = 60  # a registration within this many days of a socialisation counts as following from it


def create_event(session: Session, data: EventIn, by: Principal) -> Event:
    """Record a socialisation session or an agent training.

    Raises:
        InvalidInput: an unknown region or one outside the caller's territory, unknown training topics.
    """
    errors: list[FieldError] = []
    region = ""
    try:
        region = require_region(session, data.region_code, "region_code")
        if not by.sees(region):
            errors.append(refusals.outside_territory("region_code", region))
    except InvalidInput as exc:
        errors.extend(exc.fields)
    unknown = [t for t in data.topics if t not in TRAINING_TOPICS]
    if unknown:
        errors.append(refusals.topics_field(unknown, TRAINING_TOPICS))
    if errors:
        raise refusals.EventInvalid(errors)
    event = repo.add(
        session,
        Event(
            kind=data.kind, title=data.title, organiser=data.organiser, place=data.place, region_code=region,
            held_on=data.held_on, topics=",".join(data.topics) or None, campaign_id=data.campaign_id,
            created_by=by.username,
        ),
    )  # fmt: skip
    audit.record(
        session, by, "create", "outreach_event", event.id, region_code=region, after=data.model_dump(mode="json")
    )
    return event


def _event(session: Session, event_id: int, by: Principal) -> Event:
    event = repo.event_in_scope(session, event_id, by.scope)
    if event is None:
        raise refusals.EventNotFound(event_id)
    return event


def add_attendees(session: Session, event_id: int, rows: list[AttendeeIn], by: Principal) -> dict[str, Any]:
    """Add attendees: agents by username (trainings), workers by NIK (linked when registered) or by name.

    Returns:
        How many were added and, per rejected row, why.
    """
    event = _event(session, event_id, by)
    agents = repo.agents_by_username(session)
    added, rejected = 0, []
    for index, row in enumerate(rows):
        attendance = Attendance(event_id=event.id, attended=row.attended, name=row.name)
        if row.username:
            found = agents.get(row.username)
            if found is None:
                rejected.append(refusals.attendee_rejected(index, refusals.NO_SUCH_AGENT, username=row.username))
                continue
            attendance.agent_id, attendance.name = found[0].id, row.name or found[1].full_name
        elif row.nik:
            nik = clean_nik(row.nik)
            attendance.nik, attendance.person_id = nik, repo.person_id_by_nik(session, nik)
        elif not row.name:
            rejected.append(refusals.attendee_rejected(index, refusals.ATTENDEE_NEEDS_NAME))
            continue
        repo.add(session, attendance)
        added += 1
    audit.record(session, by, "attendance", "outreach_event", event.id, after={"added": added})
    return {"added": added, "rejected": rejected}


def event_detail(session: Session, event_id: int, by: Principal) -> dict[str, Any]:
    """An event with its attendance and, for a socialisation, the registrations that followed within 60 days."""
    event = _event(session, event_id, by)
    attendance = repo.attendance_of(session, event.id)
    by_nik = repo.person_ids_by_niks(session, [a.nik for a in attendance if a.nik and a.person_id is None])
    person_of = {a.id: a.person_id or by_nik.get(a.nik or "") for a in attendance}
    followed = repo.registrations_after(
        session,
        [p for p in person_of.values() if p is not None],
        event.held_on,
        event.held_on + dt.timedelta(days=FOLLOW_UP_DAYS),
    )
    return {
        **EventRead.of(event).model_dump(),
        "attendees": [
            {
                "name": a.name,
                "nik": mask_nik(a.nik),
                "agent_id": a.agent_id,
                "attended": a.attended,
                "registered_after": person_of[a.id] in followed,
            }
            for a in attendance
        ],
        "attended": sum(1 for a in attendance if a.attended),
        "registrations_followed": len(followed),
    }


def list_events(session: Session, by: Principal, kind: str | None = None) -> list[dict[str, Any]]:
    return [EventRead.of(e).model_dump() for e in repo.events_in(session, by.scope, kind)]
