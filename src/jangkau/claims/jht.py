"""The JHT account of a member ("cek saldo JHT"): balance per month and a yearly statement, JSON or PDF.

Contributions come from the funding ledger (``funding.jht``: the JHT part of every paid month), withdrawals from
the JHT claims paid (this domain), returns from the rules engine (``rules.jht_account``, rate per year as data).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.claims.errors import NoJhtMembership, YearInFuture
from jangkau.claims.service import find_person, ledger_of
from jangkau.kit.masking import mask_nik
from jangkau.kit.money import format_rupiah
from jangkau.kit.months import Month
from jangkau.registry import repository as registry_repo
from jangkau.registry.models import Membership
from jangkau.rules import Program, jht_account, parse_programs


class JhtStatementIn(BaseModel):
    """Whose JHT statement (by NIK, inside the caller's territory), for which year (default: the whole account)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    nik: str = Field(min_length=16, max_length=20)
    year: int | None = Field(default=None, ge=2015, le=2100)
    as_of: dt.date | None = None


def _jht_memberships(memberships: list[Membership]) -> list[Membership]:
    return sorted((m for m in memberships if Program.JHT in parse_programs(m.programs)), key=lambda m: m.start_date)


def jht_statement(session: Session, data: JhtStatementIn, principal: Principal, today: dt.date) -> dict[str, Any]:
    """The JHT account of a person: per membership holding JHT, the balance, the years, the rules and warnings.

    Raises:
        NotFound: no such NIK in the caller's territory.
        InvalidInput: the person holds no JHT membership, or the year is after ``as_of``.
    """
    person = find_person(session, data.nik, principal)
    as_of = data.as_of or today
    until = Month.of(as_of) if data.year is None or data.year >= as_of.year else Month(data.year, 12)
    if data.year is not None and data.year > as_of.year:
        raise YearInFuture(as_of.year)
    memberships = _jht_memberships(list(registry_repo.memberships_of(session, person.id)))
    if not memberships:
        raise NoJhtMembership()
    accounts = []
    for membership in memberships:
        ledger = ledger_of(session, person, membership)
        account = jht_account(ledger.jht_paid, until, ledger.jht_withdrawals)
        for note in ledger.jht_notes:
            account.trail.warn(note)
        body = account.as_dict()
        if data.year is not None:
            body["years"] = [y for y in body["years"] if y["year"] == data.year]
            body["monthly"] = [m for m in body["monthly"] if m["month"].startswith(f"{data.year}-")]
        accounts.append({"membership_id": membership.id, "segment": membership.segment, **body})
    audit.record(session, principal, "jht_statement", "person", person.id, region_code=person.village_code)
    return {
        "person": {"full_name": person.full_name, "nik": mask_nik(person.nik)},
        "as_of": as_of.isoformat(),
        "year": data.year,
        "balance": sum(a["balance"] for a in accounts),
        "accounts": accounts,
    }


def jht_statement_pdf(statement: dict[str, Any]) -> bytes:
    """The statement as a PDF (WeasyPrint, template ``claims/jht_statement_pdf.html``)."""
    from weasyprint import HTML

    from jangkau.web.kit import templates

    html = templates.get_template("claims/jht_statement_pdf.html").render(data=statement, rp=format_rupiah)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
