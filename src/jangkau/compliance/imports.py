"""Imports: the branch's reporting file (workforce and wages per employer and month) and outside registers.

Both read CSV (UTF-8, comma or semicolon) or XLSX with a header row in English or Indonesian. Every row that is
not taken is listed with its reason and kept in ``compliance_import_rejection``. Evidence is linked to an employer
by registration number (NPP), then NPWP, then fuzzy name and address (``matching``); an ambiguous link goes to
the review list and an unknown business is kept unlinked and reported, never attached silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jangkau.compliance import repository as repo
from jangkau.compliance.errors import ImportHeaderInvalid, KindInvalid, RowRefused
from jangkau.compliance.models import EVIDENCE_KINDS, ComplianceImport, EmployerReport, Evidence, ImportRejection
from jangkau.compliance.rules import matching
from jangkau.errors import InvalidInput
from jangkau.funding.statements import read_rows
from jangkau.kit.money import parse_rupiah
from jangkau.kit.months import Month
from jangkau.rules import parse_programs

REPORT_COLUMNS = {
    "registration_number": ("registration_number", "npp", "no_pendaftaran", "nomor_pendaftaran"),
    "month": ("month", "bulan", "periode"),
    "workers": ("workers", "jumlah_tk", "tenaga_kerja", "jumlah_pekerja"),
    "total_wage": ("total_wage", "total_upah", "jumlah_upah"),
    "lowest_wage": ("lowest_wage", "upah_terendah"),
    "programs": ("programs", "program"),
}
EVIDENCE_COLUMNS = {
    "ref": ("ref", "source_ref", "nomor", "no_dokumen", "nib"),
    "date": ("date", "tanggal", "observed_on"),
    "name": ("name", "nama", "nama_usaha", "nama_perusahaan"),
    "address": ("address", "alamat"),
    "registration_number": ("registration_number", "npp"),
    "npwp": ("npwp",),
    "workers": ("workers", "jumlah_pekerja", "jumlah_tk", "tenaga_kerja"),
    "average_wage": ("average_wage", "rata_upah", "upah_rata_rata"),
}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


@dataclass
class ImportResult:
    """What an import did; ``rejected`` lists every row not taken with its reason."""

    import_id: int
    rows: int = 0
    accepted: int = 0
    review: list[dict[str, Any]] = field(default_factory=list)
    unlinked: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


def _columns(header: list[str], aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> dict[str, int]:
    names = [h.strip().lower().replace(" ", "_") for h in header]
    found = {key: names.index(a) for key, options in aliases.items() for a in options if a in names}
    missing = [k for k in required if k not in found]
    if missing:
        raise ImportHeaderInvalid(missing, header)
    return found


def _amount(text: str, column: str, *, required: bool) -> int | None:
    if not text:
        if required:
            raise RowRefused(RowRefused.EMPTY, column=column)
        return None
    try:
        value = parse_rupiah(text)
    except ValueError as exc:
        raise RowRefused(RowRefused.NOT_WHOLE, column=column, value=repr(text)) from exc
    if value <= 0:
        raise RowRefused(RowRefused.NOT_POSITIVE, column=column, value=value)
    return value


def _date(text: str) -> dt.date:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise RowRefused(RowRefused.DATE, value=repr(text))


def _start(
    session: Session, kind: str, source: str, path: Path, imported_by: str
) -> tuple[ComplianceImport, list[list[str]]]:
    content = path.read_bytes()
    rows = read_rows(path.name, content)
    record = repo.add(
        session,
        ComplianceImport(
            kind=kind,
            source=source,
            file_name=path.name,
            sha256=hashlib.sha256(content).hexdigest(),
            imported_by=imported_by,
        ),
    )
    return record, rows


def _cells(row: list[str], columns: dict[str, int]) -> dict[str, str]:
    return {k: (row[i].strip() if i < len(row) else "") for k, i in columns.items()}


def _reject(session: Session, result: ImportResult, line: int, row: list[str], error: RowRefused) -> None:
    repo.add(
        session,
        ImportRejection(
            import_id=result.import_id,
            line_no=line,
            raw=",".join(row)[:2000],
            reason=error.message[:300],
            reason_id=error.message_id[:300],
        ),
    )
    result.rejected.append({"line": line, "reason": error.message, "reason_id": error.message_id})


def _finish(record: ComplianceImport, result: ImportResult) -> ImportResult:
    record.rows, record.accepted = result.rows, result.accepted
    record.review, record.rejected = len(result.review), len(result.rejected)
    return result


# --- the branch's reporting file ---------------------------------------------------------------------------


def _report_row(cells: dict[str, str], employers: dict[str, int]) -> tuple[int, Month, int, int, int | None, str]:
    number = cells["registration_number"]
    if number not in employers:
        raise RowRefused(RowRefused.NO_EMPLOYER, value=repr(number))
    try:
        month = Month.parse(cells["month"])
    except ValueError as exc:
        raise RowRefused(RowRefused.MONTH, value=repr(cells["month"])) from exc
    workers_text = cells["workers"]
    if not workers_text.isdigit():
        raise RowRefused(RowRefused.WORKERS, value=repr(workers_text))
    wage = _amount(cells["total_wage"], RowRefused.TOTAL_WAGE, required=int(workers_text) > 0) or 0
    lowest = _amount(cells.get("lowest_wage", ""), RowRefused.LOWEST_WAGE, required=False)
    programs = ""
    if cells.get("programs"):
        try:
            programs = ",".join(sorted(p.value for p in parse_programs(cells["programs"].replace(" ", ","))))
        except InvalidInput as exc:
            raise RowRefused.of(exc) from exc
    return employers[number], month, int(workers_text), wage, lowest, programs


def import_reports(session: Session, path: Path, imported_by: str) -> ImportResult:
    """Import the branch's reporting file: one row per employer and month (workers, total wage, programmes).

    A row for an employer-month already imported replaces it. Rows with an unknown registration number, a bad
    month, or a wage of zero for a non-zero workforce are rejected with the reason.

    Raises:
        InvalidInput: an unreadable file or a header without the required columns (nothing is imported).
    """
    record, rows = _start(session, "report", "branch_file", path, imported_by)
    columns = _columns(rows[0], REPORT_COLUMNS, ("registration_number", "month", "workers", "total_wage"))
    body = [_cells(r, columns) for r in rows[1:]]
    employers = repo.employer_ids_by_number(session, [c["registration_number"] for c in body])
    result = ImportResult(record.id)
    for line, (cells, raw) in enumerate(zip(body, rows[1:], strict=True), start=2):
        result.rows += 1
        try:
            employer_id, month, workers, wage, lowest, programs = _report_row(cells, employers)
        except RowRefused as error:
            _reject(session, result, line, raw, error)
            continue
        existing = repo.file_report(session, employer_id, month.first_day())
        report = existing or repo.add(
            session,
            EmployerReport(employer_id=employer_id, month=month.first_day(), source="file", workers=0, total_wage=0),
        )
        report.workers, report.total_wage, report.lowest_wage = workers, wage, lowest
        report.programs, report.import_id = programs, record.id
        result.accepted += 1
    session.flush()
    return _finish(record, result)


# --- outside evidence --------------------------------------------------------------------------------------


class Linker:
    """Links evidence to employers; the employer keys are read and normalised once per import."""

    def __init__(self, session: Session) -> None:
        rows = repo.link_keys(session)
        self.by_number = {str(r.registration_number): int(r.id) for r in rows}
        self.by_npwp = {matching.digits(r.npwp): int(r.id) for r in rows if matching.digits(r.npwp)}
        self.keys = [
            matching.EmployerKey(
                int(r.id), r.name, matching.normalise_name(r.name), matching.normalise_address(r.address)
            )
            for r in rows
        ]

    def link(self, cells: dict[str, str]) -> matching.Link:
        number, npwp = cells.get("registration_number", ""), matching.digits(cells.get("npwp"))
        if number and number in self.by_number:
            return matching.Link("linked", self.by_number[number], "registration_number", 100)
        if npwp and npwp in self.by_npwp:
            return matching.Link("linked", self.by_npwp[npwp], "npwp", 100)
        return matching.fuzzy_link(cells["name"], cells.get("address"), self.keys)


def _evidence_row(cells: dict[str, str]) -> tuple[dt.date, int | None, int | None]:
    if not cells["ref"]:
        raise RowRefused(RowRefused.NO_REFERENCE)
    if not cells["name"]:
        raise RowRefused(RowRefused.NO_NAME)
    observed = _date(cells["date"])
    workers_text = cells.get("workers", "")
    if workers_text and not workers_text.isdigit():
        raise RowRefused(RowRefused.WORKERS, value=repr(workers_text))
    workers = int(workers_text) if workers_text else None
    wage = _amount(cells.get("average_wage", ""), RowRefused.AVERAGE_WAGE, required=False)
    if workers is None and wage is None:
        raise RowRefused(RowRefused.NO_FIGURES)
    return observed, workers, wage


def _describe(cells: dict[str, str]) -> str:
    return ", ".join(f"{k} {cells[k]!r}" for k in ("registration_number", "npwp", "name") if cells.get(k))


def import_evidence(session: Session, path: Path, kind: str, imported_by: str) -> ImportResult:
    """Import an outside register (business licences, wajib lapor, e-catalogue, tax, procurement...).

    Args:
        kind: which register (one of ``EVIDENCE_KINDS``); with the row's reference it identifies a record, so
            importing the same record again updates it.

    Returns:
        Counts, the rows sent to review (with candidates), the rows about no known employer, the rejected rows.

    Raises:
        InvalidInput: an unknown kind, an unreadable file or a wrong header (nothing is imported).
    """
    if kind not in EVIDENCE_KINDS:
        raise KindInvalid(KindInvalid.EVIDENCE, kinds=", ".join(EVIDENCE_KINDS))
    record, rows = _start(session, "evidence", kind, path, imported_by)
    columns = _columns(rows[0], EVIDENCE_COLUMNS, ("ref", "date", "name"))
    body = [_cells(r, columns) for r in rows[1:]]
    known = repo.evidence_by_ref(session, kind, [c["ref"] for c in body])
    linker = Linker(session)
    result = ImportResult(record.id)
    for line, (cells, raw) in enumerate(zip(body, rows[1:], strict=True), start=2):
        result.rows += 1
        try:
            observed, workers, wage = _evidence_row(cells)
        except RowRefused as error:
            _reject(session, result, line, raw, error)
            continue
        item = known.get(cells["ref"]) or Evidence(kind=kind, source_ref=cells["ref"][:120], link_status="unlinked")
        item.observed_on, item.workers, item.average_wage, item.import_id = observed, workers, wage, record.id
        item.name, item.address = cells["name"][:200], (cells.get("address") or None)
        item.registration_number, item.npwp = cells.get("registration_number") or None, cells.get("npwp") or None
        if item.link_method != "manual":
            _set_link(item, linker.link(cells))
        if item.id is None:
            session.add(item)
            known[item.source_ref] = item
        result.accepted += 1
        _note_link(result, line, item, cells)
    session.flush()
    return _finish(record, result)


def _set_link(item: Evidence, link: matching.Link) -> None:
    item.link_status, item.employer_id, item.link_method, item.link_score = (
        link.status,
        link.employer_id,
        link.method,
        link.score,
    )
    item.candidates = json.dumps([c.as_dict() for c in link.candidates]) if link.status == "review" else None


def _note_link(result: ImportResult, line: int, item: Evidence, cells: dict[str, str]) -> None:
    if item.link_status == "review":
        result.review.append(
            {"line": line, "ref": item.source_ref, "name": item.name, "candidates": json.loads(item.candidates or "[]")}
        )
    elif item.link_status == "unlinked":
        result.unlinked.append(
            {
                "line": line,
                "ref": item.source_ref,
                "reason": f"no employer matches {_describe(cells)} "
                f"(best name score {item.link_score or 0} < {matching.REVIEW_AT})",
                "reason_id": f"tidak ada pemberi kerja yang cocok dengan {_describe(cells)}",
            }
        )
