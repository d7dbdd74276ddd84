"""Regional scorecard in the shape of the Paritrana award assessment (REFERENCE.md §5.3): regulation, budget for
vulnerable workers, coverage performance, innovation, each with evidence. The weights are data
(``report_scorecard_weight``) and UNCONFIRMED: no official weighting was found, and every answer says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.funding.models import Payer, Programme
from jangkau.i18n import N_, gettext
from jangkau.kit.documents import check_document
from jangkau.kit.figures import year_month
from jangkau.reporting import repository as repo
from jangkau.reporting import service
from jangkau.reporting.errors import EvidenceNotFound, ScorecardRegionLevel, ScoreOutOfRange, UnknownIndicator
from jangkau.reporting.models import Evidence, ScorecardEntry, ScorecardWeight

INDICATORS = ("regulation", "budget", "coverage", "innovation")
# English catalog texts (N_); the page shows them in its language, the JSON ``name`` stays in Bahasa Indonesia.
INDICATOR_NAMES = {
    "regulation": N_("Regulation (regional regulations, head-of-region rules, decrees)"),
    "budget": N_("Budget for vulnerable workers (APBD/APBDes/Dana Desa)"),
    "coverage": N_("Membership coverage performance"),
    "innovation": N_("Innovation in reaching informal and vulnerable workers"),
}
BUDGET_SPONSORS = ("apbd", "apbdes", "dana_desa")
MAX_EVIDENCE_BYTES = 2_000_000
RULE = {
    "id": "paritrana.regional_scorecard",
    "citation": "REFERENCE.md §5.3 (indicators from several Paritrana editions)",
    "unconfirmed": True,
    "note": "Official indicator weights were not found; the weights here are assumptions kept as data.",
}


def scorecard(session: Session, principal: Principal, region: str, year: int, today: dt.date) -> dict[str, Any]:
    """The scorecard of a region for a year: per indicator the figures we hold, the assessed score, the evidence,
    and the weighted total with the weights flagged UNCONFIRMED.

    Raises:
        NotFound: no such region, or outside the caller's territory.
    """
    place = service.resolve_region(session, principal, region)
    code = str(place["code"])
    weights = {w.indicator: w for w in session.scalars(select(ScorecardWeight))}
    entries = {
        e.indicator: e
        for e in session.scalars(
            select(ScorecardEntry).where(ScorecardEntry.region_code == code, ScorecardEntry.year == year)
        )
    }
    evidence = session.execute(
        select(Evidence.id, Evidence.indicator, Evidence.file_name, Evidence.size, Evidence.uploaded_at)
        .where(Evidence.region_code == code, Evidence.year == year)
        .order_by(Evidence.id)
    ).all()
    figures = _figures(session, principal, code, year, today)
    rows = []
    total = 0
    for indicator in INDICATORS:
        entry, weight = entries.get(indicator), weights.get(indicator)
        score = entry.score if entry else (figures["coverage_score"] if indicator == "coverage" else None)
        weight_bp = weight.weight_bp if weight else 0
        total += (score or 0) * weight_bp
        rows.append(
            {
                "indicator": indicator,
                "name": gettext(INDICATOR_NAMES[indicator], "id"),
                "weight_bp": weight_bp,
                "weight_unconfirmed": weight.unconfirmed if weight else True,
                "score": score,
                "score_source": "assessed" if entry else ("computed" if score is not None else None),
                "note": entry.note if entry else None,
                "evidence": [
                    {"id": e.id, "file_name": e.file_name, "size": e.size, "uploaded_at": e.uploaded_at}
                    for e in evidence
                    if e.indicator == indicator
                ],
            }
        )
    return {
        "region": place,
        "year": year,
        "indicators": rows,
        "figures": figures,
        "weighted_total": (total + 5_000) // 10_000,
        "rule": RULE,
    }


def _figures(session: Session, principal: Principal, code: str, year: int, today: dt.date) -> dict[str, Any]:
    inside = repo.inside(Payer.region_code, code)
    budget = session.scalar(
        select(func.coalesce(func.sum(Programme.budget), 0))
        .join(Payer, Payer.id == Programme.payer_id)
        .where(Payer.kind.in_(BUDGET_SPONSORS), inside)
        .where(Programme.start_month.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    )
    month = year_month(year, today)  # the last complete month of the year (December for a past year)
    coverage = None
    if month is not None:
        coverage = service.coverage_report(session, principal, code, str(month), today)
    rate = coverage["totals"]["rate_bp"] if coverage else None
    return {
        "budget_vulnerable_rupiah": int(budget or 0),
        "coverage_month": str(month) if coverage and month else None,
        "coverage_rate_bp": rate,
        "coverage_rate": coverage["totals"]["rate"] if coverage else None,
        "coverage_score": None if rate is None else min(100, rate // 100),
        "headline": coverage["figures"] if coverage else None,
    }


def put_entry(
    session: Session, principal: Principal, region: str, year: int, indicator: str, score: int, note: str | None
) -> ScorecardEntry:
    """Record the assessed score (0-100) of one indicator.

    Raises:
        InvalidInput: an unknown indicator or a score outside 0-100.
        NotFound: the region does not exist or lies outside the caller's territory.
    """
    code = _require(session, principal, region, indicator)
    if not 0 <= score <= 100:
        raise ScoreOutOfRange
    return session.merge(
        ScorecardEntry(
            region_code=code, year=year, indicator=indicator, score=score, note=note, assessed_by=principal.username
        )
    )


def add_evidence(
    session: Session,
    principal: Principal,
    region: str,
    year: int,
    indicator: str,
    file_name: str,
    content: bytes,
    content_type: str,
) -> Evidence:
    """Attach a document (PDF, PNG or JPEG, at most 2 MB; the content must match its type) to an indicator.

    Raises:
        InvalidInput: too large, empty, another type, or content that is not what the type says.
        NotFound: the region does not exist or lies outside the caller's territory.
    """
    code = _require(session, principal, region, indicator)
    content_type = check_document(content, content_type, MAX_EVIDENCE_BYTES)
    evidence = Evidence(
        region_code=code,
        year=year,
        indicator=indicator,
        file_name=file_name[-200:] or "bukti",
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        data=content,
        uploaded_by=principal.username,
    )
    session.add(evidence)
    session.flush()
    return evidence


def evidence_file(session: Session, principal: Principal, evidence_id: int) -> Evidence:
    """One evidence document, if its region lies inside the caller's territory.

    Raises:
        NotFound: no such document, or outside the caller's territory.
    """
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or not principal.sees(evidence.region_code):
        raise EvidenceNotFound(evidence_id)
    return evidence


def _require(session: Session, principal: Principal, region: str, indicator: str) -> str:
    if indicator not in INDICATORS:
        raise UnknownIndicator(", ".join(INDICATORS))
    code = str(service.resolve_region(session, principal, region)["code"])
    if code == "ID":
        raise ScorecardRegionLevel
    return code
