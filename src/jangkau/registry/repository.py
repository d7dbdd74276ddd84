"""All SQL of the registry. Every read that returns people filters by the caller's territory scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from jangkau.db.scope import scope_filter
from jangkau.kit.pagination import Page, PageRequest
from jangkau.registry.models import Employer, Household, Membership, Person, SearchResult


def person_by_nik(session: Session, nik: str, scope: Iterable[str]) -> Person | None:
    """The person with ``nik`` if they live inside ``scope`` (else ``None``, as if they did not exist)."""
    return session.scalars(select(Person).where(Person.nik == nik, scope_filter(Person.village_code, scope))).first()


def person_by_id(session: Session, person_id: int, scope: Iterable[str], *, lock: bool = False) -> Person | None:
    """The person in ``scope``; ``lock`` holds the row until the transaction ends (``FOR UPDATE`` on PostgreSQL)."""
    query = select(Person).where(Person.id == person_id, scope_filter(Person.village_code, scope))
    return session.scalars(query.with_for_update() if lock else query).first()


def nik_taken(session: Session, nik: str) -> int | None:
    """The id of the person holding ``nik`` anywhere (for duplicate checks, not for showing data)."""
    return session.scalar(select(Person.id).where(Person.nik == nik))


def insert_person_unless_nik_taken(session: Session, values: dict[str, Any]) -> Person | None:
    """Insert a person; ``None`` when the NIK is already registered (also by a concurrent transaction, whose commit
    this waits for). One statement (``ON CONFLICT (nik) DO NOTHING RETURNING``): no savepoint and no look-up first.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Person).values(**values).on_conflict_do_nothing(index_elements=[Person.nik])
    return session.scalars(statement.returning(Person)).first()


def list_persons(
    session: Session,
    scope: Iterable[str],
    page: PageRequest,
    region: str | None = None,
    search: str | None = None,
) -> Page[Person]:
    """A page of persons inside ``scope``, optionally inside ``region`` and matching a name or NIK search."""
    conditions = [scope_filter(Person.village_code, scope)]
    if region:
        conditions.append(scope_filter(Person.village_code, [region]))
    if search:
        term = search.strip()
        conditions.append(or_(Person.nik == term, func.lower(Person.full_name).like(f"%{term.lower()}%")))
    total = session.scalar(select(func.count()).select_from(Person).where(*conditions)) or 0
    rows = session.scalars(
        select(Person)
        .where(*conditions)
        .order_by(Person.village_code, Person.full_name, Person.id)
        .offset(page.offset)
        .limit(page.size)
    ).all()
    return Page.of(list(rows), total, page)


def memberships_of(session: Session, person_id: int) -> Sequence[Membership]:
    return session.scalars(
        select(Membership).where(Membership.person_id == person_id).order_by(Membership.start_date)
    ).all()


def memberships_of_many(session: Session, person_ids: Sequence[int]) -> dict[int, list[Membership]]:
    out: dict[int, list[Membership]] = {pid: [] for pid in person_ids}
    if not person_ids:
        return out
    for membership in session.scalars(
        select(Membership).where(Membership.person_id.in_(person_ids)).order_by(Membership.start_date)
    ):
        out[membership.person_id].append(membership)
    return out


def add_membership(session: Session, membership: Membership) -> Membership:
    session.add(membership)
    session.flush()
    return membership


def open_membership(session: Session, person_id: int, segment: str, employer_id: int | None) -> Membership | None:
    """A membership of the person in the same segment (and employer) that has not ended."""
    return session.scalars(
        select(Membership).where(
            Membership.person_id == person_id,
            Membership.segment == segment,
            Membership.employer_id.is_(None) if employer_id is None else Membership.employer_id == employer_id,
            Membership.status.in_(("pending", "active", "lapsed")),
        )
    ).first()


def employer_by_id(session: Session, employer_id: int) -> Employer | None:
    return session.get(Employer, employer_id)


def employer_by_number(session: Session, registration_number: str) -> Employer | None:
    return session.scalars(select(Employer).where(Employer.registration_number == registration_number)).first()


def add_employer(session: Session, employer: Employer) -> Employer:
    session.add(employer)
    session.flush()
    return employer


def employers_by_ids(session: Session, ids: Iterable[int]) -> dict[int, Employer]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {e.id: e for e in session.scalars(select(Employer).where(Employer.id.in_(wanted)))}


def count_registry(session: Session, scope: Iterable[str]) -> dict[str, int]:
    """Persons, members by status, in ``scope``."""
    persons = (
        session.scalar(select(func.count()).select_from(Person).where(scope_filter(Person.village_code, scope))) or 0
    )
    rows = session.execute(
        select(Membership.status, func.count(func.distinct(Membership.person_id)))
        .join(Person, Person.id == Membership.person_id)
        .where(scope_filter(Person.village_code, scope))
        .group_by(Membership.status)
    ).all()
    return {"persons": int(persons), **{f"members_{status}": int(n) for status, n in rows}}


def list_employers(
    session: Session,
    scope: Iterable[str],
    page: PageRequest,
    region: str | None = None,
    search: str | None = None,
) -> Page[Employer]:
    """A page of employers inside ``scope``."""
    conditions = [scope_filter(Employer.village_code, scope)]
    if region:
        conditions.append(scope_filter(Employer.village_code, [region]))
    if search:
        conditions.append(func.lower(Employer.name).like(f"%{search.strip().lower()}%"))
    total = session.scalar(select(func.count()).select_from(Employer).where(*conditions)) or 0
    rows = session.scalars(
        select(Employer).where(*conditions).order_by(Employer.name, Employer.id).offset(page.offset).limit(page.size)
    ).all()
    return Page.of(list(rows), total, page)


def membership_by_id(session: Session, membership_id: int) -> Membership | None:
    return session.get(Membership, membership_id)


INFORMAL_WORK = (
    "pedagang_kaki_lima",
    "pedagang_pasar",
    "pengemudi_ojek",
    "pengemudi_becak",
    "sopir_angkot",
    "pekerja_rumah_tangga",
    "nelayan",
    "petani",
    "buruh_harian_lepas",
    "tukang",
    "marbot",
    "usaha_mikro",
)


def village_counts(session: Session, villages: list[str]) -> list[dict[str, object]]:
    """Per village: people registered and people with an active membership."""
    if not villages:
        return []
    people = dict(
        session.execute(
            select(Person.village_code, func.count())
            .where(Person.village_code.in_(villages))
            .group_by(Person.village_code)
        ).all()
    )
    active = dict(
        session.execute(
            select(Person.village_code, func.count(func.distinct(Person.id)))
            .join(Membership, Membership.person_id == Person.id)
            .where(Person.village_code.in_(villages), Membership.status == "active")
            .group_by(Person.village_code)
        ).all()
    )
    return [{"code": v, "persons": people.get(v, 0), "active": active.get(v, 0)} for v in villages]


def uncovered_workers(session: Session, scope: Iterable[str], limit: int = 20) -> Sequence[Person]:
    """Informal workers in scope with no membership at all: the door-to-door list, by village and RT."""
    has_membership = select(Membership.id).where(Membership.person_id == Person.id).exists()
    return session.scalars(
        select(Person)
        .where(scope_filter(Person.village_code, scope), Person.occupation.in_(INFORMAL_WORK), ~has_membership)
        .order_by(Person.village_code, Person.rt, Person.full_name)
        .limit(limit)
    ).all()


def household_with_members(
    session: Session, household_id: int, visible: ColumnElement[bool]
) -> tuple[Household | None, Sequence[Person]]:
    """A household (family card) and the persons on it the caller may see (``visible``), by name."""
    members = session.scalars(
        select(Person).where(Person.household_id == household_id, visible).order_by(Person.full_name, Person.id)
    ).all()
    return session.get(Household, household_id), members


def add_search_result(session: Session, row: SearchResult, now: dt.datetime) -> SearchResult:
    """Keep a NIK search's answer; answers past their expiry are removed on the way."""
    session.execute(delete(SearchResult).where(SearchResult.expires_at <= now))
    session.add(row)
    session.flush()
    return row


def search_result(session: Session, result_id: str, username: str, now: dt.datetime) -> SearchResult | None:
    """A kept search answer if it is ``username``'s and has not expired."""
    return session.scalars(
        select(SearchResult).where(
            SearchResult.id == result_id, SearchResult.username == username, SearchResult.expires_at > now
        )
    ).first()
