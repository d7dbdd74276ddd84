"""Pages of the field agents and the manpower office over HTTP, on both databases: who may use them, the territory,
the services' messages for bad input with nothing saved, CSRF, and a double submit that creates one row."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.integration.jobs.conftest import World
from tests.webclient import client_as

from jangkau.auth.models import AuditEvent
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.jobs.labour import service as labour
from jangkau.jobs.models import Announcement, Seeker, ServiceRequest, Training, Vacancy
from jangkau.jobs.schemas import RequestIn

Client = Callable[..., TestClient]
PASSWORD = "rahasia-panjang-1"


def count(session: Session, model: type, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.fixture
def as_user(session: Session) -> Client:
    """A client signed in as a new user with ``role`` and ``scope`` (pages on the test session)."""

    def make(role: Role, scope: tuple[str, ...], name: str, **extra: Any) -> TestClient:
        user = create_user(session, NewUser(name, name, role, PASSWORD, scope, **extra), OPERATOR)
        return client_as(session, Principal(user.id, name, role, scope, person_id=extra.get("person_id")))

    return make


def tokens(client: TestClient, url: str) -> dict[str, str]:
    """GET a page (sets the CSRF cookie) and read the tokens of its forms."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    form = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert csrf
    assert form
    return {"csrf_token": csrf.group(1), "form_token": form.group(1)}


def test_who_may_open_the_pages(as_user: Client, world: World) -> None:
    worker = as_user(Role.WORKER, ("12.71",), "pekerja.uji", person_id=world.people[0].id)
    agent = as_user(Role.FIELD_AGENT, ("12.71.02",), "babinsa.uji", agent_kind=AgentKind.BABINSA)
    office = as_user(Role.REGION_OFFICER, ("12.71",), "disnaker.uji")
    for url in ("/jobs/assist", "/jobs/office", "/jobs/office/requests", "/jobs/office/hires-overdue"):
        assert worker.get(url).status_code == 403, url
        assert office.get(url).status_code == 200, url
    assert agent.get("/jobs/assist").status_code == 200
    for url in ("/jobs/office", "/jobs/office/requests", "/jobs/office/hires-overdue"):
        assert agent.get(url).status_code == 403, url
    assert "/jobs/office" in office.get("/jobs").text  # the nav entry
    assert "/jobs/assist" in agent.get("/jobs").text


def test_agent_keeps_a_profile_in_the_territory_with_clear_refusals(
    as_user: Client, world: World, session: Session
) -> None:
    agent = as_user(Role.FIELD_AGENT, ("12.71.02",), "babinsa.uji", agent_kind=AgentKind.BABINSA)
    csrf = {"csrf_token": re.findall(r'name="csrf_token" value="([^"]+)"', agent.get("/jobs/assist").text)[0]}
    outside = agent.post("/jobs/assist/find", data={**csrf, "nik": world.people[0].nik})  # lives in 12.71.01
    assert outside.status_code == 422
    assert "wilayah Anda" in outside.text
    assert "Andi Lubis" not in outside.text
    assert agent.get(f"/jobs/assist/person/{world.people[0].id}").status_code == 404
    bad = agent.post("/jobs/assist/find", data={**csrf, "nik": "1271011203900000"})
    assert bad.status_code == 422
    assert "NIK" in bad.text
    nik = world.people[1].nik  # Budi, 12.71.02
    found = agent.post("/jobs/assist/find", data={**csrf, "nik": nik})
    assert found.status_code == 303
    url = found.headers["location"]
    assert url == f"/jobs/assist/person/{world.people[1].id}"  # the NIK stays out of the address
    before = count(session, AuditEvent, AuditEvent.action == "read_full", AuditEvent.entity == "person")
    form = tokens(agent, url)
    assert count(session, AuditEvent, AuditEvent.action == "read_full", AuditEvent.entity == "person") == before + 1
    person = str(world.people[1].id)
    body = {
        **form,
        "person_id": person,
        "skills": "las, listrik",
        "education": "smk",
        "preferred_districts": "12.71.99",
    }
    refused = agent.post("/jobs/assist/profile", data=body)
    assert refused.status_code == 422
    assert "12.71.99" in refused.text
    assert 'value="las, listrik"' in refused.text
    assert count(session, Seeker, Seeker.person_id == world.people[1].id) == 0
    wage = agent.post("/jobs/assist/profile", data={**body, "preferred_districts": "", "expected_wage": "empat"})
    assert wage.status_code == 422
    assert "expected_wage" in wage.text
    no_csrf = agent.post("/jobs/assist/profile", data={**body, "csrf_token": "", "preferred_districts": ""})
    assert no_csrf.status_code == 403
    assert count(session, Seeker, Seeker.person_id == world.people[1].id) == 0
    form = tokens(agent, url)  # a refused CSRF token is replaced
    good = {
        **body,
        **form,
        "preferred_districts": "12.71.02",
        "expected_wage": "4.500.000",
        "experience": "Bengkel 3 tahun",
    }
    saved = agent.post("/jobs/assist/profile", data=good)
    assert saved.status_code == 303
    assert "saved=1" in saved.headers["location"]
    again = agent.post("/jobs/assist/profile", data=good)
    assert again.headers["location"] == saved.headers["location"]
    seeker = session.scalars(select(Seeker).where(Seeker.person_id == world.people[1].id)).one()
    assert (seeker.skills, seeker.expected_wage, seeker.maintained_by_kind) == ("las,listrik", 4_500_000, "agent")
    page = agent.get(saved.headers["location"])
    assert "babinsa.uji" in page.text
    assert 'value="las, listrik"' in page.text
    assert nik not in saved.headers["location"]
    other = {**good, "person_id": str(world.people[0].id)}  # a person outside the territory
    assert agent.post("/jobs/assist/profile", data=other).status_code == 404
    assert count(session, Seeker, Seeker.person_id == world.people[0].id) == 0


def test_a_double_submitted_request_is_filed_once(as_user: Client, world: World, session: Session) -> None:
    agent = as_user(Role.FIELD_AGENT, ("12.71.02",), "babinsa.uji", agent_kind=AgentKind.BABINSA)
    person = str(world.people[1].id)
    form = tokens(agent, f"/jobs/assist/person/{person}")
    ak1 = agent.post("/jobs/assist/request", data={**form, "person_id": person, "kind": "kartu_ak1", "details": "AK/1"})
    assert ak1.status_code == 422
    assert "profil pencari kerja" in ak1.text
    body = {
        **form,
        "person_id": person,
        "kind": "employer_complaint",
        "details": "Upah belum dibayar",
        "employer_id": "",
    }
    assert agent.post("/jobs/assist/request", data=body).status_code == 422
    body["employer_id"] = str(world.employer.id)
    first = agent.post("/jobs/assist/request", data=body)
    second = agent.post("/jobs/assist/request", data=body)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert count(session, ServiceRequest, ServiceRequest.person_id == world.people[1].id) == 1
    code = first.headers["location"].rsplit("filed=", 1)[1]
    assert code in agent.get(first.headers["location"]).text


def test_office_adds_training_and_announcements_once_with_refusals(
    as_user: Client, world: World, session: Session
) -> None:
    office = as_user(Role.REGION_OFFICER, ("12.71",), "disnaker.uji")
    form = tokens(office, "/jobs/office")
    base = count(session, Training)
    body = {
        **form,
        "title": "Las listrik dasar",
        "provider": "BLK Medan",
        "region_code": "12.71",
        "starts_on": "2099-03-01",
        "ends_on": "2099-03-20",
        "seats": "0",
        "skills": "las, las listrik",
    }
    zero = office.post("/jobs/office/training", data=body)
    assert zero.status_code == 422
    assert "seats" in zero.text
    assert 'value="Las listrik dasar"' in zero.text
    backwards = office.post("/jobs/office/training", data={**body, "seats": "20", "ends_on": "2099-02-01"})
    assert backwards.status_code == 422
    assert "sebelum tanggal mulai" in backwards.text
    elsewhere = office.post("/jobs/office/training", data={**body, "seats": "20", "region_code": "12.07"})
    assert elsewhere.status_code == 422
    assert "di luar wilayah" in elsewhere.text
    assert count(session, Training) == base
    first = office.post("/jobs/office/training", data={**body, "seats": "20"})
    second = office.post("/jobs/office/training", data={**body, "seats": "20"})
    assert first.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert count(session, Training) == base + 1
    detail = office.get(first.headers["location"])
    assert "Las listrik dasar" in detail.text
    assert "0 / 20" in detail.text
    assert "Las listrik dasar" in office.get("/jobs/office").text
    other_office = as_user(Role.REGION_OFFICER, ("12.07",), "disnaker.deliserdang")
    assert other_office.get(first.headers["location"].split("?")[0]).status_code == 404
    note = {**form, "title": "Bursa kerja", "body": "Datang ke kantor", "region_code": "12.71"}
    late = office.post(
        "/jobs/office/announcements", data={**note, "published_on": "2099-01-02", "visible_until": "2099-01-01"}
    )
    assert late.status_code == 422
    assert "sebelum tanggal terbit" in late.text
    assert office.post("/jobs/office/announcements", data=note).status_code == 303
    assert office.post("/jobs/office/announcements", data=note).status_code == 303
    assert count(session, Announcement, Announcement.title == "Bursa kerja") == 1


def test_office_moves_a_request_and_the_person_reads_the_note(as_user: Client, world: World, session: Session) -> None:
    filed = labour.file_request(
        session,
        RequestIn(kind="job_counselling", details="Ingin pindah kerja", nik=world.people[0].nik),
        world.office,
    )
    office = as_user(Role.REGION_OFFICER, ("12.71",), "disnaker.uji")
    queue = office.get("/jobs/office/requests", params={"kind": "job_counselling"})
    assert filed["tracking_code"] in queue.text
    assert filed["tracking_code"] not in office.get("/jobs/office/requests", params={"status": "done"}).text
    assert filed["tracking_code"] not in office.get("/jobs/office/requests", params={"kind": "kartu_ak1"}).text
    url = f"/jobs/office/requests/{filed['id']}"
    form = tokens(office, url)
    assert "Ingin pindah kerja" in office.get(url).text
    moved = office.post(url + "/status", data={**form, "status": "in_process", "note": "Datang Senin jam 9"})
    assert moved.status_code == 303
    assert office.post(url + "/status", data={**form, "status": "in_process", "note": "x"}).status_code == 303
    track = labour.track(session, filed["tracking_code"])
    assert [e["status"] for e in track["history"]] == ["submitted", "in_process"]  # the double submit: one step
    assert track["answer"] == "Datang Senin jam 9"
    form = tokens(office, url)
    back = office.post(url + "/status", data={**form, "status": "submitted"})
    assert back.status_code == 422
    assert "tidak bisa menjadi submitted" in back.text
    sunggal = as_user(Role.REGION_OFFICER, ("12.71.02",), "disnaker.sunggal")
    assert sunggal.get(url).status_code == 404  # the person lives in 12.71.01
    assert sunggal.post(url + "/status", data={**tokens(sunggal, "/jobs/office"), "status": "done"}).status_code == 404


def test_worker_and_office_forms_do_not_file_twice(as_user: Client, world: World, session: Session) -> None:
    worker = as_user(Role.WORKER, ("12.71",), "pekerja.uji", person_id=world.people[0].id)
    form = tokens(worker, "/jobs/requests/new")
    body = {**form, "kind": "job_counselling", "details": "Konsultasi"}
    first, second = worker.post("/jobs/requests/new", data=body), worker.post("/jobs/requests/new", data=body)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert count(session, ServiceRequest, ServiceRequest.person_id == world.people[0].id) == 1
    office = as_user(Role.REGION_OFFICER, ("12.71",), "disnaker.uji")
    form = tokens(office, "/jobs/vacancies/new")
    job = {
        **form,
        "employer_id": str(world.employer.id),
        "title": "Operator jahit",
        "sector": "garmen",
        "skills": "menjahit",
        "wage_offered": "0",
        "district_code": "12.71.01",
        "contract_type": "pkwt",
    }
    zero = office.post("/jobs/vacancies/new", data=job)
    assert zero.status_code == 422
    assert count(session, Vacancy, Vacancy.title == "Operator jahit") == 0
    job["wage_offered"] = "9.000.000"
    first, second = office.post("/jobs/vacancies/new", data=job), office.post("/jobs/vacancies/new", data=job)
    assert first.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert count(session, Vacancy, Vacancy.title == "Operator jahit") == 1
