"""``jangkau compliance``: the monthly scan, imports, evidence review, cases and their letters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from jangkau.auth.principal import OPERATOR
from jangkau.clikit import emit_json, key_values, progress, table
from jangkau.compliance import cases, imports, letters, service
from jangkau.compliance import tasks as compliance_tasks
from jangkau.compliance.jobs import run_scan
from jangkau.compliance.schemas import CaseIn, ComplianceImportRead, StepIn
from jangkau.db.session import unit
from jangkau.funding.errors import MonthInvalid
from jangkau.kit.months import Month
from jangkau.kit.pagination import PageRequest
from jangkau.tasks.background import queued
from jangkau.tasks.record import task_month

app = typer.Typer(help="Employer compliance: PDS findings, cases, letters.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise MonthInvalid("month", text, str(exc)) from exc


@app.command("scan")
def scan(
    month: str = typer.Option(..., "--month", help="YYYY-MM"),
    chunk: int = 500,
    background: bool = typer.Option(False, "--background", help="Queue it for the worker and return at once."),
    as_json: bool = JSON,
) -> None:
    """Scan every employer for a month (re-running updates, never duplicates)."""
    if background:
        queued(compliance_tasks.scan, as_json, month=str(task_month(str(_month(month)))))
        return
    with progress() as bar:
        task = bar.add_task(f"Scan {month}", total=None)
        result = run_scan(
            unit, _month(month), chunk_size=chunk, on_progress=lambda d, t: bar.update(task, completed=d, total=t)
        )
    if as_json:
        emit_json(result.as_dict())
        return
    key_values(
        f"Compliance scan {month}", {k: v for k, v in result.as_dict().items() if k != "by_kind"} | result.by_kind
    )


@app.command("import-reports")
def import_reports(path: Path, as_json: bool = JSON) -> None:
    """Import the branch's reporting file (CSV/XLSX: npp, bulan, jumlah_tk, total_upah[, program])."""
    with unit() as session:
        result = ComplianceImportRead.of(imports.import_reports(session, path, OPERATOR.username)).model_dump()
    _show_import(result, as_json)


@app.command("import-evidence")
def import_evidence(path: Path, kind: str = typer.Option(..., "--kind"), as_json: bool = JSON) -> None:
    """Import an outside register (nomor, tanggal, nama[, alamat, npp, npwp, jumlah_pekerja, rata_upah])."""
    with unit() as session:
        result = ComplianceImportRead.of(imports.import_evidence(session, path, kind, OPERATOR.username)).model_dump()
    _show_import(result, as_json)


def _show_import(result: dict[str, object], as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    key_values("Import", {k: (len(v) if isinstance(v, list) else v) for k, v in result.items()})
    for key in ("rejected", "unlinked"):
        rows = result.get(key) or []
        assert isinstance(rows, list)
        if rows:
            table(key, ["line", "reason"], [(r["line"], r["reason"]) for r in rows])


@app.command("risk")
def risk(page: int = 1, size: int = 20, as_json: bool = JSON) -> None:
    """Employers by risk of non-compliance."""
    with unit() as session:
        data = service.risk_list(session, OPERATOR.scope, PageRequest(page, size))
    if as_json:
        emit_json(data)
        return
    rows = [
        (i["employer_id"], i["registration_number"], i["name"], i["score"], i["open_findings"], i["unpaid_per_month"])
        for i in data["items"]
    ]
    table("Risk", ["id", "NPP", "name", "score", "findings", "unpaid/month"], rows)


@app.command("standing")
def standing(employer_id: int) -> None:
    """An employer's open findings, open cases and score (JSON)."""
    with unit() as session:
        emit_json(service.employer_standing(session, employer_id).as_dict())


@app.command("open-case")
def open_case(employer_id: int, note: str | None = None, on: str | None = typer.Option(None, "--date")) -> None:
    """Open a case on an employer's open findings (JSON)."""
    with unit() as session:
        data = CaseIn(employer_id=employer_id, note=note, on_date=dt.date.fromisoformat(on) if on else None)
        emit_json(cases.open_case(session, data, OPERATOR))


@app.command("step")
def step(
    case_id: int,
    kind: str,
    on: str | None = typer.Option(None, "--date"),
    note: str | None = None,
    partner: str | None = None,
    amount: int | None = None,
) -> None:
    """Record a case step: warning_1, warning_2, fine, tmp2t, joint_visit, skk, payment, note, resolved, closed."""
    data = StepIn.model_validate({"kind": kind, "on_date": on, "note": note, "partner": partner, "amount": amount})
    with unit() as session:
        emit_json(cases.add_step(session, case_id, data, OPERATOR))


@app.command("case")
def case(case_id: int) -> None:
    """A case with its findings, steps and documents (JSON)."""
    with unit() as session:
        emit_json(cases.case_view(session, case_id, OPERATOR.scope))


@app.command("letters")
def letters_command(case_id: int = typer.Option(..., "--case"), kind: str | None = None, as_json: bool = JSON) -> None:
    """Generate the letter for a case's current step as PDF and keep it with the case."""
    with unit() as session:
        document = letters.generate_letter(session, case_id, OPERATOR, kind)
    if as_json:
        emit_json(document)
        return
    key_values("Letter", document)


@app.command("summary")
def summary(first: str = typer.Option(..., "--from"), last: str = typer.Option(..., "--to")) -> None:
    """Cases opened, resolved and contribution recovered in a period (JSON)."""
    with unit() as session:
        emit_json(
            service.city_summary(session, OPERATOR.scope, dt.date.fromisoformat(first), dt.date.fromisoformat(last))
        )
