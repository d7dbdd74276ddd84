"""Pure parts of funding: tariffs agree with the rules engine, statement files are read or refused clearly."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.funding.models import Bill, Payer
from jangkau.funding.reminders import due_use, variables
from jangkau.funding.rules.tariffs import bpu_tariffs, pu_rates
from jangkau.funding.statements import header_map, read_rows
from jangkau.kit.months import Month
from jangkau.notify.templates import Use, render
from jangkau.rules import pu_contribution

MARCH = Month(2026, 3)


def sql_like_pu(wage: int, group: int, month: Month) -> int:
    """The billing SQL's arithmetic, in Python: half up per share, JP base capped."""
    rates, cap = pu_rates(month)
    total = 0
    for r in rates:
        if r.risk_group != group:
            continue
        base = min(wage, cap) if r.capped else wage
        total += (base * r.employer_bp100 + 500_000) // 1_000_000 + (base * r.worker_bp100 + 500_000) // 1_000_000
    return total


@given(wage=st.integers(min_value=1_000_000, max_value=80_000_000), group=st.integers(min_value=1, max_value=5))
def test_billing_arithmetic_equals_the_rules_engine(wage: int, group: int) -> None:
    assert sql_like_pu(wage, group, MARCH) == pu_contribution(wage, group, MARCH).total


def test_bpu_tariffs_cover_prepaid_months_and_list_refusals() -> None:
    tariffs, refused = bpu_tariffs([(1_000_000, "jkk,jkm"), (-5, "jkk,jkm")], MARCH, max_step=3)
    assert [(t.month, t.amount) for t in tariffs] == [(MARCH, 16_800), (MARCH.plus(1), 16_800), (MARCH.plus(2), 16_800)]
    assert len(refused) == 1


def test_statement_reader_accepts_semicolons_and_bom_and_indonesian_headers() -> None:
    rows = read_rows("m.csv", "\ufefftanggal;Referensi;Jumlah\n01/03/2026;BPU-1;16.800\n".encode())
    assert header_map(rows[0]) == {"date": 0, "reference": 1, "amount": 2}


def test_statement_reader_refuses_wrong_encoding_and_header() -> None:
    with pytest.raises(InvalidInput, match="UTF-8"):
        read_rows("m.csv", "referensi,jumlah\nPe\xf1a,1\n".encode("cp1252"))
    with pytest.raises(InvalidInput) as info:
        header_map(["when", "who"])
    assert "judul kolom salah" in info.value.message_id


def test_reminder_text_is_in_bahasa_with_amount_and_reference() -> None:
    bill = Bill(reference="BPU-202603-7", month=dt.date(2026, 3, 1), due_on=dt.date(2026, 3, 16), amount=36_800)
    text = render(Use.CONTRIBUTION_DUE_7, "id", variables(bill, Payer(name="Siti"), 36_800)).text
    assert text == (
        "Yth. Siti, iuran BPJS Ketenagakerjaan Maret 2026 sebesar Rp36.800 jatuh tempo 16 Maret 2026 (7 hari lagi). "
        "Bayar dengan kode tagihan BPU-202603-7."
    )


@pytest.mark.parametrize(
    ("today", "use"),
    [
        (dt.date(2026, 3, 8), None),
        (dt.date(2026, 3, 9), Use.CONTRIBUTION_DUE_7),
        (dt.date(2026, 3, 14), Use.CONTRIBUTION_DUE_7),
        (dt.date(2026, 3, 15), Use.CONTRIBUTION_DUE_1),
        (dt.date(2026, 3, 16), Use.CONTRIBUTION_DUE_1),
        (dt.date(2026, 3, 17), Use.PAYMENT_MISSED_1),
        (dt.date(2026, 3, 23), Use.PAYMENT_MISSED_7),
        (dt.date(2026, 3, 27), Use.PROTECTION_LAPSE_SOON),
        (dt.date(2026, 3, 31), Use.PROTECTION_LAPSE_SOON),
        (dt.date(2026, 4, 5), Use.PAYMENT_MISSED_7),
    ],
)
def test_which_reminder_a_bill_calls_for(today: dt.date, use: Use | None) -> None:
    bill = Bill(reference="B", month=dt.date(2026, 3, 1), due_on=dt.date(2026, 3, 16), amount=1)
    assert due_use(bill, today) == use
