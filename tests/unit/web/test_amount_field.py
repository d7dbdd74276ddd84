"""Amounts typed the Indonesian way in every amount field (issue 22 point 9): one reader for all forms."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from jangkau.errors import AmountUnreadable, DateUnreadable, InvalidInput
from jangkau.web.forms import date_field, field_errors, rupiah_field


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("2.300.000.000", 2_300_000_000), ("Rp 2.300.000.000", 2_300_000_000), ("Rp2.300.000", 2_300_000),
     ("2300000", 2_300_000), ("RP 2.300.000", 2_300_000), ("Rp. 2.300.000", 2_300_000), ("2.300.000,00", 2_300_000),
     (" 1.500.000 ", 1_500_000), ("0", 0)],
)  # fmt: skip
def test_an_amount_reads_however_it_is_written(typed: str, amount: int) -> None:
    assert rupiah_field(typed, "budget") == amount


@pytest.mark.parametrize("typed", ["2,5 juta", "dua juta", "2.5jt", "-5.000", "2,300,000", "12a"])
def test_text_that_is_no_amount_is_refused_naming_the_field_with_an_example(typed: str) -> None:
    with pytest.raises(AmountUnreadable) as refused:
        rupiah_field(typed, "budget")
    assert [f.field for f in refused.value.fields] == ["budget"]
    assert "2.300.000" in refused.value.fields[0].message
    assert "2.300.000" in refused.value.fields[0].message_id


def test_an_empty_field_is_its_default() -> None:
    assert rupiah_field("", "wage") is None
    assert rupiah_field("  ", "wage", default=0) == 0
    assert rupiah_field(None, "wage") is None


class _Form(BaseModel):
    months: int


def test_field_errors_put_each_refusal_beside_its_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        rupiah_field("2,5 juta", "budget")
    assert list(field_errors(refused.value)) == ["budget"]
    with pytest.raises(ValidationError) as invalid:
        _Form.model_validate({"months": "dua"})
    assert list(field_errors(invalid.value)) == ["months"]
    assert field_errors(ValueError("broken")) == {"form": "broken"}


@pytest.mark.parametrize(
    "typed", ["04-12-2026", "4/12/2026", "4 Desember 2026", "4 des 2026", "2026-12-04", "4.12.2026"]
)
def test_a_date_typed_without_a_date_picker_reads_day_first(typed: str) -> None:
    assert date_field(typed, "event_date") == "2026-12-04"


@pytest.mark.parametrize("typed", ["31-02-2026", "besok", "12/2026", "4 Desemberr 2026"])
def test_text_that_is_no_date_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(DateUnreadable) as refused:
        date_field(typed, "event_date")
    assert [f.field for f in refused.value.fields] == ["event_date"]
    assert date_field("", "event_date") is None
