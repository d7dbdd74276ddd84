"""The one protection sentence: every branch, month ends, a past end date never shown as "protected until"."""

from __future__ import annotations

import datetime as dt

import pytest

from jangkau.kit.months import Month
from jangkau.rules.protection import PayerKind, Protection, protection_status


def months(*texts: str) -> list[Month]:
    return [Month.parse(t) for t in texts]


def test_bpu_paid_through_the_year_is_protected_until_the_last_day() -> None:
    paid = months(*(f"2026-{m:02d}" for m in range(10, 13)))
    status = protection_status("bpu", paid, dt.date(2026, 12, 4), "id")
    assert status.kind is Protection.PROTECTED_UNTIL
    assert status.protected
    assert status.sentence == "Terlindungi sampai 31 Desember 2026"
    english = protection_status("bpu", paid, dt.date(2026, 12, 4), "en")
    assert english.sentence == "Protected until 31 December 2026"


@pytest.mark.parametrize(
    ("paid", "today", "until"),
    [
        (("2028-02",), dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # leap February
        (("2027-02",), dt.date(2027, 2, 28), dt.date(2027, 2, 28)),  # last day of the month, still protected
        (("2026-11", "2026-12", "2027-01"), dt.date(2026, 11, 30), dt.date(2027, 1, 31)),  # across the year end
        (("2026-04", "2026-06"), dt.date(2026, 4, 30), dt.date(2026, 4, 30)),  # a gap ends the run
    ],
)
def test_protected_until_the_end_of_the_paid_run_holding_today(
    paid: tuple[str, ...], today: dt.date, until: dt.date
) -> None:
    status = protection_status("bpu", months(*paid), today, "id")
    assert (status.kind, status.on) == (Protection.PROTECTED_UNTIL, until)


def test_the_day_after_the_last_paid_month_is_not_protected_since_then() -> None:
    status = protection_status("bpu", months("2026-08", "2026-09"), dt.date(2026, 12, 4), "id")
    assert status.kind is Protection.NOT_PROTECTED_SINCE
    assert not status.protected
    assert status.sentence == "Tidak terlindungi sejak 1 Oktober 2026"
    first_day = protection_status("bpu", months("2027-02"), dt.date(2027, 3, 1), "id")
    assert (first_day.kind, first_day.on) == (Protection.NOT_PROTECTED_SINCE, dt.date(2027, 3, 1))


def test_a_past_end_date_is_never_protected_until() -> None:
    for day in (dt.date(2026, 10, 1), dt.date(2026, 12, 31), dt.date(2027, 6, 15)):
        status = protection_status("bpu", months("2026-09"), day, "id")
        assert not status.protected
        assert "Terlindungi sampai" not in status.sentence
        assert status.on is not None
        assert status.on <= day


def test_an_unpaid_month_in_between_is_the_start_of_the_gap() -> None:
    status = protection_status("bpu", months("2026-05", "2026-07"), dt.date(2026, 8, 10), "id")
    assert (status.kind, status.on) == (Protection.NOT_PROTECTED_SINCE, dt.date(2026, 8, 1))


def test_first_contribution_unpaid_self_and_other_payers() -> None:
    status = protection_status("bpu", [], dt.date(2026, 12, 4), "id")
    assert status.kind is Protection.FIRST_CONTRIBUTION_UNPAID
    assert status.sentence == "Belum terlindungi: iuran pertama belum dibayar"
    assert (
        protection_status("bpu", [], dt.date(2026, 12, 4), "en").sentence
        == "Not yet protected: the first contribution has not been paid"
    )
    sponsored = protection_status(
        "bpu", [], dt.date(2026, 12, 4), "id", payer=PayerKind.SPONSOR, payer_name="APBD Kota Medan"
    )
    assert sponsored.kind is Protection.FIRST_CONTRIBUTION_UNPAID
    assert sponsored.sentence == "Belum terlindungi: iuran pertama belum dibayar oleh APBD Kota Medan"


def test_awaiting_the_sponsors_approval() -> None:
    status = protection_status("bpu", [], dt.date(2026, 12, 4), "id", payer=PayerKind.SPONSOR, awaiting_approval=True)
    assert status.kind is Protection.AWAITING_SPONSOR_APPROVAL
    assert status.sentence == "Belum terlindungi: menunggu persetujuan penyandang dana"


def test_paid_ahead_starts_on_the_first_paid_month() -> None:
    status = protection_status("bpu", months("2027-01", "2027-02"), dt.date(2026, 12, 20), "id")
    assert (status.kind, status.on) == (Protection.STARTS_ON, dt.date(2027, 1, 1))
    assert status.sentence == "Belum terlindungi: perlindungan mulai 1 Januari 2027"


def test_an_ended_membership_is_never_protected() -> None:
    ended = protection_status("bpu", months("2026-06", "2026-12"), dt.date(2026, 12, 4), "id", ended=True)
    assert ended.kind is Protection.ENDED
    assert not ended.protected
    since = protection_status("bpu", months("2026-05", "2026-06"), dt.date(2026, 12, 4), "id", ended=True)
    assert (since.kind, since.on) == (Protection.ENDED_SINCE, dt.date(2026, 7, 1))
    assert since.sentence == "Tidak terlindungi sejak 1 Juli 2026: kepesertaan berakhir"


def test_pu_months_not_yet_due_still_protect() -> None:
    # PU: October paid; November is due 15 December, December on 15 January: the employer is not late yet
    status = protection_status("pu", months("2026-10"), dt.date(2026, 12, 4), "id", payer=PayerKind.EMPLOYER)
    assert (status.kind, status.on) == (Protection.PROTECTED_UNTIL, dt.date(2026, 12, 31))
    # once November's due date has passed unpaid, protection stopped at the end of October
    late = protection_status("pu", months("2026-10"), dt.date(2026, 12, 20), "id", payer=PayerKind.EMPLOYER)
    assert (late.kind, late.on) == (Protection.NOT_PROTECTED_SINCE, dt.date(2026, 11, 1))


def test_bpu_unpaid_current_month_is_not_protected_even_before_its_due_date() -> None:
    status = protection_status("bpu", months("2026-11"), dt.date(2026, 12, 4), "id")
    assert (status.kind, status.on) == (Protection.NOT_PROTECTED_SINCE, dt.date(2026, 12, 1))
