"""Claims against the ledger on SQLite and PostgreSQL: filing, refusals, the workflow, the SLA and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.models import AuditEvent
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.claims import process
from jangkau.claims.jht import JhtStatementIn, jht_statement
from jangkau.claims.schemas import (
    ClaimIn,
    DocumentIn,
    DocumentRequestIn,
    DocumentsArrivedIn,
    HandoverIn,
    PayIn,
    RejectIn,
    VerifyIn,
)
from jangkau.claims.service import claim_detail, file_claim, find_claim, quote_claim
from jangkau.errors import Conflict, InvalidInput, NotFound
from jangkau.funding.models import Bill, BillLine, PaidMonth, Payer
from jangkau.kit.months import Month

from .conftest import AGENT, CHECKER, MAKER, OTHER_AGENT, TODAY, Family, employer, membership, months, pay, person

HEIRS = [
    {"full_name": "Siti Aminah", "relationship": "spouse"},
    {"full_name": "Rina", "relationship": "child"},
    {"full_name": "Dodi", "relationship": "child"},
]


def jkm(nik: str, **extra: Any) -> ClaimIn:
    data: dict[str, Any] = {"type": "jkm", "nik": nik, "event_date": "2026-01-20", "heirs": HEIRS}
    data.update(extra)
    return ClaimIn.model_validate(data)


def complete(session: Session, reference: str) -> None:
    for code in ("akta_kematian", "ktp", "kk", "kartu_peserta", "ktp_ahli_waris", "surat_ahli_waris", "buku_tabungan"):
        process.receive_document(session, reference, DocumentIn(code=code), MAKER, TODAY)


def test_jkm_claim_from_filing_to_handover(session: Session, family: Family) -> None:
    claim = file_claim(session, jkm(family.worker.nik), AGENT, TODAY)
    ref = claim.reference or ""
    assert ref.startswith("KLM-2026-")
    assert (claim.status, claim.eligible, claim.amount) == ("submitted", True, 42_000_000)
    assert claim.reporter_kind == "agent"
    view = claim_detail(session, claim, family.worker, MAKER, TODAY).model_dump(by_alias=True)
    assert [h["amount"] for h in view["heirs"]] == [14_000_000, 14_000_000, 14_000_000]
    assert {r["id"] for r in view["assessment"]["rules"]} >= {"jkm_benefits", "coverage_bpu", "claim_heirs"}
    assert any("UNCONFIRMED" in w and "same rank" in w for w in view["assessment"]["warnings"])

    complete(session, ref)
    assert claim.status == "documents_complete"
    assert claim.sla_due_on == dt.date(2026, 2, 11)  # 7 working days after Monday 2 February

    process.verify_claim(session, ref, VerifyIn(), MAKER)
    with pytest.raises(Conflict) as same:
        process.approve_claim(session, ref, MAKER)
    assert same.value.code == "same_officer"
    process.approve_claim(session, ref, CHECKER)
    with pytest.raises(InvalidInput):
        process.pay_claim(session, ref, PayIn(paid_on=dt.date(2026, 2, 20)), MAKER, TODAY)
    process.pay_claim(session, ref, PayIn(paid_on=dt.date(2026, 2, 14)), MAKER, dt.date(2026, 2, 16))
    assert (claim.status, claim.days_late, claim.late_compensation) == ("paid", 3, 1_260_000)  # 3 x 1 % of 42M

    process.record_handover(
        session,
        ref,
        HandoverIn(event_name="Penyerahan santunan JKM", held_on=dt.date(2026, 2, 16), place="Kantor Camat Medan Kota",
                   received_by="Siti Aminah", handed_by="Wali Kota Medan", witnesses=["Lurah", "Kepling"]),
        MAKER,
    )  # fmt: skip
    view = claim_detail(session, claim, family.worker, MAKER, dt.date(2026, 2, 16)).model_dump(by_alias=True)
    assert [e["action"] for e in view["history"]][-4:] == ["verify", "approve", "pay", "handover"]
    assert view["handovers"][0]["amount"] == 43_260_000
    assert view["handovers"][0]["witnesses"] == ["Lurah", "Kepling"]
    audited = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "claim", AuditEvent.entity_id == claim.reference)
    ).all()
    assert {"create", "claim_complete_documents", "claim_verify", "claim_approve", "claim_pay"} <= set(audited)


def test_refusals_name_the_reason(session: Session, family: Family) -> None:
    with pytest.raises(InvalidInput) as none:
        file_claim(session, jkm(family.unregistered.nik), AGENT, TODAY)
    assert none.value.code == "no_membership"
    with pytest.raises(InvalidInput) as future:
        file_claim(session, jkm(family.worker.nik, event_date="2026-03-01"), AGENT, TODAY)
    assert future.value.code == "event_in_future"
    sibling = [*HEIRS, {"full_name": "Adik", "relationship": "sibling"}]
    with pytest.raises(InvalidInput) as order:
        file_claim(session, jkm(family.worker.nik, heirs=sibling), AGENT, TODAY)
    assert order.value.code == "heirs_not_in_order"
    assert "rank 3" in order.value.message
    with pytest.raises(InvalidInput) as no_heirs:
        file_claim(session, jkm(family.worker.nik, heirs=[]), AGENT, TODAY)
    assert no_heirs.value.fields[0].field == "heirs"

    first = file_claim(session, jkm(family.worker.nik), AGENT, TODAY)
    with pytest.raises(Conflict) as twice:
        file_claim(session, jkm(family.worker.nik), MAKER, TODAY)
    assert twice.value.details["reference"] == first.reference
    process.reject_claim(session, first.reference or "", RejectIn(reason="Akta kematian palsu"), MAKER)
    again = file_claim(session, jkm(family.worker.nik), AGENT, TODAY)  # a rejected claim may be filed again
    assert again.reference != first.reference


def test_impossible_transitions_are_refused(session: Session, family: Family) -> None:
    claim = file_claim(session, jkm(family.worker.nik), AGENT, TODAY)
    with pytest.raises(Conflict) as pay:
        process.pay_claim(session, claim.reference or "", PayIn(paid_on=TODAY), MAKER, TODAY)
    assert pay.value.code == "transition_refused"
    with pytest.raises(Conflict):
        process.verify_claim(session, claim.reference or "", VerifyIn(), MAKER)
    process.reject_claim(session, claim.reference or "", RejectIn(reason="Bukan peserta aktif"), MAKER)
    with pytest.raises(Conflict):
        process.reject_claim(session, claim.reference or "", RejectIn(reason="lagi lagi"), MAKER)
    assert claim.status == "rejected"


def test_claims_outside_the_territory_are_not_found(session: Session, family: Family) -> None:
    claim = file_claim(session, jkm(family.worker.nik), AGENT, TODAY)
    with pytest.raises(NotFound):
        find_claim(session, claim.reference or "", OTHER_AGENT)
    with pytest.raises(NotFound):
        file_claim(session, jkm(family.worker.nik, event_date="2026-01-21"), OTHER_AGENT, TODAY)


def test_a_death_after_the_membership_lapsed_is_not_covered(session: Session) -> None:
    worker = person(session, 311)
    member = membership(session, worker)
    pay(session, member, months(Month(2022, 1), Month(2024, 12)))
    _, assessment = quote_claim(session, jkm(worker.nik), AGENT, TODAY)
    assert assessment.eligible is False
    cover = next(r for r in assessment.reasons if r.code == "cover")
    assert cover.ok is False
    assert "ended" in cover.message
    claim = file_claim(session, jkm(worker.nik), AGENT, TODAY)  # filed so that it can be rejected with the reason
    complete(session, claim.reference or "")
    with pytest.raises(Conflict) as refused:
        process.verify_claim(session, claim.reference or "", VerifyIn(), MAKER)
    assert refused.value.code == "not_eligible"


def test_contribution_months_and_deadlines_from_the_ledger(session: Session) -> None:
    worker = person(session, 321)
    member = membership(session, worker, programs=["jkk", "jkm"], start_date=dt.date(2024, 6, 1))
    pay(session, member, months(Month(2024, 6), Month(2026, 1)))  # 20 months: no scholarship (36)
    _, death = quote_claim(session, jkm(worker.nik, heirs=[]), AGENT, TODAY)
    scholarship = next(r for r in death.reasons if r.code == "scholarship")
    assert "20 contribution months" in scholarship.message
    assert "not included" in scholarship.message

    employee = person(session, 322)
    pu = membership(session, employee, segment="pu", programs=["jkk", "jkm", "jht", "jp"], declared_income=None,
                    wage=7_000_000, employer_id=employer(session).id)  # fmt: skip
    pay(session, pu, months(Month(2025, 4), Month(2025, 12)))  # 9 months: JKP needs 12 of 24
    jkp = ClaimIn(type="jkp", nik=employee.nik, event_date=dt.date(2025, 12, 31))
    _, job_loss = quote_claim(session, jkp, AGENT, TODAY)
    assert job_loss.eligible is False
    assert any("9 contribution months" in r.message for r in job_loss.reasons)
    assert job_loss.amount == 18_000_000  # 60 % x Rp5,000,000 cap x 6

    old = ClaimIn(type="jkk", benefit="temporary_disability", nik=employee.nik, event_date=dt.date(2020, 1, 6),
                  months_unable=2)  # fmt: skip
    _, accident = quote_claim(session, old, AGENT, TODAY)
    deadline = next(r for r in accident.reasons if r.code == "deadline")
    assert deadline.ok is False
    assert "2025-01-06" in deadline.message


def test_partial_jht_before_ten_years_is_refused_at_filing(session: Session) -> None:
    employee = person(session, 331)
    pu = membership(session, employee, segment="pu", programs=["jkk", "jkm", "jht"], declared_income=None,
                    wage=4_000_000, employer_id=employer(session).id, start_date=dt.date(2022, 1, 5))  # fmt: skip
    pay(session, pu, months(Month(2022, 1), Month(2025, 12)))
    partial = ClaimIn(type="jht", benefit="partial_other", nik=employee.nik, event_date=dt.date(2026, 1, 20))
    _, quote = quote_claim(session, partial, AGENT, TODAY)
    assert quote.eligible is False  # the quote shows why
    with pytest.raises(InvalidInput) as refused:
        file_claim(session, partial, AGENT, TODAY)
    assert refused.value.code == "jht_partial_refused"
    assert "under the 120 required" in refused.value.message


def test_the_clock_stops_while_documents_asked_from_the_family_are_awaited(session: Session, family: Family) -> None:
    claim = file_claim(session, jkm(family.worker.nik), AGENT, TODAY)
    ref = claim.reference or ""
    with pytest.raises(Conflict) as early:
        process.request_documents(session, ref, DocumentRequestIn(documents="surat keterangan"), MAKER, TODAY)
    assert early.value.code == "clock_not_running"
    complete(session, ref)  # complete on Monday 2 February: deadline Wednesday 11 February
    asked = DocumentRequestIn(documents="akta kematian yang terbaca", requested_on=dt.date(2026, 2, 4))
    process.request_documents(session, ref, asked, MAKER, dt.date(2026, 2, 4))
    waiting = claim_detail(session, claim, family.worker, MAKER, dt.date(2026, 2, 6)).model_dump(by_alias=True)["sla"]
    assert (waiting["paused"], waiting["office_days"], waiting["waiting_days"]) == (True, 2, 2)
    process.verify_claim(session, ref, VerifyIn(), MAKER)
    process.approve_claim(session, ref, CHECKER)
    with pytest.raises(Conflict) as not_yet:
        process.pay_claim(session, ref, PayIn(paid_on=dt.date(2026, 2, 6)), MAKER, dt.date(2026, 2, 6))
    assert not_yet.value.code == "waiting_documents"
    process.documents_arrived(
        session, ref, DocumentsArrivedIn(arrived_on=dt.date(2026, 2, 9)), MAKER, dt.date(2026, 2, 9)
    )
    # 3 working days stopped (5, 6, 9 February) move the deadline from 11 to 18 February (16-17 are holidays)
    assert claim.sla_due_on == dt.date(2026, 2, 18)
    process.pay_claim(session, ref, PayIn(paid_on=dt.date(2026, 2, 20)), MAKER, dt.date(2026, 2, 20))
    assert (claim.days_late, claim.late_compensation) == (2, 840_000)  # not 9 days: only the office's days count
    sla = claim_detail(session, claim, family.worker, MAKER, dt.date(2026, 2, 20)).model_dump(by_alias=True)["sla"]
    assert (sla["office_days"], sla["waiting_days"]) == (9, 3)


def test_a_worker_reads_their_own_jht_account_and_downloads_it(session: Session) -> None:
    employee = person(session, 341)
    pu = membership(session, employee, segment="pu", programs=["jkk", "jkm", "jht"], declared_income=None,
                    wage=4_000_000, employer_id=employer(session).id, start_date=dt.date(2025, 1, 5))  # fmt: skip
    payer = Payer(kind="employer", name="CV Klaim", employer_id=pu.employer_id)
    session.add(payer)
    session.flush()
    for month in months(Month(2025, 1), Month(2025, 3)):  # JKK 0.24 % + JKM 0.3 % + JHT 5.7 % of Rp4,000,000
        bill = Bill(reference=f"J-{month}", payer_id=payer.id, month=month.first_day(), kind="pu",
                    due_on=month.plus(1).day(15), amount=249_600)  # fmt: skip
        session.add(bill)
        session.flush()
        session.add(BillLine(bill_id=bill.id, membership_id=pu.id, person_id=employee.id, month=month.first_day(),
                             amount=249_600))  # fmt: skip
        session.add(PaidMonth(membership_id=pu.id, month=month.first_day(), bill_id=bill.id, paid_on=month.day(20)))
    session.flush()
    worker = Principal(None, "pekerja", Role.WORKER, ("12.71",), person_id=employee.id)
    page = client_as(session, worker).get("/claims/jht")
    assert page.status_code == 200
    assert 'id="jht-balance"' in page.text
    statement = jht_statement(session, JhtStatementIn(nik=employee.nik, as_of=dt.date(2025, 3, 31)), worker,
                              dt.date(2025, 3, 31))  # fmt: skip
    account = statement["accounts"][0]
    assert account["contributions"] == 3 * 228_000  # the JHT part of each paid bill line: 5.7 %
    assert account["balance"] == 228_000 + 1_045 + 228_000 + 2_095 + 228_000  # returns at 5.5 % / 12 a month
    pdf = client_as(session, worker).get("/claims/jht.pdf")
    assert (pdf.status_code, pdf.content[:4]) == (200, b"%PDF")
    officer = client_as(session, MAKER).get("/claims/jht")
    assert officer.status_code == 404  # officers use the API or the CLI with a NIK
    resigned = ClaimIn(type="jht", benefit="full", nik=employee.nik, event_date=dt.date(2025, 3, 20),
                       jht_trigger="resignation")  # fmt: skip
    claim = file_claim(session, resigned, AGENT, dt.date(2025, 3, 31))
    assert claim.amount == account["balance"]  # the account's balance, not a typed amount
    shown = client_as(session, MAKER).get(f"/claims/{claim.reference}").text
    assert 'id="jht-years"' in shown
    assert "687.140" in shown
