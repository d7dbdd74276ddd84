"""Typed builders for what the integration tests make again and again: people, employers, memberships, and the
job queue run at once on the test's session.

Plain functions with defaults (no factory library): each builder goes through the domain's own service, as a real
registration does, so what it makes passes the same checks. A test names only what it cares about::

    worker = person(session, 101, phone=True)
    member = membership(session, worker.id, "bpu", declared_income=1_000_000)

The conftests of ``tests/integration/<domain>/`` build their scenes (a town, a firm, a family) from these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy.orm import Session

from jangkau.registry.models import Employer, Membership, Person
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import EmployerIn, MembershipIn, PersonIn, Registrar
from jangkau.registry.service import open_membership, register_employer, register_person
from jangkau.tasks import record
from jangkau.tasks.queue import huey

Units = Callable[[], AbstractContextManager[Session]]

OFFICER = Registrar("user", "Petugas cabang")
VILLAGE = "12.71.01.1001"  # a kelurahan of Medan Kota, Kota Medan (12.71)
REGISTERED_ON = dt.date(2026, 3, 1)
BORN = dt.date(1988, 8, 15)  # matches the date in every NIK of nik_for (15-08-88, male)


def nik_for(serial: int) -> str:
    """A valid NIK of Medan Kota (12.71.01), born 15 August 1988, male; ``serial`` (0-99999) keeps them apart."""
    return f"12710115088{serial:05d}"


def phone_for(serial: int) -> str:
    """A mobile number that follows the person's serial."""
    return f"0812345{serial:05d}"


def person(
    session: Session,
    serial: int,
    *,
    village: str = VILLAGE,
    on: dt.date = REGISTERED_ON,
    registrar: Registrar = OFFICER,
    phone: bool | str = False,
    occupation: str | None = "pengemudi_becak",
    **extra: object,
) -> Person:
    """A registered person ``Pekerja <serial>`` with NIK :func:`nik_for`; ``phone=True`` gives :func:`phone_for`.

    ``extra`` overrides or adds any field of :class:`PersonIn` (``birth_date``, ``sex``, ``is_vulnerable``, ``rt``).
    """
    data: dict[str, object] = {
        "nik": nik_for(serial),
        "full_name": f"Pekerja {serial}",
        "birth_date": BORN,
        "sex": Sex.MALE,
        "village_code": village,
    }
    if phone:
        data["phone"] = phone_for(serial) if phone is True else phone
    if occupation is not None:
        data["occupation"] = occupation
    data.update(extra)
    return register_person_in(session, PersonIn.model_validate(data), registrar, on)


def register_person_in(
    session: Session, data: PersonIn, registrar: Registrar = OFFICER, on: dt.date = REGISTERED_ON
) -> Person:
    """Register ``data`` as it is (for tests that spell every field out)."""
    return register_person(session, data, registrar, on).person


def employer(
    session: Session,
    number: str,
    name: str,
    *,
    village: str = VILLAGE,
    sector: str = "perdagangan",
    size: str = "small",
    risk_group: int = 1,
    registrar: Registrar = OFFICER,
    **extra: object,
) -> Employer:
    """A registered employer (``number`` is its registration number, e.g. ``NPP-0001``); ``extra``: ``npwp``, ..."""
    data: dict[str, object] = {
        "registration_number": number,
        "name": name,
        "business_sector": sector,
        "size_class": size,
        "jkk_risk_group": risk_group,
        "village_code": village,
        **extra,
    }
    return register_employer(session, EmployerIn.model_validate(data), registrar)


def membership(
    session: Session,
    person_id: int,
    segment: str = "bpu",
    *,
    programs: Sequence[str] = ("jkk", "jkm"),
    start: dt.date = dt.date(2026, 1, 1),
    registrar: Registrar = OFFICER,
    **extra: object,
) -> Membership:
    """An open membership; PU needs ``employer_id`` and ``wage``, BPU ``declared_income`` (in ``extra``)."""
    data: dict[str, object] = {
        "person_id": person_id,
        "segment": segment,
        "programs": list(programs),
        "start_date": start,
        **extra,
    }
    return open_membership(session, MembershipIn.model_validate(data), registrar)


def savepoint_units(session: Session) -> Units:
    """Job steps on the test's session: each step a savepoint (kept on success, rolled back on an error)."""

    @contextmanager
    def step() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    return step


@contextmanager
def tasks_at_once(units: Units) -> Iterator[None]:
    """The job queue runs each task when it is queued (huey immediate mode), its steps in ``units``."""
    was = huey.immediate
    huey.immediate = True
    record.use_units(units)
    try:
        yield
    finally:
        record.use_units(record.unit)
        huey.immediate = was
