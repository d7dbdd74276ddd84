"""Use cases around findings: record one (other domains call this), an employer's standing, the risk list,
evidence review and the city summary. Services never commit; the caller's unit of work does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import EVERYWHERE, OPERATOR, Principal
from jangkau.compliance import repository as repo
from jangkau.compliance.errors import EmployerNotFound, EvidenceNotFound, EvidenceNotInReview, PeriodInvalid
from jangkau.compliance.jobs import apply_draft, finding_row
from jangkau.compliance.models import Case, Finding
from jangkau.compliance.rules import amounts, obligations
from jangkau.compliance.schemas import FindingIn, LinkIn
from jangkau.i18n import N_, format_rupiah, gettext
from jangkau.kit.months import Month
from jangkau.kit.pagination import PageRequest
from jangkau.registry.models import Employer
from jangkau.rules import Trail

MAX_SCORE = 100


def employer_or_404(session: Session, employer_id: int, scope: Iterable[str]) -> Employer:
    """The employer inside ``scope``.

    Raises:
        NotFound: no such employer, or outside the caller's territory.
    """
    found = repo.employer(session, employer_id, scope)
    if found is None:
        raise EmployerNotFound(employer_id)
    return found


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "employer_id": finding.employer_id,
        "kind": finding.kind,
        "month": str(Month.of(finding.month)),
        "subject": finding.subject,
        "status": finding.status,
        "origin": finding.origin,
        "summary": finding.summary,
        "summary_id": finding.summary_id,
        "unpaid_per_month": finding.unpaid_per_month,
        "points": finding.points,
        "case_id": finding.case_id,
        "evidence": json.loads(finding.evidence),
        **json.loads(finding.rules),
    }


def _unpaid(employer: Employer, data: FindingIn, month: Month, trail: Trail) -> int:
    """What a recorded finding implies is unpaid a month, where the figures allow it (else 0)."""
    required = obligations.required_programs(employer.size_class, trail)
    floor = amounts.floor_of(employer.village_code, month, trail)
    floor_amount = floor.amount if floor else 0
    rg = employer.jkk_risk_group
    if data.kind == "pds_tk":
        wage = max(data.wage or 0, floor_amount)
        return data.workers * amounts.monthly(wage, rg, month, required, trail)
    if data.kind == "pds_upah" and data.wage is not None and data.wage < floor_amount:
        gap = amounts.monthly(floor_amount, rg, month, required, trail) - amounts.monthly(
            data.wage, rg, month, required, trail
        )
        return data.workers * gap
    if data.kind == "pds_program" and data.wage:
        return data.workers * amounts.monthly(data.wage, rg, month, required, trail)
    return 0


def record_finding(
    session: Session, data: FindingIn, principal: Principal = OPERATOR, origin: str = "manual"
) -> dict[str, Any]:
    """Record a finding about an employer, e.g. the jobs domain's "unregistered hire after 30 days" (PDS TK).

    The same employer, kind, month and subject again updates the open finding instead of adding one.

    Args:
        session: the caller's unit of work.
        data: kind (``pds_tk``, ``pds_upah``, ``pds_program``), month, subject, summary, evidence; ``workers`` and
            ``wage`` let the unpaid contribution be computed with the rules engine.
        principal: who records it (audited); its scope must include the employer.
        origin: which domain or person raised it (``jobs``, ``manual``...).

    Returns:
        The finding as a dict, with the unpaid contribution a month and the rules used.

    Raises:
        NotFound: the employer is unknown or outside the caller's territory.
        InvalidInput: a month outside the rules on file.
    """
    employer = employer_or_404(session, data.employer_id, principal.scope)
    month = Month.of(data.month)
    trail = Trail()
    unpaid = _unpaid(employer, data, month, trail)
    draft = amounts.Draft(
        data.kind, data.subject, data.summary, data.summary_id or data.summary, unpaid, data.evidence, trail
    )

    row = finding_row(draft, employer.id, month, origin[:20])
    existing = repo.finding_by_key(session, employer.id, data.kind, month.first_day(), data.subject)
    if existing is None:
        finding: Finding = repo.add(session, Finding(**row))
        audit.record(session, principal, "create", "compliance_finding", finding.id, region_code=employer.village_code)
    else:
        apply_draft(existing, row)
        session.flush()
        finding = existing
    return finding_dict(finding)


@dataclass
class Standing:
    """An employer's compliance standing: open findings, open cases, a risk score 0-100 and why."""

    employer_id: int
    score: int
    open_findings: list[dict[str, Any]] = field(default_factory=list)
    open_cases: list[dict[str, Any]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    explanation_id: list[str] = field(default_factory=list)  # the same lines in Bahasa Indonesia

    def as_dict(self) -> dict[str, Any]:
        return {
            "employer_id": self.employer_id,
            "score": self.score,
            "open_findings": self.open_findings,
            "open_cases": self.open_cases,
            "explanation": self.explanation,
            "explanation_id": self.explanation_id,
        }


def case_brief(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "status": case.status,
        "opened_on": case.opened_on.isoformat(),
        "deadline": case.deadline.isoformat() if case.deadline else None,
    }


EXPLAIN_LINE = N_(
    "%(kind)s %(month)s: %(summary)s (+%(points)s: %(base)s for the kind, %(extra)s for %(unpaid)s unpaid a month)"
)


def explain(findings: Iterable[Finding]) -> tuple[int, list[str], list[str]]:
    """The score (sum of the findings' points, at most 100) and one line per finding saying what it adds, in English
    and in Bahasa Indonesia."""
    lines: dict[str, list[str]] = {"en": [], "id": []}
    total = 0
    for f in findings:
        total += f.points
        base = amounts.POINTS.get(f.kind, 10)
        for lang, summary in (("en", f.summary), ("id", f.summary_id or f.summary)):
            lines[lang].append(
                gettext(
                    EXPLAIN_LINE,
                    lang,
                    kind=f.kind.upper().replace("_", " "),
                    month=str(Month.of(f.month)),
                    summary=summary,
                    points=f.points,
                    base=base,
                    extra=f.points - base,
                    unpaid=format_rupiah(f.unpaid_per_month, lang),
                )
            )
    return min(MAX_SCORE, total), lines["en"], lines["id"]


def employer_standing(session: Session, employer_id: int, scope: Iterable[str] = EVERYWHERE) -> Standing:
    """An employer's open findings, open cases and risk score, for other domains (e.g. jobs shows it to seekers).

    Raises:
        NotFound: the employer is unknown or outside ``scope``.
    """
    employer = employer_or_404(session, employer_id, scope)
    findings = repo.open_findings(session, employer.id)
    score, lines, lines_id = explain(findings)
    cases = [case_brief(c) for c in repo.cases_of(session, employer.id, open_only=True)]
    return Standing(employer.id, score, [finding_dict(f) for f in findings], cases, lines, lines_id)


def employer_standings(session: Session, employer_ids: Iterable[int]) -> dict[int, Standing]:
    """:func:`employer_standing` of several employers the caller already holds, in two queries (batch read).

    The same score, findings, cases and explanation per employer; no scope check (the caller has the employers).
    """
    ids = sorted(set(employer_ids))
    findings: dict[int, list[Finding]] = {i: [] for i in ids}
    cases: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for f in repo.open_findings_of(session, ids):
        findings[f.employer_id].append(f)
    for c in repo.open_cases_of(session, ids):
        cases[c.employer_id].append(case_brief(c))
    out = {}
    for i in ids:
        score, lines, lines_id = explain(findings[i])
        out[i] = Standing(i, score, [finding_dict(f) for f in findings[i]], cases[i], lines, lines_id)
    return out


def risk_list(session: Session, scope: Iterable[str], page: PageRequest, region: str | None = None) -> dict[str, Any]:
    """Employers by risk of non-compliance (score from their open findings), highest first."""
    listing = repo.risk_page(session, scope, page, region)
    return {
        "total": listing.total,
        "page": page.page,
        "pages": listing.pages,
        "items": [
            {
                "employer_id": e.id,
                "registration_number": e.registration_number,
                "name": e.name,
                "size_class": e.size_class,
                "village_code": e.village_code,
                "score": min(MAX_SCORE, int(score)),
                "open_findings": int(count),
                "unpaid_per_month": int(unpaid),
            }
            for e, score, count, unpaid in listing.items
        ],
    }


def employer_detail(session: Session, employer_id: int, scope: Iterable[str]) -> dict[str, Any]:
    """Standing plus reported months, evidence and every case of an employer inside ``scope``."""
    standing = employer_standing(session, employer_id, scope)
    employer = employer_or_404(session, employer_id, scope)
    return {
        "employer": {
            "id": employer.id,
            "registration_number": employer.registration_number,
            "name": employer.name,
            "size_class": employer.size_class,
            "jkk_risk_group": employer.jkk_risk_group,
            "village_code": employer.village_code,
        },
        **standing.as_dict(),
        "reports": [
            {"month": str(Month.of(r.month)), "source": r.source, "workers": r.workers, "total_wage": r.total_wage}
            for r in repo.reports_of(session, employer.id)
        ],
        "evidence": [
            {
                "id": e.id,
                "kind": e.kind,
                "ref": e.source_ref,
                "observed_on": e.observed_on.isoformat(),
                "workers": e.workers,
                "average_wage": e.average_wage,
                "link": e.link_method,
                "score": e.link_score,
            }
            for e in repo.evidence_of(session, employer.id)
        ],
        "cases": [case_brief(c) for c in repo.cases_of(session, employer.id)],
    }


def review_list(session: Session) -> list[dict[str, Any]]:
    """Evidence whose link to an employer is ambiguous, with the candidates and their scores."""
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "ref": e.source_ref,
            "name": e.name,
            "address": e.address,
            "best_score": e.link_score,
            "candidates": json.loads(e.candidates or "[]"),
        }
        for e in repo.review_queue(session)
    ]


def link_evidence(session: Session, evidence_id: int, data: LinkIn, principal: Principal) -> dict[str, Any]:
    """A person's decision on evidence in review: attach it to an employer (in scope), or mark it unlinked.

    Raises:
        NotFound: no such evidence, or the employer is outside the caller's territory.
        InvalidInput: the evidence is not waiting for review.
    """
    item = repo.evidence(session, evidence_id)
    if item is None:
        raise EvidenceNotFound(evidence_id)
    if item.link_status != "review":
        raise EvidenceNotInReview(item.link_status)
    before = {"link_status": item.link_status, "employer_id": item.employer_id}
    if data.employer_id is None:
        item.link_status, item.link_method = "unlinked", "manual"
    else:
        employer = employer_or_404(session, data.employer_id, principal.scope)
        item.employer_id, item.link_status, item.link_method = employer.id, "linked", "manual"
    session.flush()
    after = {"link_status": item.link_status, "employer_id": item.employer_id}
    audit.record(session, principal, "update", "compliance_evidence", item.id, before=before, after=after)
    return {"id": item.id, **after}


def city_summary(session: Session, scope: Iterable[str], first: dt.date, last: dt.date) -> dict[str, Any]:
    """Cases opened, resolved and closed in a period, contribution recovered, and what is open now.

    Raises:
        InvalidInput: ``first`` after ``last``.
    """
    if first > last:
        raise PeriodInvalid()
    return {"from": first.isoformat(), "to": last.isoformat(), **repo.summary(session, scope, first, last)}
