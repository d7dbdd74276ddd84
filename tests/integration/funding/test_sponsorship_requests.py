"""Sponsor-paid enrolments are checked (issue 22 point 6) and every page tells the same protection sentence (point 5).

A worker's self-service enrolment charged to a programme waits for the sponsor; the sponsor approves it (budget and
criteria checked then) or rejects it with a reason the worker reads; only the programme's staff enrol directly.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.webclient import client_as

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user, principal_for
from jangkau.enrolment.schemas import EnrolmentIn
from jangkau.enrolment.service import Enrolment, enrol
from jangkau.errors import Conflict, InvalidInput, JangkauError, NotFound
from jangkau.funding.access import grant_payer
from jangkau.funding.models import PaymentChannel, Programme, Sponsorship, SponsorshipRequest
from jangkau.funding.protection import member_protection
from jangkau.funding.requests import service as requests
from jangkau.funding.schemas import ProgrammeIn, SponsorIn
from jangkau.funding.service import create_programme, create_sponsor
from jangkau.kit.months import Month
from jangkau.registry import card as card_module
from jangkau.registry.card import card_token
from jangkau.rules.protection import PayerKind, Protection

TODAY = dt.date.today()
VILLAGE = "12.71.01.1001"
PASSWORD = "permintaan-sponsor-2026"
BRANCH = Principal(user_id=None, username="cabang.test", role=Role.BRANCH_OFFICER, scope=("12.71",))
FAR_OFFICER = Principal(user_id=None, username="pemkab.lain", role=Role.REGION_OFFICER, scope=("12.72",))


def programme(session: Session, budget: int, name: str = "APBD pekerja rentan", **criteria: object) -> int:
    sponsor = create_sponsor(session, SponsorIn(kind="apbd", name="APBD Kota Medan", region_code="12.71"))
    data = {"payer_id": sponsor.id, "name": name, "start_month": str(Month.of(TODAY)), "months": 12}
    data.update(budget=budget, region_prefix="12.71", **criteria)
    return create_programme(session, ProgrammeIn.model_validate(data)).id


def sponsor_user(session: Session, programme_id: int, username: str = "apbd.test") -> Principal:
    user = create_user(session, NewUser(username, "APBD", Role.SPONSOR, PASSWORD, ("12.71",)), OPERATOR)
    found = session.get(Programme, programme_id)
    assert found is not None
    grant_payer(session, OPERATOR, found.payer_id, username)
    return principal_for(session, user)


def worker_principal(session: Session, serial: int) -> Principal:
    me = factories.person(session, serial, phone=True)
    return Principal(user_id=None, username=f"pekerja.{serial}", role=Role.WORKER, scope=(), person_id=me.id)


def self_service(
    session: Session, who: Principal, programme_id: int, serial: int, vulnerable: bool = True
) -> Enrolment:
    person = {
        "nik": factories.nik_for(serial),
        "full_name": f"Asisten {serial}",
        "birth_date": "1988-08-15",
        "sex": "L",
        "village_code": VILLAGE,
        "occupation": "pengemudi_becak",
        "is_vulnerable": vulnerable,
    }
    data = {
        "person": person,
        "programs": ["jkk", "jkm"],
        "payer": f"programme:{programme_id}",
        "relationship": "household_worker",
    }
    return enrol(session, EnrolmentIn.model_validate(data), who, TODAY)


def test_a_self_service_enrolment_waits_for_the_sponsor_and_approval_enrols_it(session: Session) -> None:
    programme_id = programme(session, 2_000_000)
    worker = worker_principal(session, 3101)
    result = self_service(session, worker, programme_id, 3102)
    assert result.request is not None
    assert result.request.status == "pending"
    sponsored = select(func.count()).select_from(Sponsorship).where(Sponsorship.programme_id == programme_id)
    assert session.scalar(sponsored) == 0, "nothing is charged to the sponsor before it approves"
    waiting = member_protection(session, result.membership, TODAY, "id")
    assert waiting.status.kind is Protection.AWAITING_SPONSOR_APPROVAL
    assert waiting.status.sentence == "Belum terlindungi: menunggu persetujuan penyandang dana"
    assert waiting.payer.kind is PayerKind.SPONSOR
    assert waiting.pay is None, "a sponsor-paid member is not asked to pay"

    sponsor = sponsor_user(session, programme_id)
    [check] = requests.pending_requests(session, sponsor, TODAY)
    assert check.failures == []
    assert check.affordable
    sponsorship = requests.approve(session, sponsor, result.request.id, TODAY)
    assert sponsorship.programme_id == programme_id
    assert session.scalar(sponsored) == 1
    assert session.get(SponsorshipRequest, result.request.id).status == "approved"  # type: ignore[union-attr]
    approved = member_protection(session, result.membership, TODAY, "id")
    assert approved.status.kind is Protection.FIRST_CONTRIBUTION_UNPAID
    assert approved.status.sentence == "Belum terlindungi: iuran pertama belum dibayar oleh APBD Kota Medan"
    assert approved.payer.programme == "APBD pekerja rentan"
    with pytest.raises(Conflict) as twice:
        requests.approve(session, sponsor, result.request.id, TODAY)
    assert twice.value.code == "request_decided"
    assert session.scalar(sponsored) == 1, "a second approval enrols nobody twice"


def test_budget_exhausted_keeps_the_request_pending_and_rejection_tells_the_worker_why(session: Session) -> None:
    programme_id = programme(session, 250_000)  # one worker for 12 months, not two
    worker = worker_principal(session, 3201)
    first = self_service(session, worker, programme_id, 3202)
    second = self_service(session, worker, programme_id, 3203)
    sponsor = sponsor_user(session, programme_id)
    requests.approve(session, sponsor, first.request.id, TODAY)  # type: ignore[union-attr]
    [check] = requests.pending_requests(session, sponsor, TODAY)
    assert not check.affordable
    with pytest.raises(Conflict) as refused:
        requests.approve(session, sponsor, second.request.id, TODAY)  # type: ignore[union-attr]
    assert refused.value.code == "budget_exceeded"
    assert session.get(SponsorshipRequest, second.request.id).status == "pending"  # type: ignore[union-attr]
    with pytest.raises(InvalidInput) as no_reason:
        requests.reject(session, sponsor, second.request.id, "   ")  # type: ignore[union-attr]
    assert no_reason.value.fields[0].field == "reason"
    requests.reject(session, sponsor, second.request.id, "Anggaran tahun ini sudah habis")  # type: ignore[union-attr]
    told = member_protection(session, second.membership, TODAY, "id")
    assert told.payer.kind is PayerKind.SELF
    assert told.payer.rejected_reason == "Anggaran tahun ini sudah habis"
    assert told.status.sentence == "Belum terlindungi: iuran pertama belum dibayar"
    assert told.pay is not None
    assert told.pay.amount == 16_800  # JKK + JKM on Rp1,000,000, the worker now pays
    assert told.pay.due_on is not None


def test_an_ineligible_worker_is_shown_as_such_and_approval_is_refused(session: Session) -> None:
    programme_id = programme(session, 2_000_000, vulnerable_only=True)
    worker = worker_principal(session, 3301)
    result = self_service(session, worker, programme_id, 3302, vulnerable=False)
    sponsor = sponsor_user(session, programme_id)
    [check] = requests.pending_requests(session, sponsor, TODAY)
    assert check.failures == ["not marked as a vulnerable worker"]
    [indonesian] = requests.pending_requests(session, sponsor, TODAY, "id")
    assert indonesian.failures == ["tidak tercatat sebagai pekerja rentan"]
    with pytest.raises(InvalidInput) as refused:
        requests.approve(session, sponsor, result.request.id, TODAY)  # type: ignore[union-attr]
    assert refused.value.code == "criteria_not_met"


def test_only_the_programmes_staff_enrol_directly(session: Session) -> None:
    programme_id = programme(session, 2_000_000)
    staff = self_service(session, BRANCH, programme_id, 3401)
    assert staff.request is None, "the branch officer in the programme's territory enrols at once"
    agent = Principal(user_id=None, username="bhabin.test", role=Role.FIELD_AGENT, scope=("12.71.01",))
    by_agent = self_service(session, agent, programme_id, 3402)
    assert by_agent.request is not None, "a field agent's enrolment waits for the sponsor"
    member = factories.membership(session, factories.person(session, 3403).id, "bpu", declared_income=1_000_000)
    with pytest.raises(JangkauError) as refused:
        requests.ensure_programme_staff(session, FAR_OFFICER, programme_id)
    assert (refused.value.http_status, refused.value.code) == (403, "not_programme_staff")
    api = client_as(session, FAR_OFFICER).post(
        f"/api/v1/funding/programmes/{programme_id}/enrolments", json={"membership_id": member.id}
    )
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "not_programme_staff"
    other_sponsor = sponsor_user(session, programme(session, 2_000_000, name="CSR lain"), "csr.lain")
    with pytest.raises(NotFound):
        requests.approve(session, other_sponsor, by_agent.request.id, TODAY)  # type: ignore[union-attr]


def csrf(client: TestClient, path: str) -> str:
    return re.findall(r'name="csrf_token" value="([^"]+)"', client.get(path).text)[0]


def test_the_sponsor_decides_on_its_requests_page(session: Session) -> None:
    programme_id = programme(session, 2_000_000)
    worker = worker_principal(session, 3501)
    form = client_as(session, replace(worker, home=("12.71",))).get("/register-other")
    assert f'value="programme:{programme_id}"' in form.text, "a worker may ask the city's programme to pay"
    first = self_service(session, worker, programme_id, 3502)
    second = self_service(session, worker, programme_id, 3503)
    sponsor = client_as(session, sponsor_user(session, programme_id))
    page = sponsor.get("/funding/requests")
    assert page.status_code == 200
    assert "Asisten 3502" in page.text
    assert factories.nik_for(3502)[:6] not in page.text, "no NIK beside the age (not even masked)"
    token = csrf(sponsor, "/funding/requests")
    empty = sponsor.post(f"/funding/requests/{second.request.id}/reject", data={"reason": " ", "csrf_token": token})  # type: ignore[union-attr]
    assert empty.status_code == 422
    assert "tulis alasan" in empty.text
    approved = sponsor.post(f"/funding/requests/{first.request.id}/approve", data={"csrf_token": token})  # type: ignore[union-attr]
    assert approved.status_code == 303
    again = sponsor.post(f"/funding/requests/{first.request.id}/approve", data={"csrf_token": token})  # type: ignore[union-attr]
    assert again.status_code == 409, "a double click enrols nobody twice"
    assert client_as(session, worker).get("/funding/requests").status_code == 403


def test_receipt_coverage_card_and_check_tell_the_same_sentence_with_who_pays_and_how(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    session.add(PaymentChannel(name="Bank Sumut", instructions="virtual account 8888 + NIK", position=1))
    session.add(PaymentChannel(name="Kantor Pos", instructions="", position=2, active=False))
    member = factories.person(session, 3601, phone=True)
    membership = factories.membership(session, member.id, "bpu", declared_income=1_000_000, start=TODAY)
    worker = client_as(
        session, Principal(user_id=None, username="pekerja.3601", role=Role.WORKER, scope=(), person_id=member.id)
    )
    sentence = "Belum terlindungi: iuran pertama belum dibayar"
    receipt = worker.get(f"/enrol/receipt/{membership.id}")
    assert receipt.status_code == 200
    assert sentence in receipt.text
    assert "pekerja sendiri" in receipt.text
    assert "Bank Sumut" in receipt.text
    assert "virtual account 8888" in receipt.text
    assert "Kantor Pos" not in receipt.text, "an inactive channel is not offered"
    assert "Rp16.800" in receipt.text.replace("\xa0", "")
    verify_path = f"/cards/verify/{card_token(membership.id)}"
    assert f'href="http://testserver{verify_path}"' in receipt.text
    assert 'id="receipt-qr" src="data:image/svg+xml' in receipt.text
    coverage = worker.get("/coverage")
    assert sentence in coverage.text
    assert ">aktif<" not in coverage.text
    worker.cookies.set("jangkau_lang", "en")
    english = worker.get("/coverage")
    assert "Not yet protected: the first contribution has not been paid" in english.text
    assert sentence not in english.text
    worker.cookies.delete("jangkau_lang")
    check = TestClient(worker.app).get(verify_path)
    assert check.status_code == 200
    assert sentence in check.text
    encoded: list[str] = []
    real = card_module.qr_svg_data_uri
    monkeypatch.setattr(card_module, "qr_svg_data_uri", lambda text: encoded.append(text) or real(text))
    pdf = worker.get(f"/memberships/{membership.id}/card.pdf")
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert sentence in " ".join(text.split())
    assert "Bank Sumut" in text
    assert encoded == [f"http://testserver{verify_path}"], "the card's QR code opens the card check"


def test_the_office_edits_its_payment_channels(session: Session) -> None:
    office = client_as(session, BRANCH)
    token = csrf(office, "/funding/channels")
    empty = office.post(
        "/funding/channels", data={"name": " ", "instructions": "VA 77 + NIK", "position": "x", "csrf_token": token}
    )
    assert empty.status_code == 422
    assert "wajib diisi" in empty.text
    assert 'value="VA 77 + NIK"' in empty.text, "what was typed is kept"
    assert session.scalar(select(func.count()).select_from(PaymentChannel)) == 0
    added = office.post(
        "/funding/channels",
        data={"name": "Bank Sumut", "instructions": "VA 77 + NIK", "position": "1", "active": "1", "csrf_token": token},
    )
    assert added.status_code == 303
    [channel] = session.scalars(select(PaymentChannel)).all()
    assert (channel.name, channel.active, channel.updated_by) == ("Bank Sumut", True, "cabang.test")
    hidden = office.post(
        "/funding/channels",
        data={"channel_id": str(channel.id), "name": "Bank Sumut", "instructions": "", "csrf_token": token},
    )
    assert hidden.status_code == 303
    assert not channel.active
    worker = worker_principal(session, 3701)
    assert client_as(session, worker).get("/funding/channels").status_code == 403
