"""The office's money work in the browser (issue 22 point 2), on both databases: a payment by hand, a statement
upload with its line-by-line result, a member's payment history, sponsors and programmes, and the billing run
started from its page. Each form: good input, empty, wrong format, out of territory, double submit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.webclient import client_as

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.funding.jobs import run_billing
from jangkau.funding.ledger.service import payment_history
from jangkau.funding.models import Bill, BillLine, Payer, Payment, PaymentReview, Programme, StatementImport
from jangkau.kit.months import Month
from jangkau.tasks.models import TaskRecord

from .conftest import OTHER_VILLAGE, VILLAGE, Town

Units = Callable[[], AbstractContextManager[Session]]
MARCH = Month(2026, 3)
PASSWORD = "rahasia-panjang-1"


def count(session: Session, model: type, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.fixture
def officer(session: Session) -> TestClient:
    """A branch officer of one village (the town's other village is outside the territory)."""
    user = create_user(session, NewUser("kasir.uji", "Kasir", Role.BRANCH_OFFICER, PASSWORD, (VILLAGE,)), OPERATOR)
    return client_as(session, Principal(user.id, user.username, Role.BRANCH_OFFICER, (VILLAGE,)))


@pytest.fixture
def billed(session: Session, town: Town, units: Units) -> Town:
    run_billing(units, MARCH)
    return town


def tokens(client: TestClient, url: str) -> dict[str, str]:
    """GET a page (sets the CSRF cookie) and read the tokens of its first form."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    form = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert csrf
    return {"csrf_token": csrf.group(1), **({"form_token": form.group(1)} if form else {})}


def bill_of(session: Session, membership_id: int) -> Bill:
    return session.scalars(
        select(Bill).join(BillLine, BillLine.bill_id == Bill.id).where(BillLine.membership_id == membership_id)
    ).first()  # type: ignore[return-value]


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<span class="field-error" id="error-{field}">([^<]*)</span>', page)
    assert found, f"no error next to {field}"
    return found.group(1)


# --- a payment by hand ---------------------------------------------------------------------------------------


def test_payment_by_bill_reference_typed_the_indonesian_way_is_recorded_once(
    officer: TestClient, session: Session, billed: Town
) -> None:
    bill = bill_of(session, billed.bpu[0].id)
    form = tokens(officer, "/funding/payments/new")
    body = {**form, "target": bill.reference.lower(), "amount": "Rp 16.800", "paid_on": "10/03/2026",
            "channel": "bank_sumut", "external_ref": ""}  # fmt: skip
    first = officer.post("/funding/payments/new", data=body)
    assert first.status_code == 303, first.text
    again = officer.post("/funding/payments/new", data=body)  # a double click
    assert again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert count(session, Payment, Payment.bill_id == bill.id) == 1
    page = officer.get(first.headers["location"])
    assert "Rp16.800" in page.text
    assert bill.reference in page.text


def test_payment_by_member_nik_pays_the_oldest_open_bill_of_its_payer(
    officer: TestClient, session: Session, billed: Town
) -> None:
    member = billed.people[billed.bpu[1].person_id]
    form = tokens(officer, "/funding/payments/new")
    body = {**form, "target": member.nik, "amount": "150.000", "paid_on": "2026-03-10", "channel": "bri",
            "external_ref": "TRX-77"}  # fmt: skip
    assert officer.post("/funding/payments/new", data=body).status_code == 303
    payment = session.scalars(select(Payment).where(Payment.external_ref == "TRX-77")).one()
    assert payment.bill_id == bill_of(session, billed.bpu[1].id).id
    assert payment.amount == 150_000
    # the same channel transaction typed again on a fresh form is refused next to its field
    again = officer.post("/funding/payments/new", data={**body, **tokens(officer, "/funding/payments/new")})
    assert again.status_code == 422
    assert field_error(again.text, "external_ref")
    assert count(session, Payment, Payment.external_ref == "TRX-77") == 1


def test_payment_form_names_each_bad_field_keeps_the_values_and_saves_nothing(
    officer: TestClient, session: Session, billed: Town
) -> None:
    empty = officer.post("/funding/payments/new", data={**tokens(officer, "/funding/payments/new"), "channel": ""})
    assert empty.status_code == 422
    for field in ("target", "amount", "paid_on", "channel"):
        assert field_error(empty.text, field)
    bad = {**tokens(officer, "/funding/payments/new"), "target": "BPU-NOPE", "amount": "seratus ribu",
           "paid_on": "31/02/2026", "channel": "bank_sumut"}  # fmt: skip
    refused = officer.post("/funding/payments/new", data=bad)
    assert refused.status_code == 422
    assert 'value="seratus ribu"' in refused.text
    assert 'value="BPU-NOPE"' in refused.text
    for field in ("target", "amount", "paid_on"):
        assert field_error(refused.text, field)
    future = {
        **bad,
        **tokens(officer, "/funding/payments/new"),
        "paid_on": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
    }
    assert field_error(officer.post("/funding/payments/new", data=future).text, "paid_on")
    assert count(session, Payment) == 0


def test_payment_for_a_bill_or_member_outside_the_territory_is_refused(
    officer: TestClient, session: Session, billed: Town
) -> None:
    outside = billed.bpu[2]  # lives in the other village
    bill = bill_of(session, outside.id)
    body = {**tokens(officer, "/funding/payments/new"), "target": bill.reference, "amount": "16.800",
            "paid_on": "2026-03-10", "channel": "bank_sumut"}  # fmt: skip
    refused = officer.post("/funding/payments/new", data=body)
    assert refused.status_code == 422
    assert bill.reference in field_error(refused.text, "target")
    nik = billed.people[outside.person_id].nik
    by_nik = officer.post(
        "/funding/payments/new", data={**body, **tokens(officer, "/funding/payments/new"), "target": nik}
    )
    assert by_nik.status_code == 422
    assert field_error(by_nik.text, "target")
    assert count(session, Payment) == 0


# --- a statement upload --------------------------------------------------------------------------------------


def upload(client: TestClient, content: bytes, name: str = "mutasi.csv", channel: str = "bank_sumut") -> Any:
    form = tokens(client, "/funding/statements")
    return client.post("/funding/statements", data={**form, "channel": channel}, files={"file": (name, content)})


def test_statement_lists_every_rejected_or_unmatched_line_and_never_pays_twice(
    officer: TestClient, session: Session, billed: Town
) -> None:
    mine, outside = bill_of(session, billed.bpu[0].id), bill_of(session, billed.bpu[2].id)
    csv = (
        "referensi;jumlah;tanggal\n"
        f"{mine.reference};Rp16.800;10/03/2026\n"
        f"{mine.reference};enam belas ribu;10/03/2026\n"
        "BPU-209901-999;16.800;10/03/2026\n"
        f"{outside.reference};16.800;10/03/2026\n"
    ).encode()
    first = upload(officer, csv)
    assert first.status_code == 303, first.text
    page = officer.get(first.headers["location"])
    assert page.status_code == 200
    rows = re.findall(r"<tr>\s*<td>(\d+)</td><td>([^<]*)</td>", page.text)
    assert [int(n) for n, _ in rows] == [3, 4, 5]
    assert "BPU-209901-999" in rows[1][1]
    assert outside.reference in rows[2][1]
    assert count(session, Payment, Payment.bill_id == mine.id) == 1
    again = upload(officer, csv)  # the same file next day: nothing is paid twice
    assert again.status_code == 303
    statement = session.get(StatementImport, int(again.headers["location"].rsplit("/", 1)[1]))
    assert statement is not None
    assert (statement.recorded, statement.duplicates, statement.rejected) == (0, 4, 0)
    assert count(session, Payment, Payment.bill_id == mine.id) == 1
    assert count(session, PaymentReview) == 3


def test_statement_upload_refusals_are_shown_next_to_the_fields(officer: TestClient, session: Session) -> None:
    empty = officer.post("/funding/statements", data={**tokens(officer, "/funding/statements"), "channel": "x"})
    assert empty.status_code == 422
    assert field_error(empty.text, "file")
    assert field_error(empty.text, "channel")
    header = upload(officer, b"nama,nominal\nAni,16800\n")
    assert header.status_code == 422
    assert field_error(header.text, "file")
    not_csv = upload(officer, b"\x89PNG\r\n\x1a\n\xff\xfe", name="mutasi.csv")
    assert not_csv.status_code == 422
    assert count(session, StatementImport) == 0


def test_statement_double_submit_imports_once(officer: TestClient, session: Session, billed: Town) -> None:
    bill = bill_of(session, billed.bpu[0].id)
    form = tokens(officer, "/funding/statements")
    content = f"reference,amount,date\n{bill.reference},16800,2026-03-10\n".encode()
    answers = [
        officer.post("/funding/statements", data={**form, "channel": "bri"}, files={"file": ("m.csv", content)})
        for _ in range(2)
    ]
    assert answers[0].headers["location"] == answers[1].headers["location"]
    assert count(session, StatementImport) == 1


# --- a member's payment history ------------------------------------------------------------------------------


def test_payment_history_month_by_month_and_outside_the_territory_is_404(
    officer: TestClient, session: Session, billed: Town, units: Units
) -> None:
    member = billed.bpu[0]
    run_billing(units, Month(2026, 4))
    body = {**tokens(officer, "/funding/payments/new"), "target": bill_of(session, member.id).reference,
            "amount": "16.800", "paid_on": "2026-03-10", "channel": "bank_sumut"}  # fmt: skip
    assert officer.post("/funding/payments/new", data=body).status_code == 303
    history = payment_history(session, member.person_id, (VILLAGE,))
    assert [str(Month.of(m["month"])) for m in history["months"]] == ["2026-04", "2026-03"]
    march = history["months"][1]
    assert march["all_paid"] is True
    assert march["received"] == 16_800
    assert history["months"][0]["all_paid"] is False
    page = officer.get(f"/funding/members/{member.person_id}/payments")
    assert page.status_code == 200
    assert 'id="payment-history"' in page.text
    assert "Rp16.800" in page.text
    assert officer.get(f"/funding/members/{billed.bpu[2].person_id}/payments").status_code == 404


# --- sponsors and programmes ---------------------------------------------------------------------------------


@pytest.fixture
def city_officer(session: Session) -> TestClient:
    user = create_user(
        session, NewUser("anggaran.uji", "Anggaran", Role.BRANCH_OFFICER, PASSWORD, ("12.71",)), OPERATOR
    )
    return client_as(session, Principal(user.id, user.username, Role.BRANCH_OFFICER, ("12.71",)))


def test_sponsor_form_good_empty_outside_and_double_submit(city_officer: TestClient, session: Session) -> None:
    form = tokens(city_officer, "/funding/sponsors")
    body = {**form, "kind": "dana_desa", "name": "Dana Desa Kelurahan Uji", "region_code": "1271011001", "phone": ""}
    first = city_officer.post("/funding/sponsors", data=body)
    assert first.status_code == 303, first.text
    assert city_officer.post("/funding/sponsors", data=body).headers["location"] == first.headers["location"]
    assert count(session, Payer, Payer.name == "Dana Desa Kelurahan Uji") == 1
    empty = city_officer.post("/funding/sponsors", data={**tokens(city_officer, "/funding/sponsors"), "kind": "bank"})
    assert empty.status_code == 422
    assert field_error(empty.text, "kind")
    assert field_error(empty.text, "name")
    outside = {**body, **tokens(city_officer, "/funding/sponsors"), "kind": "apbd", "region_code": "12.72",
               "name": "APBD Pematangsiantar"}  # fmt: skip
    refused = city_officer.post("/funding/sponsors", data=outside)
    assert refused.status_code == 422
    assert field_error(refused.text, "region_code")
    assert 'value="APBD Pematangsiantar"' in refused.text
    village_needed = {**outside, **tokens(city_officer, "/funding/sponsors"), "kind": "apbdes", "region_code": "12.71"}
    assert field_error(city_officer.post("/funding/sponsors", data=village_needed).text, "region_code")
    assert count(session, Payer, Payer.name == "APBD Pematangsiantar") == 0
    sponsor = session.scalars(select(Payer).where(Payer.name == "Dana Desa Kelurahan Uji")).one()
    edit = tokens(city_officer, f"/funding/sponsors/{sponsor.id}/edit")
    blank = city_officer.post(f"/funding/sponsors/{sponsor.id}/edit", data={**edit, "name": "", "region_code": "x"})
    assert blank.status_code == 422
    assert field_error(blank.text, "name")
    saved = city_officer.post(
        f"/funding/sponsors/{sponsor.id}/edit", data={**edit, "name": "Dana Desa Uji", "region_code": "12.71.01.1001"}
    )
    assert saved.status_code == 303
    session.refresh(sponsor)
    assert sponsor.name == "Dana Desa Uji"


def programme_body(form: dict[str, str], sponsor_id: int, **extra: Any) -> dict[str, Any]:
    return {**form, "payer_id": str(sponsor_id), "name": "Pekerja rentan 2026", "declared_income": "1.000.000",
            "start_month": "2026-03", "months": "12", "budget": "Rp 2.300.000", "quota": "",
            "region_prefix": "12.71.01",
            "occupations": ["pengemudi_becak", "nelayan"], "vulnerable_only": "1", "min_age": "18", "max_age": "60",
            **extra}  # fmt: skip


def test_programme_form_good_bad_outside_double_submit_and_edit(
    city_officer: TestClient, session: Session, town: Town
) -> None:
    sponsor = Payer(kind="csr_bumn", name="CSR Bank Uji")
    session.add(sponsor)
    session.flush()
    form = tokens(city_officer, f"/funding/programmes/new?sponsor={sponsor.id}")
    first = city_officer.post("/funding/programmes/new", data=programme_body(form, sponsor.id))
    assert first.status_code == 303, first.text
    again = city_officer.post("/funding/programmes/new", data=programme_body(form, sponsor.id))
    assert again.headers["location"] == first.headers["location"]
    programme = session.scalars(select(Programme).where(Programme.payer_id == sponsor.id)).one()
    assert (programme.budget, programme.occupations, programme.min_age) == (2_300_000, "pengemudi_becak,nelayan", 18)
    assert programme.vulnerable_only
    fresh = tokens(city_officer, "/funding/programmes/new")
    empty = city_officer.post("/funding/programmes/new", data={**fresh, "payer_id": "", "start_month": "maret"})
    assert empty.status_code == 422
    for field in ("payer_id", "name", "budget", "start_month"):
        assert field_error(empty.text, field)
    bad = programme_body(fresh, sponsor.id, budget="dua juta", region_prefix="12.72", max_age="200")
    refused = city_officer.post("/funding/programmes/new", data=bad)
    assert refused.status_code == 422
    for field in ("budget", "region_prefix", "max_age"):
        assert field_error(refused.text, field)
    assert 'value="dua juta"' in refused.text
    assert 'value="nelayan" checked' in refused.text
    too_small = programme_body(tokens(city_officer, "/funding/programmes/new"), sponsor.id, budget="10.000")
    assert field_error(city_officer.post("/funding/programmes/new", data=too_small).text, "budget")
    assert count(session, Programme, Programme.payer_id == sponsor.id) == 1
    edit_url = f"/funding/programmes/{programme.id}/edit"
    edited = city_officer.post(edit_url, data=programme_body(tokens(city_officer, edit_url), sponsor.id,
                                                             budget="3.000.000", occupations=[]))  # fmt: skip
    assert edited.status_code == 303, edited.text
    session.refresh(programme)
    assert (programme.budget, programme.occupations) == (3_000_000, None)


# --- the billing run from its page ---------------------------------------------------------------------------


def test_billing_run_started_from_the_page_once_and_followed_to_its_result(
    officer: TestClient, session: Session, town: Town, units: Units
) -> None:
    form = tokens(officer, "/funding/billing")
    with factories.tasks_at_once(units):
        first = officer.post("/funding/billing", data={**form, "month": "2026-03"})
        assert first.status_code == 303, first.text
        assert (
            officer.post("/funding/billing", data={**form, "month": "2026-03"}).headers["location"]
            == (first.headers["location"])
        )
        closed = officer.post("/funding/billing", data={**tokens(officer, "/funding/billing"), "month": "2026-03"})
        assert closed.status_code == 409  # a done run of a finished month is not run again
        bad = officer.post("/funding/billing", data={**tokens(officer, "/funding/billing"), "month": "maret"})
        assert bad.status_code == 422
        assert 'value="maret"' in bad.text
    assert count(session, TaskRecord, TaskRecord.name == "billing.run") == 1
    page = officer.get(first.headers["location"])
    assert page.status_code == 200
    assert 'data-status="done"' in page.text
    assert 'http-equiv="refresh"' not in page.text
    created = re.search(r'id="bills-created">([\d.]+)<', page.text)
    assert created
    assert int(created.group(1).replace(".", "")) == count(session, Bill, Bill.month == MARCH.first_day())


def test_a_running_run_page_refreshes_itself(officer: TestClient, session: Session) -> None:
    record = TaskRecord(name="billing.run", period="2026-03", status="running", started_by="kasir.uji", attempts=1)
    session.add(record)
    session.flush()
    page = officer.get(f"/funding/billing/{record.id}")
    assert 'http-equiv="refresh"' in page.text
    other = TaskRecord(name="compliance.scan", period="2026-03", status="done", started_by="kasir.uji", attempts=1)
    session.add(other)
    session.flush()
    assert officer.get(f"/funding/billing/{other.id}").status_code == 404


__all__ = ["OTHER_VILLAGE"]


def test_statement_as_xlsx_and_an_empty_file_field_from_a_browser(
    officer: TestClient, session: Session, billed: Town
) -> None:
    import io

    from openpyxl import Workbook

    bill = bill_of(session, billed.bpu[0].id)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Referensi", "Jumlah", "Tanggal", "ID Transaksi"])
    sheet.append([bill.reference, 16800, dt.date(2026, 3, 10), "TRX-1"])
    sheet.append(["BPU-000000-1", 16800, dt.date(2026, 3, 10), "TRX-2"])
    content = io.BytesIO()
    book.save(content)
    answer = upload(officer, content.getvalue(), name="mutasi.xlsx", channel="bri")
    assert answer.status_code == 303, answer.text
    page = officer.get(answer.headers["location"]).text
    assert re.search(r'id="count-recorded">1<', page)
    assert re.search(r'id="count-rejected">1<', page)
    # the transaction on the statement is the one typed by hand next: it is not recorded twice
    body = {**tokens(officer, "/funding/payments/new"), "target": bill.reference, "amount": "16.800",
            "paid_on": "2026-03-10", "channel": "bri", "external_ref": "TRX-1"}  # fmt: skip
    assert field_error(officer.post("/funding/payments/new", data=body).text, "external_ref")
    nothing = officer.post(
        "/funding/statements",
        data={**tokens(officer, "/funding/statements"), "channel": "bri"},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert nothing.status_code == 422
    assert field_error(nothing.text, "file")


def test_programme_edit_keeps_commitments_and_territory(city_officer: TestClient, session: Session, town: Town) -> None:
    sponsor = Payer(kind="apbd", name="APBD Kota Medan", region_code="12.71")
    faraway = Payer(kind="apbd", name="APBD Kota Binjai", region_code="12.75")
    session.add_all([sponsor, faraway])
    session.flush()
    form = tokens(city_officer, "/funding/programmes/new")
    assert city_officer.post("/funding/programmes/new", data=programme_body(form, sponsor.id)).status_code == 303
    programme = session.scalars(select(Programme).where(Programme.payer_id == sponsor.id)).one()
    other = Programme(payer_id=faraway.id, name="Binjai", programs="jkk,jkm", declared_income=1_000_000,
                      start_month=dt.date(2026, 3, 1), months=12, budget=1_000_000)  # fmt: skip
    session.add(other)
    session.flush()
    assert city_officer.get(f"/funding/programmes/{other.id}/edit").status_code == 404
    assert city_officer.get(f"/funding/sponsors/{faraway.id}/edit").status_code == 404
    outside = programme_body(tokens(city_officer, "/funding/programmes/new"), faraway.id, name="Binjai 2")
    assert field_error(city_officer.post("/funding/programmes/new", data=outside).text, "payer_id")
    member = town.bpu[0]
    from jangkau.funding.service import enrol

    enrol(session, programme.id, member.id, "uji", dt.date(2026, 3, 5))
    edit_url = f"/funding/programmes/{programme.id}/edit"
    low = programme_body(tokens(city_officer, edit_url), sponsor.id, budget="1.000", quota="0",
                         occupations=["astronot"])  # fmt: skip
    refused = city_officer.post(edit_url, data=low)
    assert refused.status_code == 422
    for field in ("budget", "quota", "occupations"):
        assert field_error(refused.text, field)
    session.refresh(programme)
    assert programme.budget == 2_300_000
