"""One person's record across the domains, read through each domain's service, section by section.

Who may open the page is decided by ``registry.access`` (territory for staff and agents, ownership for workers,
employers and sponsors); which sections a caller sees beyond the identity and memberships is decided here by
permission. Every opening is in the audit log: ``read`` with identifiers masked, ``read_full`` when a role that
reads full records asked for the clear record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission, Role
from jangkau.claims import service as claims
from jangkau.funding import service as funding
from jangkau.funding.protection import member_protection
from jangkau.jobs import service as jobs
from jangkau.kit.months import Month
from jangkau.notify import service as notify
from jangkau.outreach import service as outreach
from jangkau.regions.service import region_names
from jangkau.registry import access
from jangkau.registry import service as registry
from jangkau.registry.models import Person
from jangkau.registry.occupations import OCCUPATIONS
from jangkau.registry.schemas import PersonRead

WIB = ZoneInfo("Asia/Jakarta")  # timestamps are stored in UTC and shown in the region's time zone (Medan: WIB)
OFFICERS = (Role.ADMIN, Role.BRANCH_OFFICER, Role.REGION_OFFICER, Role.OPD_OFFICER)


@dataclass(frozen=True)
class Sections:
    """Which sections of the page the caller sees (identity and memberships: everyone who may open it)."""

    household: bool
    claims: bool
    visits: bool
    jobs: bool
    messages: bool
    audit: bool

    @classmethod
    def for_caller(cls, principal: Principal, person: Person) -> Sections:
        own = principal.person_id is not None and principal.person_id == person.id
        staff = principal.can(Permission.REGISTRY_READ)
        return cls(
            household=staff or own,
            claims=own or principal.can(Permission.CLAIMS_PROCESS) or (staff and principal.can(Permission.CLAIMS_FILE)),
            visits=principal.can(Permission.OUTREACH_READ) or principal.can(Permission.FIELD_WORK),
            jobs=own or principal.can(Permission.JOBS_ASSIST) or principal.can(Permission.JOBS_MANAGE),
            messages=own or staff,
            audit=principal.role in OFFICERS and principal.can(Permission.REGISTRY_READ),
        )


def person_page(
    session: Session, principal: Principal, person_id: int, *, full: bool, today: dt.date, lang: str = "id"
) -> dict[str, Any]:
    """Everything the person page shows of ``person_id`` to ``principal``.

    Args:
        full: the clear record was asked for; granted only to roles with ``registry.read_full`` (and audited as
            ``read_full``), otherwise NIK and phone stay masked and birth date, sex and address hidden.

    Raises:
        PersonNotFound: no such person, or not the caller's to see (the two are not told apart).
    """
    person = access.person_or_404(session, principal, person_id)
    clear = full and principal.can(Permission.REGISTRY_READ_FULL)
    audit.record(
        session, principal, "read_full" if clear else "read", "person", person.id, region_code=person.village_code
    )
    sections = Sections.for_caller(principal, person)
    memberships = registry.memberships_of(session, person.id)
    employers = registry.employers_of(session, memberships)
    household = registry.household_of(session, principal, person) if sections.household else None
    codes = {person.village_code} | ({household["household"].village_code} if household else set())
    occupation = OCCUPATIONS.get(person.occupation or "")
    return {
        "person": PersonRead.for_caller(person, principal, full=clear),
        "full": clear,
        "can_read_full": principal.can(Permission.REGISTRY_READ_FULL),
        "village_names": region_names(session, codes),
        "occupation": occupation.name if occupation else (person.occupation or ""),
        "sections": sections,
        "household": household,
        "memberships": memberships,
        "employers": {k: v.name for k, v in employers.items()},
        "money": _with_periods(funding.person_funding(session, memberships, today)),
        "protection": {m.id: member_protection(session, m, today, lang).status for m in memberships},
        "claims": claims.claims_of_person(session, person, today) if sections.claims else [],
        "visits": outreach.visits_of_person(session, person.id) if sections.visits else [],
        "seeker": jobs.seeker_of_person(session, person.id) if sections.jobs else None,
        "messages": notify.messages_of_person(session, person.id) if sections.messages else [],
        "full_reads": _full_reads(session, person) if sections.audit else [],
        "today": today,
    }


def _with_periods(money: dict[str, Any]) -> dict[str, Any]:
    """Each membership's protected months as (first, last) periods of dates, and its protected-until as a date
    (the rules engine gives ``YYYY-MM`` ranges and ISO text; the page formats dates in its language)."""
    for entry in money["memberships"].values():
        coverage = entry["coverage"]
        entry["periods"] = [_period(text) for text in coverage.get("protected_ranges", [])]
        until = coverage.get("protected_until")
        entry["protected_until"] = dt.date.fromisoformat(until) if until else None
        entry["arrears"] = [Month.parse(m).first_day() for m in coverage.get("arrears_months", [])]
    return money


def _period(text: str) -> tuple[dt.date, dt.date]:
    first, _, last = text.partition("..")
    return Month.parse(first).first_day(), Month.parse(last or first).first_day()


def _full_reads(session: Session, person: Person) -> list[dict[str, Any]]:
    """Who read the person's full record and when (in WIB), newest first."""
    return [{"actor": e.actor, "at": e.at.astimezone(WIB)} for e in audit.full_reads_of(session, "person", person.id)]
