"""Workforce estimates and targets: all-or-nothing imports, demo estimates labelled, rates in the report."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.errors import InvalidInput, NotFound
from jangkau.reporting import estimates, jobs, service
from jangkau.reporting.models import WorkforceEstimate
from jangkau.reporting.schemas import CoverageReportRead

from .conftest import JAN, MAR, OTHER_VILLAGE, TODAY, VILLAGE, Town, Units

MEDAN = Principal(user_id=None, username="pemkot", role=Role.REGION_OFFICER, scope=("12.71",))


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(WorkforceEstimate)) or 0)


def test_a_bad_line_imports_nothing_and_names_every_problem(session: Session) -> None:
    content = b"region_code,workers\n12.71.01.1001,100\n12.71.01.9999,5\n12.71.02.1001,-3\n13.71.01.1001,4\n"
    with pytest.raises(InvalidInput) as caught:
        estimates.import_estimates(session, MEDAN, content, 2026, "BPS")
    fields = [f.field for f in caught.value.fields]
    assert fields == ["line 4", "line 3", "line 5"]
    assert "unknown region code 12.71.01.9999" in caught.value.message
    assert count(session) == 0


def test_district_and_village_estimates_may_not_overlap(session: Session) -> None:
    estimates.import_estimates(session, MEDAN, b"region_code,workers\n12.71.01,1000\n", 2026, "BPS")
    with pytest.raises(InvalidInput, match="overlaps"):
        estimates.import_estimates(session, MEDAN, b"region_code,workers\n12.71.01.1001,10\n", 2026, "BPS")
    assert count(session) == 1


def test_rate_against_estimates_and_target_progress(session: Session, paid_town: Town, units: Units) -> None:
    jobs.rebuild(units, JAN, MAR)
    estimates.import_estimates(session, MEDAN, f"region_code,workers\n{VILLAGE},8\n".encode(), 2026, "BPS")
    estimates.set_target(session, MEDAN, "12.71", 2026, 6)
    report = service.coverage_report(session, MEDAN, "12.71", "2026-03", TODAY)
    assert report["totals"]["rate"] == "37,50 %"  # 3 active / 8 workers
    assert report["target"]["progress"] == "50,00 %"
    district = {c["code"]: c for c in report["children"]}
    assert district["12.71.01"]["workforce"] == 8
    assert district["12.71.02"]["rate"] == "—"
    typed = CoverageReportRead.model_validate(report).model_dump(mode="json")  # the API's JSON: numbers
    assert (typed["totals"]["rate_bp"], typed["totals"]["rate"]) == (3750, 37.5)
    assert (typed["target"]["progress_bp"], typed["target"]["progress"]) == (5000, 50.0)
    assert {c["code"]: c["rate"] for c in typed["children"]}["12.71.02"] is None


def test_demo_estimates_are_labelled_demo(session: Session, town: Town) -> None:
    result = estimates.demo_estimates(session, OPERATOR, "12.71", 2026)
    assert result["source"].startswith("DEMO ESTIMATE")
    assert result["stored"] >= 2
    report = service.coverage_report(session, OPERATOR, "12.71", None, TODAY)
    assert report["estimate"]["is_demo"] is True


def test_a_target_outside_the_territory_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        estimates.set_target(session, MEDAN, "12.72", 2026, 100)
    with pytest.raises(InvalidInput):
        estimates.set_target(session, MEDAN, "12.71", 2026, 0)


def test_top_and_bottom_villages_ranked_by_rate(session: Session, paid_town: Town, units: Units) -> None:
    jobs.rebuild(units, JAN, MAR)
    content = f"region_code,workers\n{VILLAGE},8\n{OTHER_VILLAGE},2\n".encode()
    estimates.import_estimates(session, MEDAN, content, 2026, "BPS")
    villages = service.coverage_report(session, MEDAN, "12.71", "2026-03", TODAY)["villages"]
    assert [v["code"] for v in villages["top"]] == [VILLAGE, OTHER_VILLAGE]
    assert [v["rate"] for v in villages["bottom"]] == ["0,00 %", "37,50 %"]
    assert [v["code"] for v in villages["lapsed"]] == [VILLAGE]
