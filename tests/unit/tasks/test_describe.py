"""A failed task's error never carries the driver's SQL parameters (a NIK, a phone) into the console."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from jangkau.tasks.record import describe


def test_a_database_error_is_shown_without_its_parameters_and_detail_lines() -> None:
    driver = Exception(
        'duplicate key value violates unique constraint "uq_person_nik"\nDETAIL: Key (nik)=(1271011508880001)'
    )
    error = IntegrityError("INSERT INTO person (nik) VALUES (%(nik)s)", {"nik": "1271011508880001"}, driver)
    shown = describe(error)
    assert shown == 'Exception: duplicate key value violates unique constraint "uq_person_nik"'
    assert "1271011508880001" not in shown
