"""``jangkau report``: rebuild and refresh the coverage summaries, show coverage, estimates, targets, exports."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import typer

from jangkau.auth.principal import OPERATOR
from jangkau.clikit import console, emit_json, key_values, progress, table
from jangkau.db.session import unit
from jangkau.errors import InvalidInput
from jangkau.i18n import N_, bilingual
from jangkau.reporting import estimates, exports, jobs, service

app = typer.Typer(help="Coverage reports: summaries, dashboards' figures, estimates, exports.", no_args_is_help=True)
estimates_app = typer.Typer(help="Workforce estimates (the denominator of coverage rates).", no_args_is_help=True)
app.add_typer(estimates_app, name="estimates")

JSON = typer.Option(False, "--json", help="Print JSON.")


def _today(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput.for_field(
            "today", *bilingual(N_("%(value)s is not a date (YYYY-MM-DD)"), value=repr(text))
        ) from exc


@app.command("rebuild")
def rebuild_command(
    months: int = typer.Option(24, min=1, max=120, help="How many months, ending with --last"),
    last: str | None = typer.Option(None, help="Last month YYYY-MM (default: the current month)"),
    today: str | None = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)"),
    as_json: bool = JSON,
) -> None:
    """Recompute every summary of the window from the register and the ledger. Resumable: rerun after a crash."""
    now = _today(today)
    last_month = service.parse_month(last, now, field="last")
    started = time.perf_counter()
    with progress() as bar:
        task = bar.add_task("Rebuilding coverage summaries (steps)", total=None)
        result = jobs.rebuild(
            unit,
            last_month.plus(-(months - 1)),
            last_month,
            lambda d, t: bar.update(task, completed=d, total=t),
            today=now,
        )
    out = {**result.as_dict(), "total_seconds": round(time.perf_counter() - started, 2)}
    emit_json(out) if as_json else key_values("Rebuild", out)


@app.command("refresh")
def refresh_command(
    detect_since: str | None = typer.Option(
        None, help="Also mark what changed since this ISO timestamp (for domains that do not mark yet)"
    ),
    today: str | None = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)"),
    as_json: bool = JSON,
) -> None:
    """Drain the outbox: recompute the villages and months marked dirty, and the rollups above them."""
    now = _today(today)
    marked = 0
    if detect_since:
        try:
            since = dt.datetime.fromisoformat(detect_since)
        except ValueError as exc:
            raise InvalidInput.for_field("detect_since", *bilingual(N_("not an ISO timestamp"))) from exc
        with unit() as session:
            marked = service.detect_changes(session, since if since.tzinfo else since.replace(tzinfo=dt.UTC), now)
    result = jobs.refresh(unit, now)
    out = {"detected": marked, "refresh": result.as_dict() if result else None}
    emit_json(out) if as_json else key_values("Refresh", {"detected": marked, **(result.as_dict() if result else {})})


@app.command("coverage")
def coverage_command(
    region: str = typer.Option("ID", help="Region code (ID = the whole country)"),
    month: str | None = typer.Option(None, help="YYYY-MM (default: the last complete month)"),
    today: str | None = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)"),
    as_json: bool = JSON,
) -> None:
    """Coverage of a region in a month: totals, rate, target, breakdowns, the regions inside it."""
    with unit() as session:
        report = service.coverage_report(session, OPERATOR, region, month, _today(today))
    if as_json:
        emit_json(report)
        return
    totals = report["totals"]
    key_values(f"{report['region']['name']} {report['month']}", {**totals, **report["freshness"]})
    table(
        "Inside",
        ["code", "name", "registered", "active", "lapsed", "workforce", "rate"],
        [
            (c["code"], c["name"], c["registered"], c["active"], c["lapsed"], c["workforce"], c["rate"])
            for c in report["children"]
        ],
    )


@estimates_app.command("demo")
def estimates_demo(
    region: str = typer.Option("12.71", help="Region whose demo population is used"),
    year: int = typer.Option(2026, min=2000, max=2100),
    as_json: bool = JSON,
) -> None:
    """Estimate workers per village from the demo population (working-age x participation rate), labelled DEMO."""
    with unit() as session:
        out = estimates.demo_estimates(session, OPERATOR, region, year)
    emit_json(out) if as_json else key_values("Demo estimates", out)


@estimates_app.command("import")
def estimates_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV with region_code,workers"),
    year: int = typer.Option(..., min=2000, max=2100),
    source: str = typer.Option(..., help="Where the numbers come from, e.g. 'BPS Sakernas 2025'"),
    as_json: bool = JSON,
) -> None:
    """Import workforce estimates per village or district (all or nothing)."""
    with unit() as session:
        out = estimates.import_estimates(session, OPERATOR, file.read_bytes(), year, source)
    emit_json(out) if as_json else key_values("Estimates", out)


@app.command("target")
def target_command(
    region: str = typer.Option(...), year: int = typer.Option(..., min=2000, max=2100), active: int = typer.Option(...)
) -> None:
    """Set the active-member target of a region for a year."""
    with unit() as session:
        estimates.set_target(session, OPERATOR, region, year, active)
    console.print(f"Target {region} {year}: {active:,} active members")


@app.command("export")
def export_command(
    region: str = typer.Option("ID"),
    month: str | None = typer.Option(None),
    what: str = typer.Option("children", "--table", help=f"One of {', '.join(exports.TABLES)}"),
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx or pdf (pdf: the monthly report)"),
    out: Path = typer.Option(..., "--out", help="File to write"),
) -> None:
    """Write a report table as CSV or XLSX, or the monthly coverage report as PDF (Bahasa Indonesia)."""
    with unit() as session:
        report = service.coverage_report(session, OPERATOR, region, month, dt.date.today())
    data = exports.monthly_pdf(report) if fmt == "pdf" else exports.export_table(report, what, fmt)
    out.write_bytes(data)
    console.print(f"Wrote {out} ({len(data):,} bytes)")
