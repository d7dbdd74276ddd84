"""All SQL of the compliance domain. Reads that return employers, findings or cases filter by territory scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Date, and_, delete, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from jangkau.compliance.models import (
    Case,
    CaseDocument,
    CaseStep,
    ComplianceImport,
    EmployerReport,
    Evidence,
    Finding,
    ImportRejection,
)
from jangkau.db.scope import scope_filter
from jangkau.funding.models import BillLine
from jangkau.kit.months import Month
from jangkau.kit.pagination import Page, PageRequest
from jangkau.registry.models import Employer, Membership

OPEN_MEMBERSHIP = ("pending", "active", "lapsed")
OPEN_CASE = ("assessment", "warning_1", "warning_2", "fine", "tmp2t")


def add(session: Session, row: Any) -> Any:
    session.add(row)
    session.flush()
    return row


# --- employers ---------------------------------------------------------------------------------------------


def employer(session: Session, employer_id: int, scope: Iterable[str]) -> Employer | None:
    """The employer if it lies inside ``scope`` (else None, as if it did not exist)."""
    return session.scalars(
        select(Employer).where(Employer.id == employer_id, scope_filter(Employer.village_code, scope))
    ).first()


def employer_chunks(session: Session, size: int) -> list[tuple[int, int]]:
    """Employer id ranges of about ``size`` employers each, in id order."""
    ids = session.scalars(select(Employer.id).order_by(Employer.id)).all()
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def employers_between(session: Session, low: int, high: int) -> Sequence[Any]:
    return session.execute(
        select(Employer.id, Employer.size_class, Employer.jkk_risk_group, Employer.village_code).where(
            Employer.id.between(low, high)
        )
    ).all()


def link_keys(session: Session) -> Sequence[Any]:
    """Every employer's id, number, NPWP, name and address (to link evidence)."""
    return session.execute(
        select(Employer.id, Employer.registration_number, Employer.npwp, Employer.name, Employer.address)
    ).all()


def employer_ids_by_number(session: Session, numbers: Iterable[str]) -> dict[str, int]:
    wanted = {n for n in numbers if n}
    if not wanted:
        return {}
    rows = session.execute(
        select(Employer.registration_number, Employer.id).where(Employer.registration_number.in_(wanted))
    ).all()
    return {str(number): int(employer_id) for number, employer_id in rows}


# --- reported workforce --------------------------------------------------------------------------------------


def month_has_pu_lines(session: Session, month: Month) -> bool:
    found = session.scalar(
        select(BillLine.id)
        .join(Membership, Membership.id == BillLine.membership_id)
        .where(BillLine.month == month.first_day(), Membership.segment == "pu")
        .limit(1)
    )
    return found is not None


def _reported_source(month: Month, basis: str) -> Any:
    """Per reported worker: employer id, wage, programmes (billing: a PU bill line of the month; registry:
    an open PU membership in the month)."""
    wage = func.coalesce(Membership.wage, 0).label("wage")
    if basis == "billing":
        return (
            select(Membership.employer_id, wage, Membership.programs)
            .select_from(BillLine)
            .join(Membership, Membership.id == BillLine.membership_id)
            .where(BillLine.month == month.first_day(), Membership.segment == "pu")
        )
    return select(Membership.employer_id, wage, Membership.programs).where(
        Membership.segment == "pu",
        Membership.status.in_(OPEN_MEMBERSHIP),
        Membership.start_date <= month.last_day(),
        or_(Membership.end_date.is_(None), Membership.end_date >= month.first_day()),
    )


def wage_groups(session: Session, month: Month, basis: str, low: int, high: int) -> Sequence[Any]:
    """(employer id, wage, programmes, workers) for employers in ``[low, high]``: one row per distinct pair."""
    source = _reported_source(month, basis).subquery()
    return session.execute(
        select(source.c.employer_id, source.c.wage, source.c.programs, func.count())
        .where(source.c.employer_id.between(low, high))
        .group_by(source.c.employer_id, source.c.wage, source.c.programs)
    ).all()


def refresh_reports(session: Session, month: Month, basis: str, low: int, high: int) -> int:
    """Replace the month's billing/registry reports of employers in ``[low, high]`` with fresh totals."""
    session.execute(
        delete(EmployerReport).where(
            EmployerReport.month == month.first_day(),
            EmployerReport.source.in_(("billing", "registry")),
            EmployerReport.employer_id.between(low, high),
        )
    )
    source = _reported_source(month, basis).subquery()
    result = session.execute(
        insert(EmployerReport).from_select(
            ["employer_id", "month", "source", "workers", "total_wage", "lowest_wage", "programs", "created_at"],
            select(
                source.c.employer_id,
                literal(month.first_day(), Date),
                literal(basis),
                func.count(),
                func.sum(source.c.wage),
                func.min(source.c.wage),
                func.max(source.c.programs),
                func.current_timestamp(),
            )
            .where(source.c.employer_id.between(low, high))
            .group_by(source.c.employer_id),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def file_reports(session: Session, month: Month, low: int, high: int) -> dict[int, EmployerReport]:
    rows = session.scalars(
        select(EmployerReport).where(
            EmployerReport.month == month.first_day(),
            EmployerReport.source == "file",
            EmployerReport.employer_id.between(low, high),
        )
    )
    return {r.employer_id: r for r in rows}


def file_report(session: Session, employer_id: int, month: dt.date) -> EmployerReport | None:
    return session.scalars(
        select(EmployerReport).where(
            EmployerReport.employer_id == employer_id, EmployerReport.month == month, EmployerReport.source == "file"
        )
    ).first()


def reports_of(session: Session, employer_id: int, limit: int = 24) -> Sequence[EmployerReport]:
    return session.scalars(
        select(EmployerReport)
        .where(EmployerReport.employer_id == employer_id)
        .order_by(EmployerReport.month.desc(), EmployerReport.source)
        .limit(limit)
    ).all()


# --- evidence ----------------------------------------------------------------------------------------------


def evidence_by_ref(session: Session, kind: str, refs: Iterable[str]) -> dict[str, Evidence]:
    wanted = set(refs)
    if not wanted:
        return {}
    rows = session.scalars(select(Evidence).where(Evidence.kind == kind, Evidence.source_ref.in_(wanted)))
    return {e.source_ref: e for e in rows}


def evidence(session: Session, evidence_id: int) -> Evidence | None:
    return session.get(Evidence, evidence_id)


def linked_evidence(session: Session, employer_ids: Iterable[int], first: dt.date, last: dt.date) -> Sequence[Evidence]:
    """Linked evidence about these employers observed between ``first`` and ``last``."""
    ids = list(employer_ids)
    if not ids:
        return []
    return session.scalars(
        select(Evidence)
        .where(
            Evidence.employer_id.in_(ids),
            Evidence.link_status == "linked",
            Evidence.observed_on.between(first, last),
        )
        .order_by(Evidence.observed_on)
    ).all()


def review_queue(session: Session, limit: int = 200) -> Sequence[Evidence]:
    return session.scalars(
        select(Evidence).where(Evidence.link_status == "review").order_by(Evidence.id).limit(limit)
    ).all()


def evidence_of(session: Session, employer_id: int) -> Sequence[Evidence]:
    return session.scalars(
        select(Evidence).where(Evidence.employer_id == employer_id).order_by(Evidence.observed_on.desc())
    ).all()


# --- imports -----------------------------------------------------------------------------------------------


def rejections(session: Session, import_id: int) -> Sequence[ImportRejection]:
    return session.scalars(
        select(ImportRejection).where(ImportRejection.import_id == import_id).order_by(ImportRejection.line_no)
    ).all()


def import_row(session: Session, import_id: int) -> ComplianceImport | None:
    return session.get(ComplianceImport, import_id)


# --- findings ----------------------------------------------------------------------------------------------


def findings_between(session: Session, month: Month, low: int, high: int) -> dict[tuple[int, str, str], Finding]:
    rows = session.scalars(
        select(Finding).where(Finding.month == month.first_day(), Finding.employer_id.between(low, high))
    )
    return {(f.employer_id, f.kind, f.subject): f for f in rows}


def finding_by_key(session: Session, employer_id: int, kind: str, month: dt.date, subject: str) -> Finding | None:
    return session.scalars(
        select(Finding).where(
            Finding.employer_id == employer_id, Finding.kind == kind, Finding.month == month, Finding.subject == subject
        )
    ).first()


def insert_findings(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(Finding), rows)


def open_findings(session: Session, employer_id: int) -> Sequence[Finding]:
    return session.scalars(
        select(Finding)
        .where(Finding.employer_id == employer_id, Finding.status == "open")
        .order_by(Finding.month.desc(), Finding.kind)
    ).all()


def open_findings_of(session: Session, employer_ids: Iterable[int]) -> Sequence[Finding]:
    """Open findings of several employers at once, each employer's in :func:`open_findings` order."""
    ids = sorted(set(employer_ids))
    if not ids:
        return []
    return session.scalars(
        select(Finding)
        .where(Finding.employer_id.in_(ids), Finding.status == "open")
        .order_by(Finding.employer_id, Finding.month.desc(), Finding.kind)
    ).all()


def findings_by_ids(session: Session, employer_id: int, ids: Iterable[int]) -> Sequence[Finding]:
    return session.scalars(
        select(Finding).where(Finding.employer_id == employer_id, Finding.id.in_(list(ids))).order_by(Finding.month)
    ).all()


def findings_of_case(session: Session, case_id: int) -> Sequence[Finding]:
    return session.scalars(select(Finding).where(Finding.case_id == case_id).order_by(Finding.month)).all()


def risk_page(session: Session, scope: Iterable[str], page: PageRequest, region: str | None = None) -> Page[Any]:
    """Employers in scope with open findings, highest risk first: (employer, score, findings, unpaid a month)."""
    score = func.sum(Finding.points)
    conditions = [Finding.status == "open", scope_filter(Employer.village_code, scope)]
    if region:
        conditions.append(scope_filter(Employer.village_code, [region]))
    grouped = (
        select(
            Finding.employer_id,
            score.label("score"),
            func.count().label("findings"),
            func.sum(Finding.unpaid_per_month).label("unpaid"),
        )
        .join(Employer, Employer.id == Finding.employer_id)
        .where(*conditions)
        .group_by(Finding.employer_id)
        .subquery()
    )
    total = session.scalar(select(func.count()).select_from(grouped)) or 0
    rows = session.execute(
        select(Employer, grouped.c.score, grouped.c.findings, grouped.c.unpaid)
        .join(grouped, grouped.c.employer_id == Employer.id)
        .order_by(grouped.c.score.desc(), grouped.c.unpaid.desc(), Employer.id)
        .offset(page.offset)
        .limit(page.size)
    ).all()
    return Page.of(list(rows), int(total), page)


# --- cases -------------------------------------------------------------------------------------------------


def case(session: Session, case_id: int, scope: Iterable[str], lock: bool = False) -> Case | None:
    query = select(Case).where(Case.id == case_id, scope_filter(Case.region_code, scope))
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def cases_of(session: Session, employer_id: int, open_only: bool = False) -> Sequence[Case]:
    query = select(Case).where(Case.employer_id == employer_id)
    if open_only:
        query = query.where(Case.status.in_(OPEN_CASE))
    return session.scalars(query.order_by(Case.opened_on.desc(), Case.id.desc())).all()


def open_cases_of(session: Session, employer_ids: Iterable[int]) -> Sequence[Case]:
    """Open cases of several employers at once, each employer's in :func:`cases_of` order."""
    ids = sorted(set(employer_ids))
    if not ids:
        return []
    return session.scalars(
        select(Case)
        .where(Case.employer_id.in_(ids), Case.status.in_(OPEN_CASE))
        .order_by(Case.employer_id, Case.opened_on.desc(), Case.id.desc())
    ).all()


def cases_in(session: Session, scope: Iterable[str], limit: int = 200) -> Sequence[tuple[Case, Employer]]:
    rows = session.execute(
        select(Case, Employer)
        .join(Employer, Employer.id == Case.employer_id)
        .where(scope_filter(Case.region_code, scope))
        .order_by(Case.opened_on.desc(), Case.id.desc())
        .limit(limit)
    ).all()
    return [(c, e) for c, e in rows]


def steps(session: Session, case_id: int) -> Sequence[CaseStep]:
    return session.scalars(
        select(CaseStep).where(CaseStep.case_id == case_id).order_by(CaseStep.on_date, CaseStep.id)
    ).all()


def documents(session: Session, case_id: int) -> Sequence[CaseDocument]:
    return session.scalars(select(CaseDocument).where(CaseDocument.case_id == case_id).order_by(CaseDocument.id)).all()


def document(session: Session, case_id: int, document_id: int) -> CaseDocument | None:
    return session.scalars(
        select(CaseDocument).where(CaseDocument.case_id == case_id, CaseDocument.id == document_id)
    ).first()


def summary(session: Session, scope: Iterable[str], first: dt.date, last: dt.date) -> dict[str, int]:
    """Cases opened and resolved in ``[first, last]``, contribution recovered, open cases and findings now."""
    in_scope = scope_filter(Case.region_code, scope)
    opened = session.scalar(select(func.count()).where(in_scope, Case.opened_on.between(first, last))) or 0
    ended = and_(in_scope, Case.closed_on.between(first, last))
    resolved = session.scalar(select(func.count()).where(ended, Case.status == "resolved")) or 0
    closed = session.scalar(select(func.count()).where(ended, Case.status == "closed")) or 0
    recovered = session.scalar(
        select(func.coalesce(func.sum(CaseStep.amount), 0))
        .join(Case, Case.id == CaseStep.case_id)
        .where(in_scope, CaseStep.kind == "payment", CaseStep.on_date.between(first, last))
    )
    open_cases = session.scalar(select(func.count()).where(in_scope, Case.status.in_(OPEN_CASE))) or 0
    findings = session.execute(
        select(func.count(), func.coalesce(func.sum(Finding.unpaid_per_month), 0))
        .join(Employer, Employer.id == Finding.employer_id)
        .where(Finding.status == "open", scope_filter(Employer.village_code, scope))
    ).one()
    return {
        "cases_opened": int(opened),
        "cases_resolved": int(resolved),
        "cases_closed": int(closed),
        "recovered": int(recovered or 0),
        "open_cases": int(open_cases),
        "open_findings": int(findings[0]),
        "open_unpaid_per_month": int(findings[1]),
    }
