"""Rejected rows are shown to officers with identifiers masked."""

from __future__ import annotations

from jangkau.linkage.review import masked_raw


def test_nik_and_phone_in_rejected_rows_are_masked() -> None:
    shown = masked_raw({"nik": "1271011508850001", "name": "Rudi", "phone": "0812-3456-7890", "rt": "002"})
    assert shown["nik"] == "127101******0001"
    assert shown["phone"] == "0812****7890"
    assert shown["name"] == "Rudi"
    assert shown["rt"] == "002"
