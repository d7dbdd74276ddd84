"""The coverage check tells a worker until when they are protected and which months are unpaid."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session
from tests.integration.claims.conftest import membership, months, pay, person

from jangkau.kit.masking import mask_nik
from jangkau.kit.months import Month
from jangkau.registry.coverage.pages import _protection


def test_protected_until_and_unpaid_months_per_membership(session: Session) -> None:
    worker = person(session, 901)
    paid_up = membership(session, worker)
    this_month = Month.of(dt.date.today())
    pay(session, paid_up, months(this_month.plus(-6), this_month.plus(-2)))  # two months behind
    context = _protection(session, worker, "id")
    protection = context["protection"][paid_up.id]
    assert protection["protected_until"] is not None
    assert protection["protected_until"] >= this_month.plus(-2).first_day().isoformat()
    assert str(this_month.plus(-1)) in protection["arrears_months"]
    sentence = context["protections"][paid_up.id].status.sentence
    assert sentence.startswith("Tidak terlindungi sejak "), sentence  # two months behind: not protected now
    assert mask_nik(worker.nik).count("*") == 6, "the NIK is masked on the page"


def test_a_membership_without_any_payment_is_not_protected(session: Session) -> None:
    worker = person(session, 902)
    pending = membership(session, worker)
    context = _protection(session, worker, "en")
    assert context["protection"][pending.id]["protected_until"] is None
    status = context["protections"][pending.id].status
    assert not status.protected
    assert status.sentence == "Not yet protected: the first contribution has not been paid", status.sentence
