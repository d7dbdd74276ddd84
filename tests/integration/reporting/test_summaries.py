"""Coverage summaries: what the rebuild counts, the incremental refresh, and that both agree."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.db import outbox
from jangkau.errors import Conflict, InvalidInput, NotFound
from jangkau.kit.months import Month
from jangkau.reporting import jobs, service
from jangkau.reporting import repository as repo
from jangkau.reporting.models import CoverageSummary, Rollup

from .conftest import APR, JAN, MAR, OTHER_VILLAGE, TODAY, VILLAGE, Town, Units, pay_month

MEDAN = Principal(user_id=None, username="pemkot", role=Role.REGION_OFFICER, scope=("12.71",))
KEPLING = Principal(user_id=None, username="kepling", role=Role.FIELD_AGENT, scope=(VILLAGE,))


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every summary and rollup row, for comparing a refresh with a rebuild."""
    fine = session.execute(
        select(
            CoverageSummary.village_code,
            CoverageSummary.month,
            CoverageSummary.segment,
            CoverageSummary.payer,
            CoverageSummary.sex,
            CoverageSummary.age_band,
            CoverageSummary.registered,
            CoverageSummary.active,
            CoverageSummary.lapsed,
            CoverageSummary.new,
            CoverageSummary.ended,
        )
    ).all()
    rollup = session.execute(
        select(
            Rollup.region_code,
            Rollup.month,
            Rollup.dim,
            Rollup.value,
            Rollup.level,
            Rollup.parent_code,
            Rollup.registered,
            Rollup.active,
            Rollup.lapsed,
            Rollup.new,
            Rollup.ended,
        )
    ).all()
    return {"fine": sorted(tuple(r) for r in fine), "rollup": sorted(tuple(r) for r in rollup)}


def test_rebuild_counts_registered_active_lapsed_and_new(session: Session, paid_town: Town, units: Units) -> None:
    jobs.rebuild(units, JAN, MAR)
    march = service.coverage_report(session, OPERATOR, "12.71", "2026-03", TODAY)
    # 2 PU paid; BPU: worker 0 paid, worker 1 in arrears (paid February), worker 2 never paid
    totals = march["totals"]
    assert (totals["registered"], totals["active"], totals["lapsed"], totals["new"]) == (5, 3, 1, 0)
    february = service.coverage_report(session, OPERATOR, "12.71", "2026-02", TODAY)
    assert february["totals"]["new"] == 3
    assert february["totals"]["active"] == 4
    payers = {r["value"]: r for r in march["breakdowns"]["payer"]}
    assert payers["employer"]["active"] == 2
    assert payers["self"]["registered"] == 3
    assert {r["value"]: r["registered"] for r in march["breakdowns"]["sex"]} == {"L": 2, "P": 3}
    assert {r["value"]: r["registered"] for r in march["breakdowns"]["age_band"]} == {"25-34": 3, "35-44": 2}
    country = service.coverage_report(session, OPERATOR, "ID", "2026-03", TODAY)
    assert country["totals"]["active"] == 3
    assert [t["month"] for t in country["trend"]] == ["2026-01", "2026-02", "2026-03"]


def test_village_page_and_children_come_from_the_summaries(session: Session, paid_town: Town, units: Units) -> None:
    jobs.rebuild(units, JAN, MAR)
    district = service.coverage_report(session, OPERATOR, "12.71.01", "2026-03", TODAY)
    assert [c["code"] for c in district["children"]] == [VILLAGE]
    village = service.coverage_report(session, OPERATOR, VILLAGE, "2026-03", TODAY)
    assert village["totals"]["registered"] == 4
    assert {r["value"]: r["active"] for r in village["breakdowns"]["segment"]} == {"bpu": 1, "pu": 2}


def test_mark_dirty_then_refresh_equals_a_fresh_rebuild(session: Session, paid_town: Town, units: Units) -> None:
    jobs.rebuild(units, JAN, MAR)
    pay_month(session, MAR, [paid_town.bpu[1].id, paid_town.bpu[2].id], MAR.day(20))
    outbox.mark_changed(session, VILLAGE, MAR)
    outbox.mark_changed(session, OTHER_VILLAGE, MAR)
    assert service.coverage_report(session, OPERATOR, "12.71", "2026-03", TODAY)["freshness"]["refresh_pending"]
    result = jobs.refresh(units, TODAY)
    assert result is not None
    assert result.villages == 2
    refreshed = service.coverage_report(session, OPERATOR, "12.71", "2026-03", TODAY)
    assert refreshed["totals"]["active"] == 5
    assert refreshed["freshness"]["refresh_pending"] is False
    after_refresh = snapshot(session)
    jobs.rebuild(units, JAN, MAR)
    assert snapshot(session) == after_refresh


def test_detect_changes_marks_what_changed_since_a_time(session: Session, paid_town: Town, units: Units) -> None:
    jobs.rebuild(units, JAN, MAR)
    pay_month(session, MAR, [paid_town.bpu[2].id], MAR.day(25))
    since = service.freshness(session, "ID")["refreshed_at"]
    assert service.detect_changes(session, since, TODAY) >= 1
    jobs.refresh(units, TODAY)
    assert service.coverage_report(session, OPERATOR, OTHER_VILLAGE, "2026-03", TODAY)["totals"]["active"] == 1


def test_a_crashed_rebuild_resumes_after_the_last_committed_step(
    session: Session, paid_town: Town, units: Units
) -> None:
    # SQLite: one province per step (the crash comes right after province 12, Sumatera Utara, was committed);
    # PostgreSQL: step 1 = the staging tables loaded and indexed, not yet swapped in
    staged = session.get_bind().dialect.name == "postgresql"
    crash_after = 1 if staged else 2

    def crash(done: int, total: int) -> None:
        if done == crash_after:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        jobs.rebuild(units, JAN, MAR, on_progress=crash)
    freshness = service.freshness(session, "ID")
    # PostgreSQL knows the rebuild died (nobody holds its lock); SQLite cannot tell it from a running one
    assert (freshness["rebuild_interrupted"], freshness["rebuild_running"]) == (staged, not staged)
    assert freshness["complete"] is False
    if staged:  # the live tables are untouched until the swap
        assert service.coverage_report(session, OPERATOR, "12.71", "2026-03", TODAY)["has_data"] is False
    resumed = jobs.rebuild(units, JAN, MAR)
    assert resumed.resumed_from == crash_after
    assert service.coverage_report(session, OPERATOR, "12.71", "2026-03", TODAY)["totals"]["active"] == 3
    assert service.freshness(session, "ID")["rebuild_running"] is False
    assert service.freshness(session, "ID")["rebuild_interrupted"] is False


def test_postgres_one_rebuild_at_a_time_and_refresh_waits_for_a_live_one(
    session: Session, paid_town: Town, units: Units
) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the rebuild lock is a PostgreSQL advisory lock")
    jobs.rebuild(units, JAN, MAR)
    pay_month(session, MAR, [paid_town.bpu[2].id], MAR.day(20))
    outbox.mark_changed(session, OTHER_VILLAGE, MAR)
    repo.start_run(session, "rebuild", JAN.first_day(), MAR.first_day())  # another process's rebuild, staging
    with repo.rebuild_lock(session.get_bind()):
        with pytest.raises(Conflict) as refused:
            jobs.rebuild(units, JAN, MAR)
        assert refused.value.code == "rebuild_running"
        assert service.freshness(session, "ID")["rebuild_running"] is True
        assert jobs.refresh(units, TODAY) is None  # its swap would drop what a refresh writes now
    assert service.freshness(session, "ID")["rebuild_interrupted"] is True  # the lock went with that process
    refreshed = jobs.refresh(units, TODAY)
    assert refreshed is not None
    assert service.coverage_report(session, OPERATOR, OTHER_VILLAGE, "2026-03", TODAY)["totals"]["active"] == 1


def test_postgres_a_refresh_after_a_dead_rebuild_drops_its_stale_stage(
    session: Session, paid_town: Town, units: Units, city_officer: TestClient
) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite rebuilds in place, one province per step")

    def crash(done: int, total: int) -> None:
        raise RuntimeError("killed after staging")

    with pytest.raises(RuntimeError):
        jobs.rebuild(units, JAN, MAR, on_progress=crash)  # staged from the register as it was then
    pay_month(session, MAR, [paid_town.bpu[2].id], MAR.day(20))
    outbox.mark_changed(session, OTHER_VILLAGE, MAR)
    assert jobs.refresh(units, TODAY) is not None  # the dead rebuild no longer holds refreshes back
    assert service.coverage_report(session, OPERATOR, OTHER_VILLAGE, "2026-03", TODAY)["totals"]["active"] == 1
    assert service.freshness(session, "ID")["rebuild_interrupted"] is True
    page = city_officer.get("/reports/12.71?month=2026-03")
    assert page.status_code == 200
    assert "terhenti sebelum selesai" in page.text[page.text.index('id="rebuild-interrupted"') :]
    api = city_officer.get("/api/v1/reports/coverage/12.71?month=2026-03").json()["freshness"]
    assert (api["rebuild_interrupted"], api["rebuild_running"], api["complete"]) == (True, False, False)
    rerun = jobs.rebuild(units, JAN, MAR)
    assert rerun.resumed_from == 0  # the stale stage would have undone the refresh: it starts over
    assert service.coverage_report(session, OPERATOR, OTHER_VILLAGE, "2026-03", TODAY)["totals"]["active"] == 1
    assert service.coverage_report(session, OPERATOR, "12.71", "2026-03", TODAY)["totals"]["active"] == 4
    assert service.freshness(session, "ID")["rebuild_interrupted"] is False
    assert 'id="rebuild-interrupted"' not in city_officer.get("/reports/12.71?month=2026-03").text


def test_postgres_a_crash_while_staging_leaves_the_live_tables_and_a_rerun_starts_over(
    session: Session, paid_town: Town, units: Units, monkeypatch: pytest.MonkeyPatch
) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite rebuilds in place, one province per step")
    jobs.rebuild(units, JAN, MAR)
    before = snapshot(session)
    pay_month(session, MAR, [paid_town.bpu[2].id], MAR.day(20))

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs.sql, "index_stage", broken)
    with pytest.raises(RuntimeError):
        jobs.rebuild(units, JAN, MAR)
    assert snapshot(session) == before  # readers still see the complete earlier figures
    monkeypatch.undo()
    rerun = jobs.rebuild(units, JAN, MAR)
    assert rerun.resumed_from == 0
    assert service.coverage_report(session, OPERATOR, "12.71", "2026-03", TODAY)["totals"]["active"] == 4


def test_scope_month_and_region_refusals(session: Session, paid_town: Town, units: Units) -> None:
    jobs.rebuild(units, JAN, MAR)
    with pytest.raises(NotFound):
        service.coverage_report(session, MEDAN, "ID", "2026-03", TODAY)
    with pytest.raises(NotFound):
        service.coverage_report(session, KEPLING, "12.71.01", "2026-03", TODAY)
    with pytest.raises(NotFound):
        service.coverage_report(session, OPERATOR, "12.71.99", "2026-03", TODAY)
    with pytest.raises(InvalidInput, match="future"):
        service.coverage_report(session, OPERATOR, "12.71", str(Month.of(TODAY).next()), TODAY)
    with pytest.raises(InvalidInput):
        service.coverage_report(session, OPERATOR, "12.71", "March", TODAY)
    own = service.coverage_report(session, KEPLING, VILLAGE, None, TODAY)
    assert own["month"] == str(MAR)
    assert [a["code"] for a in own["region"]["ancestors"]] == []


def test_no_summary_yet_is_said_not_shown_as_zero_coverage(session: Session, town: Town) -> None:
    report = service.coverage_report(session, OPERATOR, "12.71", str(APR), TODAY)
    assert report["has_data"] is False
    assert report["freshness"]["complete"] is False
