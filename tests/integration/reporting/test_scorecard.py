"""The regional scorecard: weights UNCONFIRMED and said so, budget from APBD programmes, evidence checks."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.errors import InvalidInput, NotFound
from jangkau.funding.schemas import ProgrammeIn, SponsorIn
from jangkau.funding.service import create_programme, create_sponsor
from jangkau.reporting import estimates, jobs, scorecard

from .conftest import JAN, MAR, TODAY, VILLAGE, Town, Units

MEDAN = Principal(user_id=None, username="pemkot", role=Role.REGION_OFFICER, scope=("12.71",))
PDF = b"%PDF-1.4\n% bukti\n"


def test_scorecard_weights_are_flagged_and_scores_weighted(session: Session, paid_town: Town, units: Units) -> None:
    jobs.rebuild(units, JAN, MAR)
    estimates.import_estimates(session, MEDAN, f"region_code,workers\n{VILLAGE},8\n".encode(), 2026, "BPS")
    sponsor = create_sponsor(session, SponsorIn(kind="apbd", name="APBD Kota Medan", region_code="12.71"))
    create_programme(
        session,
        ProgrammeIn(payer_id=sponsor.id, name="Pekerja rentan", start_month="2026-01", months=12, budget=5_000_000),
    )
    scorecard.put_entry(session, MEDAN, "12.71", 2026, "regulation", 80, "Perwal 2026")
    card = scorecard.scorecard(session, MEDAN, "12.71", 2026, TODAY)
    assert card["rule"]["unconfirmed"] is True
    assert all(i["weight_unconfirmed"] for i in card["indicators"])
    assert card["figures"]["budget_vulnerable_rupiah"] == 5_000_000
    scores = {i["indicator"]: (i["score"], i["score_source"]) for i in card["indicators"]}
    assert scores["regulation"] == (80, "assessed")
    assert scores["budget"] == (None, None)
    # coverage from the latest summarised month (March: 3 active of 8 workers = 37,50 %, score 37)
    assert card["figures"]["coverage_month"] == "2026-03"
    assert scores["coverage"] == (37, "computed")
    assert card["weighted_total"] == (80 * 2_500 + 37 * 3_000 + 5_000) // 10_000


def test_evidence_is_checked_for_size_and_type(session: Session) -> None:
    saved = scorecard.add_evidence(session, MEDAN, "12.71", 2026, "regulation", "perwal.pdf", PDF, "application/pdf")
    assert saved.size == len(PDF)
    with pytest.raises(InvalidInput, match="PDF, PNG or JPEG"):
        scorecard.add_evidence(session, MEDAN, "12.71", 2026, "regulation", "x.pdf", b"MZ\x90", "application/pdf")
    big = PDF + b"0" * scorecard.MAX_EVIDENCE_BYTES
    with pytest.raises(InvalidInput, match="larger"):
        scorecard.add_evidence(session, MEDAN, "12.71", 2026, "regulation", "big.pdf", big, "application/pdf")
    with pytest.raises(InvalidInput):
        scorecard.put_entry(session, MEDAN, "12.71", 2026, "lobbying", 50, None)
    with pytest.raises(NotFound):
        scorecard.scorecard(session, MEDAN, "12.72", 2026, TODAY)
    assert scorecard.evidence_file(session, MEDAN, saved.id).data == PDF
