"""A pool that cannot lock up: concurrent duplicate enrolments on a tiny pool get no 500 and make no duplicate.

A request holds at most one pooled connection (the idempotency lookup after a lost race reuses it), and a
request that finds the pool busy gets a quick 503 with Retry-After instead of a 500 after a long wait.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import sessionmaker
from tests.conftest import build_database
from tests.e2e.conftest import _free_port

from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.db.engine import make_engine
from jangkau.db.uow import unit_of_work
from jangkau.registry.models import Membership, Person
from jangkau.registry.schemas import OPERATOR as REGISTRAR
from jangkau.registry.schemas import PersonIn
from jangkau.registry.service import register_person
from jangkau.web.app import create_app

PASSWORD = "kata-sandi-uji-2026"
CLIENTS = 24


@pytest.fixture(scope="module")
def tiny_pool_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """``create_app`` on PostgreSQL with a pool of 2 connections and a 1 s pool timeout, served by uvicorn."""
    built = build_database("postgresql", Path(tmp_path_factory.mktemp("pool")), "pool")
    with unit_of_work(sessionmaker(bind=built)) as session:
        agent = NewUser(
            "bhabin.uji", "Bhabin Uji", Role.FIELD_AGENT, PASSWORD, ("12.71.01",), AgentKind.BHABINKAMTIBMAS
        )
        create_user(session, agent, OPERATOR)  # type: ignore[arg-type]
    engine = make_engine(built.url.render_as_string(hide_password=False), pool_size=2, max_overflow=0, pool_timeout=1)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", engine
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()
    built.dispose()


def test_concurrent_duplicate_enrolments_no_500_no_duplicate(tiny_pool_server: tuple[str, Engine]) -> None:
    url, engine = tiny_pool_server
    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": "bhabin.uji", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    person = {"nik": "1271011204880007", "full_name": "Rudi Hartono", "birth_date": "1988-04-12", "sex": "L",
              "village_code": "12.71.01.1001"}  # fmt: skip
    body = {"person": person, "programs": ["jkk", "jkm"]}

    def enrol(i: int) -> tuple[int, dict[str, Any], str]:
        key = "same-visit" if i % 2 else f"visit-{i}"  # half retry one key, half the same NIK under new keys
        response = httpx.post(f"{url}/api/v1/enrolments", json=body, headers={**headers, "Idempotency-Key": key},
                              timeout=30)  # fmt: skip
        return response.status_code, response.json(), response.headers.get("retry-after", "")

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(enrol, range(CLIENTS)))
    statuses = Counter(status for status, _body, _retry in answers)
    assert not [s for s in statuses if s >= 500 and s != 503], statuses
    assert statuses[201] >= 1, statuses
    assert set(statuses) <= {201, 409, 503}, statuses
    for status, answer, retry_after in answers:
        if status >= 400:
            assert answer["error"]["code"] in ("membership_exists", "server_busy", "nik_already_registered"), answer
        if status == 503:
            assert retry_after.isdigit()
    with engine.connect() as conn:
        people = conn.scalar(select(func.count()).select_from(Person).where(Person.nik == person["nik"]))
        joined = select(func.count()).select_from(Membership).join(Person, Membership.person_id == Person.id)
        members = conn.scalar(joined.where(Person.nik == person["nik"]))
    assert (people, members) == (1, 1)


def test_busy_pool_answers_503_with_retry_after_quickly(tiny_pool_server: tuple[str, Engine]) -> None:
    url, engine = tiny_pool_server
    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": "bhabin.uji", "password": PASSWORD}).json()
    with engine.connect(), engine.connect():  # the whole pool (2 connections) is taken
        started = time.monotonic()
        response = httpx.get(f"{url}/api/v1/persons", headers={"Authorization": f"Bearer {token['access_token']}"})
        waited = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "server_busy"
    assert response.headers["retry-after"] == "2"
    assert waited < 5


def test_concurrent_enrolments_of_a_registered_worker_open_one_membership(tiny_pool_server: tuple[str, Engine]) -> None:
    url, engine = tiny_pool_server
    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": "bhabin.uji", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    person = {"nik": "1271015505900003", "full_name": "Siti Aminah", "birth_date": "1990-05-15", "sex": "P",
              "village_code": "12.71.01.1001"}  # fmt: skip
    with unit_of_work(sessionmaker(bind=engine)) as session:
        register_person(session, PersonIn.model_validate(person), REGISTRAR)  # registered before, at the office

    def enrol(i: int) -> int:
        body = {"person": person, "programs": ["jkk", "jkm"]}
        keyed = {**headers, "Idempotency-Key": f"agent-{i}"}  # every agent at the door with a key of their own
        return httpx.post(f"{url}/api/v1/enrolments", json=body, headers=keyed, timeout=30).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = Counter(pool.map(enrol, range(8)))
    assert statuses[201] == 1, statuses
    with engine.connect() as conn:
        joined = select(func.count()).select_from(Membership).join(Person, Membership.person_id == Person.id)
        assert conn.scalar(joined.where(Person.nik == person["nik"])) == 1
