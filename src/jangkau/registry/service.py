"""Registry use cases: register persons, employers and memberships; look them up within a scope."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.db import outbox
from jangkau.db.base import utcnow
from jangkau.errors import FieldError, InvalidInput
from jangkau.i18n import N_, bilingual, gettext
from jangkau.regions import repository as regions
from jangkau.regions.codes import Level, normalise_code
from jangkau.regions.service import require_region
from jangkau.registry import access
from jangkau.registry import repository as repo
from jangkau.registry.errors import (
    EmployerAlreadyRegistered,
    MembershipExists,
    MembershipInvalid,
    NikAlreadyRegistered,
    NikNotFound,
    PersonInvalid,
    ProgramsInvalid,
    SearchResultNotFound,
    UnknownPersonId,
)
from jangkau.registry.models import Employer, Membership, Person, SearchResult
from jangkau.registry.nik import check_nik, clean_nik
from jangkau.registry.occupations import OCCUPATIONS
from jangkau.registry.schemas import EmployerIn, MembershipIn, PersonIn, Registrar
from jangkau.rules import Program

EVERYWHERE = ("",)
_PHONE = re.compile(r"^(\+62|62|0)8\d{7,12}$")

# Programmes a segment may hold: (required, optional). Sources: REFERENCE.md §1.2, §2.1, §2.4, §2.5.
SEGMENT_PROGRAMS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "pu": (frozenset({"jkk", "jkm"}), frozenset({"jht", "jp", "jkp"})),
    "bpu": (frozenset({"jkk", "jkm"}), frozenset({"jht"})),
    "jakon": (frozenset({"jkk", "jkm"}), frozenset()),
    "pmi": (frozenset({"jkk", "jkm"}), frozenset({"jht"})),
}
PROGRAM_ORDER = tuple(p.value for p in Program)  # jkk, jkm, jht, jp, jkp


@dataclass
class Registered:
    """A registration that went through, with any warnings the officer should see."""

    person: Person
    warnings: list[str] = field(default_factory=list)


def register_person(session: Session, data: PersonIn, registrar: Registrar, today: dt.date | None = None) -> Registered:
    """Register a new person.

    A NIK that disagrees with the stated birth date or sex is accepted with a warning (a NIK never changes).

    Raises:
        InvalidInput: every bad field at once (NIK, birth date, village, phone, occupation).
        Conflict: the NIK is already registered (also when another registration of it won the race).
    """
    today = today or dt.date.today()
    nik = clean_nik(data.nik)
    errors: list[FieldError] = []
    nik_check = check_nik(
        nik,
        birth_date=data.birth_date,
        sex=data.sex,
        district_exists=lambda code: regions.exists(session, code),
        today=today,
    )
    if not nik_check.valid:
        reason = "; ".join(nik_check.errors)
        errors.append(FieldError("nik", reason, gettext(N_("Invalid NIK: %(reason)s"), "id", reason=reason)))
    errors.extend(_person_field_errors(session, data, today))
    if errors:
        raise PersonInvalid(errors)
    values = {
        "nik": nik,
        "full_name": " ".join(data.full_name.split()),
        "birth_date": data.birth_date,
        "sex": data.sex.value,
        "village_code": normalise_code(data.village_code),
        "phone": data.phone or None,
        "address": data.address or None,
        "rt": data.rt or None,
        "rw": data.rw or None,
        "occupation": data.occupation or None,
        "is_vulnerable": data.is_vulnerable,
        "registered_by_kind": registrar.kind,
        "registered_by_label": registrar.label,
        "registered_by_person_id": registrar.person_id,
    }
    # a NIK already registered (or registered by a concurrent request, whose commit the insert waits for)
    person = repo.insert_person_unless_nik_taken(session, values)
    if person is None:
        raise _nik_conflict(nik, repo.nik_taken(session, nik))
    return Registered(person, nik_check.warnings)


def _nik_conflict(nik: str, person_id: int | None) -> NikAlreadyRegistered:
    return NikAlreadyRegistered(nik, person_id)


def offline_field_errors(nik: str, phone: str | None) -> list[FieldError]:
    """Errors that need no database (NIK shape and date, phone): shown together with missing-field errors."""
    errors: list[FieldError] = []
    result = check_nik(nik)
    if not result.valid:
        reason = "; ".join(result.errors)
        errors.append(FieldError("nik", reason, gettext(N_("Invalid NIK: %(reason)s"), "id", reason=reason)))
    errors += _phone_errors(phone)
    return errors


def _phone_errors(phone: str | None) -> list[FieldError]:
    if phone and not _PHONE.match(re.sub(r"[\s\-]", "", phone)):
        return [FieldError("phone", *bilingual(N_("not an Indonesian mobile number (08…)")))]
    return []


def _person_field_errors(session: Session, data: PersonIn, today: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    if data.birth_date > today:
        errors.append(FieldError("birth_date", *bilingual(N_("birth date is in the future"))))
    elif data.birth_date.year < 1900:
        errors.append(FieldError("birth_date", *bilingual(N_("birth date before 1900"))))
    try:
        require_region(session, data.village_code, "village_code", Level.VILLAGE)
    except InvalidInput as exc:
        errors.extend(exc.fields)
    errors += _phone_errors(data.phone)
    if data.occupation and data.occupation not in OCCUPATIONS:
        errors.append(
            FieldError(
                "occupation",
                gettext(N_("unknown occupation %(occupation)s"), "en", occupation=repr(data.occupation)),
                gettext(N_("unknown occupation %(occupation)s"), "id", occupation=repr(data.occupation)),
            )
        )
    if not data.full_name.strip():
        errors.append(FieldError("full_name", *bilingual(N_("name is empty"))))
    return errors


def register_employer(session: Session, data: EmployerIn, registrar: Registrar) -> Employer:
    """Register an employer.

    Raises:
        InvalidInput: unknown village.
        Conflict: the registration number is taken.
    """
    village = require_region(session, data.village_code, "village_code", Level.VILLAGE)
    if repo.employer_by_number(session, data.registration_number) is not None:
        raise EmployerAlreadyRegistered(data.registration_number)
    employer = Employer(
        **data.model_dump(exclude={"village_code"}),
        village_code=village,
        registered_by_kind=registrar.kind,
        registered_by_label=registrar.label,
        registered_by_person_id=registrar.person_id,
    )
    return repo.add_employer(session, employer)


def open_membership(
    session: Session,
    data: MembershipIn,
    registrar: Registrar,
    scope: Iterable[str] = EVERYWHERE,
    *,
    new_person: Person | None = None,
) -> Membership:
    """Open a membership for a registered person.

    Args:
        new_person: the person of ``data.person_id`` when they were registered in this very transaction: no other
            transaction sees their row yet and they have no membership, so neither the row lock nor the look for an
            open membership is needed.

    Raises:
        InvalidInput: unknown person or employer, programmes the segment cannot hold, a missing wage or income.
        Conflict: the person already has an open membership in that segment (and employer).
    """
    # the person's row stays locked until commit: two concurrent openings for one person cannot both pass the
    # "no open membership yet" check below (SQLite serialises writers anyway)
    if new_person is not None and new_person.id == data.person_id:
        person: Person | None = new_person
    else:
        new_person = None
        person = repo.person_by_id(session, data.person_id, scope, lock=True)
    if person is None:
        raise UnknownPersonId(data.person_id)
    programs = _check_programs(data.segment, data.programs)
    errors = _membership_field_errors(session, data, person)
    if errors:
        raise MembershipInvalid(errors)
    if new_person is None and repo.open_membership(session, person.id, data.segment, data.employer_id) is not None:
        raise MembershipExists(person.full_name, data.segment)
    membership = Membership(
        person_id=person.id,
        segment=data.segment,
        employer_id=data.employer_id if data.segment == "pu" else None,
        programs=",".join(programs),
        wage=data.wage,
        declared_income=data.declared_income,
        start_date=data.start_date,
        status="pending",
        registered_by_kind=registrar.kind,
        registered_by_label=registrar.label,
        registered_by_person_id=registrar.person_id,
    )
    added = repo.add_membership(session, membership)
    outbox.mark_changed(session, person.village_code, data.start_date)
    return added


def _check_programs(segment: str, programs: list[str]) -> list[str]:
    wanted = {p.strip().lower() for p in programs if p.strip()}
    required, optional = SEGMENT_PROGRAMS[segment]
    unknown = wanted - set(PROGRAM_ORDER)
    not_allowed = wanted - required - optional - unknown
    missing = required - wanted
    problems = []
    if unknown:
        problems.append(f"unknown programmes {sorted(unknown)}")
    if not_allowed:
        problems.append(f"{segment.upper()} cannot hold {sorted(not_allowed)}")
    if missing:
        problems.append(f"{segment.upper()} needs {sorted(missing)}")
    if problems:
        text = "; ".join(problems)
        raise ProgramsInvalid(text)
    return [p for p in PROGRAM_ORDER if p in wanted]


def _membership_field_errors(session: Session, data: MembershipIn, person: Person) -> list[FieldError]:
    errors: list[FieldError] = []
    if data.segment == "pu":
        if data.employer_id is None or repo.employer_by_id(session, data.employer_id) is None:
            errors.append(FieldError("employer_id", *bilingual(N_("employer does not exist"))))
        if not data.wage or data.wage <= 0:
            errors.append(FieldError("wage", *bilingual(N_("a PU membership needs the reported wage"))))
    if data.segment == "bpu" and (not data.declared_income or data.declared_income <= 0):
        errors.append(FieldError("declared_income", *bilingual(N_("a BPU membership needs the declared income"))))
    if data.start_date < person.birth_date:
        errors.append(FieldError("start_date", *bilingual(N_("starts before the person was born"))))
    return errors


def person_detail(session: Session, nik: str, scope: Iterable[str]) -> dict[str, object]:
    """A person with their memberships and where they live.

    Raises:
        NotFound: no such NIK inside ``scope`` (outside scope looks the same as absent).
    """
    person = repo.person_by_nik(session, clean_nik(nik), scope)
    if person is None:
        raise NikNotFound(clean_nik(nik))
    memberships = repo.memberships_of(session, person.id)
    employers = repo.employers_by_ids(session, [m.employer_id for m in memberships if m.employer_id])
    village = regions.get(session, person.village_code)
    return {
        "id": person.id,
        "nik": person.nik,
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "phone": person.phone,
        "address": person.address,
        "rt": person.rt,
        "rw": person.rw,
        "village_code": person.village_code,
        "village_name": village.name if village else None,
        "occupation": person.occupation,
        "is_vulnerable": person.is_vulnerable,
        "registered_by": {
            "kind": person.registered_by_kind,
            "label": person.registered_by_label,
            "person_id": person.registered_by_person_id,
        },
        "memberships": [
            {
                "id": m.id,
                "segment": m.segment,
                "programs": m.programs.split(","),
                "employer": employers[m.employer_id].name if m.employer_id in employers else None,
                "wage": m.wage,
                "declared_income": m.declared_income,
                "start_date": m.start_date,
                "end_date": m.end_date,
                "status": m.status,
            }
            for m in memberships
        ],
    }


# --- the person page and the NIK search ----------------------------------------------------------------------

SEARCH_RESULT_MINUTES = 30  # how long the address of a NIK search's answer works


def household_of(session: Session, principal: Principal, person: Person) -> dict[str, Any] | None:
    """The person's household (family card) with the other members the caller may see, or ``None``."""
    if person.household_id is None:
        return None
    household, members = repo.household_with_members(session, person.household_id, access.person_filter(principal))
    if household is None:
        return None
    return {"household": household, "members": [m for m in members if m.id != person.id]}


def employers_of(session: Session, memberships: Iterable[Membership]) -> dict[int, Employer]:
    """The employers of ``memberships``, by id."""
    return repo.employers_by_ids(session, [m.employer_id for m in memberships if m.employer_id])


def remember_nik_search(session: Session, principal: Principal, nik: str, region: str) -> str:
    """Look a posted NIK up among the people the caller may see and keep the answer (found or not) under a random
    id for the caller only: the page that shows it is addressed by that id, never by the NIK.

    Returns:
        The id of the kept answer (URL-safe, 256 bits).
    """
    person = access.visible_person_by_nik(session, principal, clean_nik(nik))
    now = utcnow()
    row = SearchResult(
        id=secrets.token_urlsafe(32),
        user_id=principal.user_id,
        username=principal.username,
        person_id=person.id if person else None,
        region_code=region,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=SEARCH_RESULT_MINUTES),
    )
    return repo.add_search_result(session, row, now).id


def nik_search_result(session: Session, principal: Principal, result_id: str) -> tuple[SearchResult, Person | None]:
    """A kept NIK search answer of the caller, with the person found (if still theirs to see).

    Raises:
        SearchResultNotFound: no such answer, another user's, or expired (the three are not told apart).
    """
    row = repo.search_result(session, result_id, principal.username, utcnow())
    if row is None or row.user_id != principal.user_id:
        raise SearchResultNotFound
    person = access.visible_person(session, principal, row.person_id) if row.person_id is not None else None
    return row, person


def memberships_of(session: Session, person_id: int) -> list[Membership]:
    """A person's memberships, oldest first (the caller decided the person is theirs to see)."""
    return list(repo.memberships_of(session, person_id))
