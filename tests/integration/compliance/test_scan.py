"""The monthly scan: PDS Upah under the UMK, PDS Program for a missing JP, PDS TK from outside evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.compliance.cases import open_case
from jangkau.compliance.imports import import_evidence, import_reports
from jangkau.compliance.jobs import run_scan
from jangkau.compliance.models import Finding
from jangkau.compliance.schemas import CaseIn, FindingIn
from jangkau.compliance.service import employer_standing, record_finding
from jangkau.kit.months import Month
from jangkau.rules import Program, pu_contribution

from .conftest import UMK_MEDAN_2025, Firm

Units = Callable[[], AbstractContextManager[Session]]
MARCH = Month(2025, 3)
ALL = frozenset({Program.JKK, Program.JKM, Program.JHT, Program.JP})
CASE_OFFICER = Principal(None, "pengawas", Role.BRANCH_OFFICER, ("12.71",))


def _by_kind(session: Session, employer_id: int) -> dict[tuple[str, str], Finding]:
    rows = session.scalars(select(Finding).where(Finding.employer_id == employer_id))
    return {(f.kind, f.subject): f for f in rows}


def test_scan_finds_low_wage_and_missing_programme_with_amounts_from_the_rules(
    session: Session, firm: Firm, units: Units
) -> None:
    result = run_scan(units, MARCH)
    assert result.basis == "registry"  # no bills for March: the open memberships are the report
    found = _by_kind(session, firm.employer.id)
    assert set(found) == {("pds_upah", "floor"), ("pds_program", "programs")}
    upah = found[("pds_upah", "floor")]
    expected = pu_contribution(UMK_MEDAN_2025, 2, MARCH, ALL).total - pu_contribution(3_000_000, 2, MARCH, ALL).total
    assert upah.unpaid_per_month == expected
    assert "min_wage.12" in upah.rules
    assert "pu_rates" in upah.rules
    program = found[("pds_program", "programs")]
    assert program.unpaid_per_month == pu_contribution(5_000_000, 2, MARCH, {Program.JP}).total
    assert "programs_by_size" in program.rules


def test_rerunning_a_month_does_not_duplicate(session: Session, firm: Firm, units: Units) -> None:
    run_scan(units, MARCH)
    again = run_scan(units, MARCH)
    assert again.created == 0
    assert again.updated == 2
    count = session.scalar(select(func.count()).select_from(Finding).where(Finding.employer_id == firm.employer.id))
    assert count == 2


def test_a_finding_no_longer_seen_is_resolved_unless_a_case_works_on_it(
    session: Session, firm: Firm, units: Units
) -> None:
    run_scan(units, MARCH)
    low_wage, no_jp = firm.memberships[0], firm.memberships[2]
    low_wage.wage = UMK_MEDAN_2025  # the employer now reports the minimum wage
    session.flush()
    again = run_scan(units, MARCH)
    assert again.resolved == 1
    found = _by_kind(session, firm.employer.id)
    assert found[("pds_upah", "floor")].status == "resolved"
    assert found[("pds_program", "programs")].status == "open", "the missing JP is still missing"
    open_case(session, CaseIn(employer_id=firm.employer.id, on_date=dt.date(2025, 4, 1)), CASE_OFFICER)
    no_jp.programs = "jkk,jkm,jht,jp"
    session.flush()
    third = run_scan(units, MARCH)
    assert third.resolved == 0
    assert third.cleared_in_case == 1, "the case, not the scan, closes a finding it is working on"
    assert _by_kind(session, firm.employer.id)[("pds_program", "programs")].status == "open"
    manual = record_finding(
        session,
        FindingIn(
            employer_id=firm.other.id,
            kind="pds_tk",
            month=MARCH.first_day(),
            subject="complaint",
            summary="Warga melaporkan dua pekerja tidak didaftarkan",
            workers=2,
        ),
        CASE_OFFICER,
    )
    run_scan(units, MARCH)
    assert session.get(Finding, manual["id"]).status == "open", "a finding raised by hand is not the scan's to close"


def test_evidence_of_more_workers_gives_pds_tk_and_raises_the_score(
    session: Session, firm: Firm, units: Units, tmp_path: Path
) -> None:
    evidence = tmp_path / "wajib_lapor.csv"
    evidence.write_text(
        "nomor,tanggal,nama,alamat,npwp,jumlah_pekerja\n"
        "WLK-1,2025-02-10,Sinar Deli Makmur PT,Jl Gatot Subroto 12,012345678121000,10\n"
    )
    result = import_evidence(session, evidence, "wajib_lapor", "tester")
    assert result.accepted == 1
    assert not result.unlinked
    run_scan(units, MARCH)
    tk = _by_kind(session, firm.employer.id)[("pds_tk", "evidence")]
    assert '"workers_missing": 7' in tk.evidence
    # 7 missing workers at the reported average wage (above the UMK), all four programmes
    average = (3_000_000 + 5_000_000 + 5_000_000) // 3
    assert tk.unpaid_per_month == 7 * pu_contribution(average, 2, MARCH, ALL).total
    standing = employer_standing(session, firm.employer.id)
    assert standing.score == min(100, sum(f["points"] for f in standing.open_findings))
    assert len(standing.open_findings) == 3
    assert any("PDS TK" in line for line in standing.explanation)


def test_branch_file_overrides_billing_and_lists_rejected_rows(
    session: Session, firm: Firm, units: Units, tmp_path: Path
) -> None:
    report = tmp_path / "laporan.csv"
    report.write_text(
        "npp;bulan;jumlah_tk;total_upah;program\n"
        "NPP-7001;2025-03;2;6000000;jkk jkm jht jp\n"
        "NPP-9999;2025-03;4;16000000;\n"
        "NPP-7002;2025-03;3;0;\n"
        "NPP-7002;2025-3x;3;9000000;\n"
    )
    result = import_reports(session, report, "tester")
    assert result.accepted == 1
    reasons = {r["line"]: r["reason"] for r in result.rejected}
    assert "NPP-9999" in reasons[3]
    assert "more than zero" in reasons[4]
    assert "YYYY-MM" in reasons[5]
    run_scan(units, MARCH)
    found = _by_kind(session, firm.employer.id)
    # the file says 2 workers at Rp3,000,000 average: under the UMK, all programmes
    assert set(found) == {("pds_upah", "floor")}
    assert '"source": "file"' in found[("pds_upah", "floor")].evidence
