"""Sponsors, enrolment within budget, payments and statements, coverage, lapse and reminders."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.errors import Conflict, InvalidInput, NotFound
from jangkau.funding.jobs import run_billing, run_lapse
from jangkau.funding.models import Bill, PaymentReview
from jangkau.funding.reminders import queue_reminders
from jangkau.funding.reports import lapse_list, sponsor_statement, statement_pdf, statement_xlsx
from jangkau.funding.schemas import PaymentIn, ProgrammeIn, SponsorIn
from jangkau.funding.service import (
    create_programme,
    create_sponsor,
    enrol,
    membership_coverage,
    programme_summary,
    record_payment,
)
from jangkau.funding.statements import import_statement
from jangkau.kit.months import Month
from jangkau.notify import clock, consent
from jangkau.notify import service as notify
from jangkau.notify.models import Message

from .conftest import TODAY, VILLAGE, Town

Units = Callable[[], AbstractContextManager[Session]]
MARCH = Month(2026, 3)


def village_fund(session: Session, budget: int, **criteria: object) -> int:
    sponsor = create_sponsor(session, SponsorIn(kind="dana_desa", name="Dana Desa Aur", region_code=VILLAGE))
    data = {"payer_id": sponsor.id, "name": "Perlindungan pekerja rentan", "start_month": "2026-03", "months": 12}
    data.update(budget=budget, **criteria)
    return create_programme(session, ProgrammeIn.model_validate(data)).id


def bill_of(session: Session, kind: str, payer_id: int | None = None) -> Bill:
    query = select(Bill).where(Bill.kind == kind).order_by(Bill.id)
    if payer_id is not None:
        query = query.where(Bill.payer_id == payer_id)
    return session.scalars(query).first()  # type: ignore[return-value]


def test_enrolment_commits_the_whole_period_and_refuses_an_overrun(session: Session, town: Town) -> None:
    # 12 months x Rp16,800 = Rp201,600 per worker: Rp450,000 covers two workers, not three.
    programme = village_fund(session, 450_000, vulnerable_only=True)
    enrol(session, programme, town.bpu[0].id, "test", TODAY)
    enrol(session, programme, town.bpu[2].id, "test", TODAY)
    summary = programme_summary(session, programme)
    assert (summary["enrolled"], summary["committed"], summary["remaining"]) == (2, 403_200, 46_800)
    third = village_fund(session, 450_000)
    enrol(session, third, town.bpu[1].id, "test", TODAY)
    with pytest.raises(Conflict) as info:
        enrol(session, third, town.bpu[0].id, "test", TODAY)
    assert info.value.code == "already_sponsored"


def test_budget_overrun_and_criteria_are_refused_with_a_reason(session: Session, town: Town) -> None:
    programme = village_fund(session, 300_000, vulnerable_only=True)
    enrol(session, programme, town.bpu[0].id, "test", TODAY)
    with pytest.raises(Conflict) as overrun:
        enrol(session, programme, town.bpu[2].id, "test", TODAY)
    assert overrun.value.code == "budget_exceeded"
    assert "Rp98,400 is left" in overrun.value.message
    assert "Anggaran tidak cukup" in overrun.value.message_id
    with pytest.raises(InvalidInput, match="vulnerable"):
        enrol(session, programme, town.bpu[1].id, "test", TODAY)
    with pytest.raises(InvalidInput, match="membership is PU"):
        enrol(session, programme, town.pu[0].id, "test", TODAY)


def test_sponsor_gets_one_bill_and_payment_protects_and_activates(session: Session, town: Town, units: Units) -> None:
    programme = village_fund(session, 2_300_000_000)
    for membership in town.bpu[:2]:
        enrol(session, programme, membership.id, "test", TODAY)
    run_billing(units, MARCH)
    sponsor_bill = bill_of(session, "sponsor")
    assert sponsor_bill.amount == 2 * 16_800
    assert bill_of(session, "bpu").amount == 16_800  # the third worker pays for herself
    paid = record_payment(
        session, PaymentIn(reference=sponsor_bill.reference, amount=33_600, paid_on=dt.date(2026, 3, 10)), "test"
    )
    assert (paid["months_protected"], paid["activated"]) == (2, 2)
    coverage = membership_coverage(session, town.bpu[0].id, dt.date(2026, 3, 20))
    assert coverage["protected_until"] == "2026-03-31"
    assert coverage["registered_status"] == "active"
    statement = sponsor_statement(session, sponsor_bill.payer_id, MARCH, MARCH)
    assert statement["totals"] == {"workers": 2, "worker_months": 2, "billed": 33_600, "paid": 33_600, "outstanding": 0}
    assert statement["workers"][0]["nik"].count("*") == 6
    assert statement_xlsx(statement)[:2] == b"PK"
    assert statement_pdf(statement)[:4] == b"%PDF"


def test_bad_payments_are_refused(session: Session, town: Town, units: Units) -> None:
    run_billing(units, MARCH)
    with pytest.raises(NotFound, match="NOPE"):
        record_payment(session, PaymentIn(reference="NOPE", amount=1, paid_on=TODAY), "test")
    reference = bill_of(session, "pu").reference
    with pytest.raises(InvalidInput, match="positive"):
        record_payment(session, PaymentIn(reference=reference, amount=-5, paid_on=TODAY), "test")


def test_late_pu_payment_makes_a_two_percent_fine_bill(session: Session, town: Town, units: Units) -> None:
    run_billing(units, MARCH)
    pu = bill_of(session, "pu")
    result = record_payment(
        session, PaymentIn(reference=pu.reference, amount=pu.amount, paid_on=dt.date(2026, 5, 20)), "t"
    )
    fine = bill_of(session, "fine")
    assert result["fine_reference"] == fine.reference
    assert fine.amount == round(pu.amount * 0.04)  # two started months late x 2 %


def test_statement_import_matches_rejects_and_never_records_twice(
    session: Session, town: Town, units: Units, tmp_path: Path
) -> None:
    run_billing(units, MARCH)
    bpu = session.scalars(select(Bill).where(Bill.kind == "bpu").order_by(Bill.id)).all()
    csv = tmp_path / "mutasi.csv"
    csv.write_text(
        "tanggal;referensi;jumlah;id_transaksi\n"
        f"05/03/2026;{bpu[0].reference};16.800;T1\n"
        "05/03/2026;BPU-202603-999999;16.800;T2\n"
        f"06/03/2026;{bpu[1].reference};-5;T3\n"
        f"07/03/2026;{bpu[2].reference};abc;T4\n",
        encoding="utf-8",
    )
    first = import_statement(session, csv, "bank_sumut", "test")
    assert len(first.recorded) == 1
    assert {r["line"]: r["reason"][:20] for r in first.rejected} == {
        3: "No bill with referen",
        4: "amount: must be posi",
        5: "amount: not a Rupiah",
    }
    again = import_statement(session, csv, "bank_sumut", "test")
    assert (len(again.recorded), again.duplicates, again.rejected) == (0, 4, [])
    assert len(session.scalars(select(PaymentReview)).all()) == 3


def test_statement_with_wrong_header_or_encoding_is_refused(session: Session, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("date,who,how much\n2026-03-01,x,1\n")
    with pytest.raises(InvalidInput, match="wrong header"):
        import_statement(session, wrong, "bank", "test")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("tanggal,referensi,jumlah\n2026-03-01,Pe\xf1a,1\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="UTF-8"):
        import_statement(session, latin, "bank", "test")


def test_lapse_after_more_than_three_unpaid_months(session: Session, town: Town, units: Units) -> None:
    run_billing(units, MARCH)
    for bill in session.scalars(select(Bill).where(Bill.kind == "bpu")).all():
        record_payment(
            session, PaymentIn(reference=bill.reference, amount=bill.amount, paid_on=dt.date(2026, 3, 2)), "t"
        )
    assert run_lapse(session, dt.date(2026, 4, 20)).changed == {"lapsed": 3}
    assert run_lapse(session, dt.date(2026, 6, 20)).changed == {}
    ended = run_lapse(session, dt.date(2026, 7, 20))
    assert ended.changed == {"ended": 3}
    listing = lapse_list(session, ["12.71.01"], dt.date(2026, 7, 20))
    assert listing["total"] == 3
    assert [v["village_code"] for v in listing["villages"]] == ["12.71.01.1001", "12.71.01.1002"]
    assert lapse_list(session, ["12.71.01.1002"], dt.date(2026, 7, 20))["total"] == 1


def test_reminders_before_due_and_after_a_miss_in_bahasa_with_masked_log(
    session: Session, town: Town, units: Units, caplog: pytest.LogCaptureFixture
) -> None:
    run_billing(units, MARCH)
    caplog.set_level(logging.INFO)
    nobody = queue_reminders(session, dt.date(2026, 3, 13))
    assert (nobody.queued, nobody.skipped_no_consent) == (0, 3), "no consent given yet: nothing is sent"
    for person in town.people.values():
        consent.grant(session, person.id, "sms", person.phone or "", consent.Via.ENROLMENT_FORM)
    before = queue_reminders(session, dt.date(2026, 3, 13), now=dt.datetime(2026, 3, 13, 2, 0, tzinfo=dt.UTC))
    assert before.queued == 3  # the BPU workers (the employer's PU bill is due next month)
    assert "jatuh tempo 16 Maret 2026" in before.samples[0]
    assert queue_reminders(session, dt.date(2026, 3, 14)).queued == 0
    missed = queue_reminders(session, dt.date(2026, 3, 17), now=dt.datetime(2026, 3, 17, 2, 0, tzinfo=dt.UTC))
    assert missed.queued == 3
    assert "belum kami terima" in missed.samples[0]
    with clock.frozen_at(dt.datetime(2026, 3, 17, 3, 0, tzinfo=dt.UTC)):  # 10:00 WIB
        ids = notify.dispatch(session, clock.now(), 100)
        assert notify.send_batch(units, ids, final=True).sent == 6  # no provider configured: the log channel
    assert {m.status for m in session.scalars(select(Message))} == {"sent"}
    phones = [p.phone for p in town.people.values() if p.phone]
    assert "(no provider configured)" in caplog.text
    assert not any(phone in caplog.text or phone[1:] in caplog.text for phone in phones)
    assert not any(p.full_name in caplog.text for p in town.people.values())
