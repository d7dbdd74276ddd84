"""The monthly compliance scan: set-based per chunk of employers, committed in resumable checkpoints.

Per chunk: one INSERT ... SELECT refreshes the month's reported totals, one grouped query reads the reported
wage groups, one reads the outside evidence and one the findings already on file; the detectors run per
employer in memory (amounts cached per distinct wage, risk group and programmes). A finding already on file for
the same employer, kind, month and subject is updated while open and left alone once resolved or dismissed, so
re-running a month never duplicates. An open finding the scan itself raised that a re-run no longer sees (the
employer registered the workers, raised the wage, added the programme) is resolved by the scan, unless a case
is working on it: then it stays open for the officer to close with the case, and the scan counts it as cleared.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jangkau.compliance import repository as repo
from jangkau.compliance.models import EmployerReport, Evidence, Finding
from jangkau.compliance.rules.amounts import Draft, EmployerMonth, OutsideFigure, WageGroup, detect
from jangkau.db.base import utcnow
from jangkau.db.checkpoint import get_checkpoint, save_checkpoint
from jangkau.kit.months import Month
from jangkau.rules import Program, parse_programs

SCAN_JOB = "compliance_scan"
DEFAULT_CHUNK = 500
EVIDENCE_WINDOW_DAYS = 365
Units = Callable[[], AbstractContextManager[Session]]
Progress = Callable[[int, int], None]


@dataclass
class ScanResult:
    """What one scan run did."""

    month: Month
    basis: str = "billing"
    chunks: int = 0
    resumed_from: int = 0
    employers_reported: int = 0
    created: int = 0
    updated: int = 0
    resolved: int = 0  # open scan findings no longer seen, resolved by this run
    cleared_in_case: int = 0  # no longer seen, but left open because a case is working on them
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month),
            "basis": self.basis,
            "chunks": self.chunks,
            "resumed_from": self.resumed_from,
            "employers_reported": self.employers_reported,
            "created": self.created,
            "updated": self.updated,
            "resolved": self.resolved,
            "cleared_in_case": self.cleared_in_case,
            "by_kind": dict(self.by_kind),
        }


def _programs(text: str) -> frozenset[Program]:
    return parse_programs(text) if text.strip(",") else frozenset()


def _groups(rows: list[Any], report: EmployerReport | None) -> tuple[tuple[WageGroup, ...], str | None]:
    """The branch file wins over billing for an employer-month: it is what the employer declared."""
    if report is not None and report.workers > 0:
        average = report.total_wage // report.workers
        return (WageGroup(average, _programs(report.programs), report.workers),), "file"
    groups = tuple(WageGroup(int(wage), _programs(programs), int(n)) for _, wage, programs, n in rows)
    return groups, None


def outside_figure(evidence: list[Evidence]) -> OutsideFigure:
    """The most workers and the highest average wage other registers show (latest record of each register)."""
    latest: dict[str, Evidence] = {}
    for item in evidence:  # ordered by observed_on
        latest[item.kind] = item
    workers = [e.workers for e in latest.values() if e.workers is not None]
    wages = [e.average_wage for e in latest.values() if e.average_wage]
    sources = tuple(
        {
            "evidence_id": e.id,
            "kind": e.kind,
            "ref": e.source_ref,
            "observed_on": e.observed_on.isoformat(),
            "workers": e.workers,
            "average_wage": e.average_wage,
        }
        for e in latest.values()
    )
    return OutsideFigure(max(workers) if workers else None, max(wages) if wages else None, sources)


def finding_row(draft: Draft, employer_id: int, month: Month, origin: str) -> dict[str, Any]:
    now = utcnow()
    return {
        "employer_id": employer_id,
        "kind": draft.kind,
        "month": month.first_day(),
        "subject": draft.subject,
        "status": "open",
        "origin": origin,
        "summary": draft.summary[:400],
        "summary_id": draft.summary_id[:400],
        "evidence": json.dumps(draft.evidence, default=str, ensure_ascii=False),
        "rules": json.dumps(draft.trail.as_dict(), ensure_ascii=False),
        "unpaid_per_month": draft.unpaid_per_month,
        "points": draft.points,
        "created_at": now,
        "updated_at": now,
    }


def apply_draft(existing: Finding, row: dict[str, Any]) -> bool:
    """Refresh an open finding from a new draft; a resolved or dismissed one stays as it is."""
    if existing.status != "open":
        return False
    for key in ("summary", "summary_id", "evidence", "rules", "unpaid_per_month", "points"):
        setattr(existing, key, row[key])
    return True


def _scan_chunk(session: Session, month: Month, basis: str, low: int, high: int, result: ScanResult) -> None:
    result.employers_reported += repo.refresh_reports(session, month, basis, low, high)
    by_employer: dict[int, list[Any]] = defaultdict(list)
    for row in repo.wage_groups(session, month, basis, low, high):
        by_employer[int(row[0])].append(row)
    files = repo.file_reports(session, month, low, high)
    employers = repo.employers_between(session, low, high)
    first = month.last_day() - dt.timedelta(days=EVIDENCE_WINDOW_DAYS)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in repo.linked_evidence(session, [e.id for e in employers], first, month.last_day()):
        assert item.employer_id is not None
        evidence[item.employer_id].append(item)
    existing = repo.findings_between(session, month, low, high)
    seen: set[tuple[int, str, str]] = set()
    new_rows: list[dict[str, Any]] = []
    for employer_id, size_class, risk_group, village in employers:
        groups, override = _groups(by_employer.get(employer_id, []), files.get(employer_id))
        em = EmployerMonth(employer_id, size_class, risk_group, village, month, groups, override or basis)
        for draft in detect(em, outside_figure(evidence.get(employer_id, []))):
            row = finding_row(draft, employer_id, month, "scan")
            seen.add((employer_id, draft.kind, draft.subject))
            found = existing.get((employer_id, draft.kind, draft.subject))
            result.by_kind[draft.kind] += 1
            if found is None:
                new_rows.append(row)
                result.created += 1
            elif apply_draft(found, row):
                result.updated += 1
    _resolve_unseen(existing, seen, result)
    repo.insert_findings(session, new_rows)
    session.flush()


def _resolve_unseen(
    existing: dict[tuple[int, str, str], Finding], seen: set[tuple[int, str, str]], result: ScanResult
) -> None:
    """Resolve the open scan findings of the chunk that this run no longer sees (a case keeps its own open)."""
    for key, finding in existing.items():
        if key in seen or finding.status != "open" or finding.origin != "scan":
            continue
        if finding.case_id is not None:
            result.cleared_in_case += 1
            continue
        finding.status = "resolved"
        result.resolved += 1


def run_scan(
    units: Units, month: Month, *, chunk_size: int = DEFAULT_CHUNK, on_progress: Progress | None = None
) -> ScanResult:
    """Scan every employer for ``month``: reported totals, then PDS TK, PDS Upah and PDS Program findings.

    Args:
        units: opens one transaction; each chunk of employers is one transaction with its checkpoint.
        month: the contribution month to check.
        chunk_size: employers per chunk.
        on_progress: called with (chunks done, chunks in all) after each chunk.

    Returns:
        Counts of findings created and updated, per kind, and whether billing or the register was the basis.

    Raises:
        InvalidInput: a month outside the rules on file.
    """
    key = str(month)
    with units() as session:
        basis = "billing" if repo.month_has_pu_lines(session, month) else "registry"
        plan = repo.employer_chunks(session, chunk_size)
        checkpoint = get_checkpoint(session, SCAN_JOB, key)
        start = 0
        if checkpoint is not None and checkpoint.state == "running" and checkpoint.note:
            plan = [(int(lo), int(hi)) for lo, hi in json.loads(checkpoint.note)]
            start = checkpoint.units_done
        save_checkpoint(session, SCAN_JOB, key, start, len(plan))
        saved = get_checkpoint(session, SCAN_JOB, key)
        assert saved is not None
        saved.note = json.dumps(plan)
    result = ScanResult(month, basis, len(plan), start)
    for index in range(start, len(plan)):
        with units() as session:
            _scan_chunk(session, month, basis, *plan[index], result)
            done = index + 1
            save_checkpoint(session, SCAN_JOB, key, done, len(plan), "running" if done < len(plan) else "done")
        if on_progress:
            on_progress(done, len(plan))
    if not plan:
        with units() as session:
            save_checkpoint(session, SCAN_JOB, key, 0, 0, "done")
    return result
