"""Training sign-up (never oversold, also when people sign up at the same time), announcements on the public board,
labour-service requests followed by their tracking code."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker
from tests.integration.jobs.conftest import World, person
from tests.integration.jobs.test_seekers_vacancies import seeker_in

from jangkau.auth.principal import OPERATOR, Forbidden
from jangkau.db.uow import unit_of_work
from jangkau.errors import Conflict, InvalidInput, JangkauError, NotFound
from jangkau.jobs import service
from jangkau.jobs.labour import service as labour
from jangkau.jobs.models import ServiceRequest, ServiceRequestEvent, Training, TrainingSignup
from jangkau.jobs.schemas import AnnouncementIn, RequestIn, RequestStatusIn, TrainingIn
from jangkau.jobs.training import service as training
from jangkau.registry.models import Person

SOON = dt.date.today() + dt.timedelta(days=20)


def training_in(seats: int) -> TrainingIn:
    return TrainingIn(
        title="Menjahit dasar",
        provider="BLK Medan",
        region_code="12.71",
        starts_on=SOON,
        ends_on=SOON + dt.timedelta(days=10),
        seats=seats,
        skills=["menjahit"],
    )


def test_seats_are_never_oversold_and_one_seat_per_person(session: Session, world: World) -> None:
    added = training.add_training(session, training_in(2), world.office)
    first = training.sign_up(session, added["id"], world.worker(0))
    assert first["training"]["seats_left"] == 1
    with pytest.raises(Conflict):
        training.sign_up(session, added["id"], world.worker(0))
    training.sign_up(session, added["id"], world.office, world.people[1].nik)
    with pytest.raises(InvalidInput) as full:
        training.sign_up(session, added["id"], world.office, world.people[2].nik)
    assert full.value.code == "training_full"
    board = training.public_board(session)
    assert [t["seats_left"] for t in board["training"] if t["id"] == added["id"]] == [0]
    with pytest.raises(Forbidden):
        training.add_training(session, training_in(5), world.worker(0))


def test_concurrent_signups_take_exactly_the_seats(engine: Engine) -> None:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as session:
        people = [person(session, f"12710120069{i:05d}", f"Peserta {i}", "12.71.01.1001") for i in range(1, 9)]
        added = training.add_training(session, training_in(3), OPERATOR)
    niks, outcomes = [p.nik for p in people], []
    barrier = threading.Barrier(len(niks))

    def sign(nik: str) -> None:
        barrier.wait()
        try:
            with unit_of_work(factory) as mine:
                training.sign_up(mine, added["id"], OPERATOR, nik)
            outcomes.append("ok")
        except JangkauError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=sign, args=(nik,)) for nik in niks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        with unit_of_work(factory) as session:
            seats_taken = session.scalar(select(Training.seats_taken).where(Training.id == added["id"]))
            signups = session.scalar(select(func.count()).where(TrainingSignup.training_id == added["id"]))
        assert sorted(outcomes) == ["ok"] * 3 + ["training_full"] * 5
        assert seats_taken == 3
        assert signups == 3
    finally:
        with unit_of_work(factory) as session:
            session.execute(delete(TrainingSignup).where(TrainingSignup.training_id == added["id"]))
            session.execute(delete(Training).where(Training.id == added["id"]))
            session.execute(delete(Person).where(Person.nik.in_(niks)))


def test_announcements_show_while_visible(session: Session, world: World) -> None:
    today = dt.date.today()
    training.add_announcement(
        session, AnnouncementIn(title="Job fair", body="Sabtu di Lapangan Merdeka", region_code="12.71"), world.office
    )
    training.add_announcement(
        session,
        AnnouncementIn(
            title="Lama",
            body="sudah lewat",
            region_code="12.71",
            published_on=today - dt.timedelta(days=9),
            visible_until=today - dt.timedelta(days=1),
        ),
        world.office,
    )
    titles = [a["title"] for a in training.public_board(session)["announcements"]]
    assert "Job fair" in titles
    assert "Lama" not in titles


def test_requests_are_followed_by_tracking_code(session: Session, world: World) -> None:
    me = world.worker(0)
    with pytest.raises(InvalidInput) as no_profile:
        labour.file_request(session, RequestIn(kind="kartu_ak1", details="untuk melamar"), me)
    assert "profil" in no_profile.value.message_id
    service.save_seeker(session, seeker_in(world.people[0].nik, ["menjahit"]), me)
    filed = labour.file_request(session, RequestIn(kind="kartu_ak1", details="untuk melamar"), me)
    code = filed["tracking_code"]
    assert len(code) == 10
    assert labour.track(session, code.lower())["status"] == "submitted"
    with pytest.raises(InvalidInput):
        labour.file_request(session, RequestIn(kind="employer_complaint", details="upah telat"), me)
    queue = labour.office_queue(session, world.office)
    assert [r["tracking_code"] for r in queue] == [code]
    done = labour.update_request(session, filed["id"], RequestStatusIn(status="done", note="Kartu siap"), world.office)
    assert [h["status"] for h in done["history"]] == ["submitted", "done"]
    with pytest.raises(InvalidInput) as back:
        labour.update_request(session, filed["id"], RequestStatusIn(status="in_process"), world.office)
    assert back.value.code == "transition_refused"
    profile = service.my_seeker(session, me)
    assert profile is not None
    assert profile[0].ak1_number is not None
    with pytest.raises(NotFound):
        labour.track(session, "XXXXXXXXXX")
    sunggal_office = world.office.__class__(None, "kec", world.office.role, ("12.71.02",))
    with pytest.raises(NotFound):
        labour.update_request(session, filed["id"], RequestStatusIn(status="rejected"), sunggal_office)
    assert session.scalar(select(func.count()).select_from(ServiceRequestEvent)) == 2
    assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 1
