"""The anonymous coverage check: a one-time code to the phone on record, the same answer for any NIK, limits."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session
from tests.integration.claims.conftest import membership, months, pay, person
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.kit.months import Month
from jangkau.registry.card import card_token
from jangkau.registry.coverage import service
from jangkau.web.app import create_app
from jangkau.web.kit import get_session


@pytest.fixture
def anonymous(session: Session) -> TestClient:
    """The whole app on the test's session, with nobody signed in."""
    app = create_app(session.get_bind())  # type: ignore[arg-type]

    def db() -> Iterator[Session]:
        yield session

    app.dependency_overrides[get_session] = db
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The codes that would have gone to a phone."""
    codes: list[str] = []
    monkeypatch.setattr(service, "_deliver", lambda _session, _person, _challenge, code: codes.append(code))
    return codes


def csrf(client: TestClient, path: str = "/coverage") -> str:
    return re.findall(r'name="csrf_token" value="([^"]+)"', client.get(path).text)[0]


def ask(client: TestClient, nik: str) -> str:
    answer = client.post("/coverage", data={"nik": nik, "csrf_token": csrf(client)})
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_known_and_unknown_nik_get_the_same_answer(session: Session, anonymous: TestClient, sent: list[str]) -> None:
    worker = person(session, 951, phone="081234567801")
    known = anonymous.get(ask(anonymous, worker.nik))
    unknown = anonymous.get(ask(anonymous, "1271011508889999"))
    assert len(sent) == 1, "a code goes only to a phone on record"
    strip = re.compile(r'name="csrf_token" value="[^"]+"|/coverage/verify/[\w-]+')
    assert strip.sub("", known.text) == strip.sub("", unknown.text)
    assert worker.full_name not in known.text
    assert worker.nik not in known.text


def test_the_right_code_shows_protection_without_the_name(
    session: Session, anonymous: TestClient, sent: list[str]
) -> None:
    worker = person(session, 952, phone="081234567802")
    paid = membership(session, worker)
    this_month = Month.of(dt.date.today())
    pay(session, paid, months(this_month.plus(-3), this_month))
    target = ask(anonymous, worker.nik)
    wrong = anonymous.post(
        target, data={"code": "000000" if sent[0] != "000000" else "111111", "csrf_token": csrf(anonymous, target)}
    )
    assert wrong.status_code == 400
    right = anonymous.post(target, data={"code": sent[0], "csrf_token": csrf(anonymous, target)})
    assert right.status_code == 200
    assert "Terlindungi sampai" in right.text
    for secret in (worker.full_name, worker.nik, "081234567802"):
        assert secret not in right.text


def test_a_code_cannot_be_guessed(session: Session, anonymous: TestClient, sent: list[str]) -> None:
    worker = person(session, 953, phone="081234567803")
    membership(session, worker)
    target = ask(anonymous, worker.nik)
    wrong = "000000" if sent[0] != "000000" else "111111"
    for _ in range(5):
        assert anonymous.post(target, data={"code": wrong, "csrf_token": csrf(anonymous, target)}).status_code == 400
    after = anonymous.post(target, data={"code": sent[0], "csrf_token": csrf(anonymous, target)})
    assert after.status_code == 400, "five wrong codes use the challenge up"
    assert worker.full_name not in after.text


def test_an_unknown_nik_never_verifies(session: Session, anonymous: TestClient, sent: list[str]) -> None:
    target = ask(anonymous, "1271011508889998")
    for code in ("000000", "123456"):
        assert anonymous.post(target, data={"code": code, "csrf_token": csrf(anonymous, target)}).status_code == 400


def test_a_hundred_checks_from_one_ip_are_throttled_and_name_nobody(
    session: Session, anonymous: TestClient, sent: list[str]
) -> None:
    people = [person(session, 960 + i, phone=f"0812345679{i:02d}") for i in range(20)]
    niks = [p.nik for p in people] + [f"1271011508870{100 + i:03d}" for i in range(80)]
    token = csrf(anonymous)
    statuses = []
    for nik in niks:
        answer = anonymous.post("/coverage", data={"nik": nik, "csrf_token": token})
        statuses.append(answer.status_code)
        assert not any(p.full_name in answer.text for p in people)
        if answer.status_code == 429:
            assert int(answer.headers["retry-after"]) > 0
    assert statuses[:10] == [303] * 10
    assert statuses[10:] == [429] * 90


def test_the_same_nik_is_limited_across_ips(session: Session, anonymous: TestClient, sent: list[str]) -> None:
    worker = person(session, 954, phone="081234567804")
    token = csrf(anonymous)
    answers = [
        anonymous.post("/coverage", data={"nik": worker.nik, "csrf_token": token}, headers={"x-test": str(i)})
        for i in range(6)
    ]
    assert [a.status_code for a in answers] == [303] * 5 + [429]
    assert len(sent) == 5


def test_a_cards_qr_code_opens_a_check_of_the_card_alone(session: Session, anonymous: TestClient) -> None:
    worker = person(session, 955, phone="081234567805", address="Jl. Rahasia No. 1")
    card_of = membership(session, worker)
    staff = client_as(session, Principal(None, "cabang", Role.BRANCH_OFFICER, ("12.71",)))
    pdf = staff.get(f"/memberships/{card_of.id}/card.pdf")
    assert pdf.status_code == 200
    printed = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.content)).pages)  # two sides
    address = re.search(r"http://testserver/cards/verify/\S+", printed.replace("\n", ""))
    assert address is not None, printed
    answer = anonymous.get(address.group(0).replace("http://testserver", ""))
    assert answer.status_code == 200
    assert "Kartu ini asli" in answer.text
    assert worker.full_name in answer.text  # printed on the card
    for secret in (worker.nik, "081234567805", "Jl. Rahasia", worker.birth_date.isoformat()):
        assert secret not in answer.text, "no more than the card shows"
    forged = anonymous.get(f"/cards/verify/{card_token(card_of.id)[:-2]}xx")
    assert forged.status_code == 404
    assert worker.full_name not in forged.text
