"""Applications and their status, and a hire's road to coverage: registration task, daily check, finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.integration.jobs.conftest import POSTED, World
from tests.integration.jobs.test_seekers_vacancies import seeker_in, vacancy_in

from jangkau.compliance.models import Finding
from jangkau.compliance.service import employer_standing
from jangkau.errors import Conflict, InvalidInput
from jangkau.jobs import service
from jangkau.jobs.applications import service as applications
from jangkau.jobs.schemas import ApplicationIn, StatusIn
from jangkau.jobs.vacancies.service import check_hires
from jangkau.kit.pagination import PageRequest
from jangkau.registry.models import Membership
from jangkau.registry.schemas import MembershipIn, Registrar
from jangkau.registry.service import open_membership

Units = Callable[[], AbstractContextManager[Session]]


def hired(session: Session, world: World, openings: int = 1) -> tuple[dict[str, Any], dict[str, Any]]:
    """Andi applies to a vacancy, is interviewed and hired on POSTED."""
    service.save_seeker(session, seeker_in(world.people[0].nik, ["menjahit"]), world.office)
    vacancy = service.post_vacancy(session, vacancy_in(world.employer.id, openings=openings), world.office, POSTED)
    applied = applications.apply(session, ApplicationIn(vacancy_id=vacancy["id"]), world.worker(0), POSTED)
    applications.move(session, applied["id"], StatusIn(status="interviewed"), world.boss, POSTED)
    done = applications.move(session, applied["id"], StatusIn(status="hired", start_date=POSTED), world.boss, POSTED)
    return vacancy, done


def test_impossible_steps_and_closed_vacancies_are_refused(session: Session, world: World) -> None:
    service.save_seeker(session, seeker_in(world.people[0].nik, ["menjahit"]), world.office)
    service.save_seeker(session, seeker_in(world.people[2].nik, ["menjahit"]), world.office)
    vacancy = service.post_vacancy(session, vacancy_in(world.employer.id), world.office, POSTED)
    applied = applications.apply(session, ApplicationIn(vacancy_id=vacancy["id"]), world.worker(0), POSTED)
    assert applied["status"] == "applied"
    assert applied["parts"]["skills"]["points"] == 30
    with pytest.raises(Conflict):
        applications.apply(session, ApplicationIn(vacancy_id=vacancy["id"]), world.worker(0), POSTED)
    with pytest.raises(InvalidInput) as skip:
        applications.move(session, applied["id"], StatusIn(status="hired"), world.boss, POSTED)
    assert skip.value.code == "transition_refused"
    assert "wawancara" in skip.value.message_id
    applications.move(session, applied["id"], StatusIn(status="rejected"), world.boss, POSTED)
    with pytest.raises(InvalidInput) as final:
        applications.move(session, applied["id"], StatusIn(status="interviewed"), world.boss, POSTED)
    assert "final" in final.value.message
    service.close_vacancy(session, vacancy["id"], world.boss)
    with pytest.raises(InvalidInput) as closed:
        applications.apply(session, ApplicationIn(vacancy_id=vacancy["id"]), world.worker(2), POSTED)
    assert closed.value.code == "vacancy_closed"


def test_a_hire_becomes_a_task_and_registration_opens_a_pu_membership(session: Session, world: World) -> None:
    vacancy, done = hired(session, world)
    hire = done["hire"]
    assert hire["due_on"] == POSTED + dt.timedelta(days=30)
    assert hire["wage"] == 4_100_000
    assert "PP 45/2015" in hire["rule"]
    assert service.vacancy_detail(session, vacancy["id"], world.office)["status"] == "closed"  # its one opening filled
    tasks = applications.hire_tasks(session, world.boss)
    assert [t["id"] for t in tasks] == [hire["id"]]
    registered = applications.register_hire(session, hire["id"], world.boss, POSTED + dt.timedelta(days=3))
    assert registered["status"] == "registered"
    assert registered["programs"] == ["jkk", "jkm", "jht", "jp"]  # a medium business
    membership = session.get(Membership, registered["membership_id"])
    assert membership is not None
    assert (membership.segment, membership.employer_id, membership.wage) == ("pu", world.employer.id, 4_100_000)
    with pytest.raises(Conflict):
        applications.register_hire(session, hire["id"], world.boss)


def test_unregistered_hire_after_30_days_becomes_one_finding(session: Session, world: World, units: Units) -> None:
    _, done = hired(session, world)
    hire_id = done["hire"]["id"]
    within = check_hires(units, POSTED + dt.timedelta(days=30))
    assert (within.still_waiting, within.findings) == (1, 0)
    late = check_hires(units, POSTED + dt.timedelta(days=31))
    assert late.findings == 1
    again = check_hires(units, POSTED + dt.timedelta(days=32))
    assert (again.checked, again.findings) == (0, 0)
    findings = session.scalars(select(Finding).where(Finding.employer_id == world.employer.id)).all()
    assert len(findings) == 1
    assert (findings[0].kind, findings[0].subject, findings[0].origin) == ("pds_tk", f"hire:{hire_id}", "jobs")
    standing = service.standing_of(session, world.employer.id, {})
    assert standing["flagged"] is True
    assert employer_standing(session, world.employer.id).score > 0
    # seekers see the flag on the employer's vacancies
    listed = service.search_vacancies(session, world.worker(2), PageRequest(), mine=False)
    assert all(
        v["employer"]["standing"]["flagged"] for v in listed["items"] if v["employer"]["id"] == world.employer.id
    )


def test_registration_made_elsewhere_is_tracked(session: Session, world: World, units: Units) -> None:
    _, done = hired(session, world)
    open_membership(
        session,
        MembershipIn(
            person_id=world.people[0].id,
            segment="pu",
            programs=["jkk", "jkm", "jht", "jp"],
            start_date=POSTED,
            employer_id=world.employer.id,
            wage=4_100_000,
        ),
        Registrar("employer", "hrd"),
    )
    result = check_hires(units, POSTED + dt.timedelta(days=40))
    assert (result.registered, result.findings) == (1, 0)
    assert session.scalar(select(func.count()).select_from(Finding)) == 0
    assert applications.hire_tasks(session, world.boss)[0]["status"] == "registered"
    assert done["hire"]["status"] == "waiting"
