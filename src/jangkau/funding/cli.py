"""``jangkau billing | payments | coverage | sponsors``: funding from the command line (operator scope).

One command = one transaction, except ``billing run`` which commits per chunk of payers and resumes after a crash.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError

from jangkau.auth.principal import OPERATOR as CLI_PRINCIPAL
from jangkau.clikit import console, emit_json, key_values, progress, table
from jangkau.db.session import unit
from jangkau.errors import FieldError
from jangkau.funding import access, jobs, payments, reminders, reports, service, statements
from jangkau.funding import tasks as funding_tasks
from jangkau.funding.errors import DateInvalid, InputInvalid, MonthInvalid
from jangkau.funding.schemas import (
    PayerAssignmentIn,
    PaymentIn,
    ProgrammeIn,
    ReversalIn,
    SponsorIn,
    StatementImportRead,
)
from jangkau.kit.figures import last_complete_month
from jangkau.kit.money import format_rupiah
from jangkau.kit.months import Month
from jangkau.tasks.background import queued
from jangkau.tasks.record import task_day, task_month

billing_app = typer.Typer(help="Monthly bills of employers, BPU payers and sponsors.", no_args_is_help=True)
payments_app = typer.Typer(help="Payments: record by hand or import a bank statement.", no_args_is_help=True)
coverage_app = typer.Typer(help="Protected months, lapse and reminders.", no_args_is_help=True)
sponsors_app = typer.Typer(help="Sponsors, sponsorship programmes, enrolment and statements.", no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON.")
BACKGROUND = typer.Option(False, "--background", help="Queue it for the worker and return at once.")
OPERATOR = "cli"


def _month(text: str, name: str = "month") -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise MonthInvalid(name, text, str(exc)) from exc


def _date(text: str | None, name: str = "date") -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DateInvalid(name, text) from exc


def _valid(model: Any, data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = [FieldError(".".join(str(p) for p in e["loc"]) or "input", e["msg"]) for e in exc.errors()]
        raise InputInvalid(fields) from exc


@billing_app.command("payers")
def billing_payers(as_json: bool = JSON) -> None:
    """Create the missing payers (each employer's, each BPU worker's own) ahead of the billing run, set-based."""
    with unit() as session:
        created = jobs.prepare_payers(session)
    if as_json:
        emit_json({"payers_created": created})
        return
    console.print(f"{created} payers created.")


@billing_app.command("run")
def billing_run(
    month: str = typer.Option(..., "--month", help="Billing month YYYY-MM"),
    chunk: int = typer.Option(jobs.DEFAULT_CHUNK, help="Payers per committed step"),
    background: bool = BACKGROUND,
    as_json: bool = JSON,
) -> None:
    """Make the month's bills (resumes an interrupted run; a second run adds nothing)."""
    wanted = _month(month)
    if background:
        queued(funding_tasks.billing_run, as_json, month=str(task_month(str(wanted), allow_next=True)), chunk=chunk)
        return
    with progress(transient=as_json) as bar:
        task = bar.add_task(f"Billing {wanted}", total=None)
        result = jobs.run_billing(
            unit,
            wanted,
            chunk_size=chunk,
            on_progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        emit_json(result.as_dict())
        return
    console.print(f"Billing {wanted}: {result.bills_created} bills, {result.lines_created} lines created.")
    rows = [(k, v["bills"], v["lines"], format_rupiah(v["amount"])) for k, v in sorted(result.totals.items())]
    table(f"Bills of {wanted}", ["kind", "bills", "lines", "amount"], rows)
    for refused in result.refused:
        console.print(f"[yellow]Not billed:[/] {refused}")


@payments_app.command("record")
def payments_record(
    reference: str = typer.Option(..., help="Bill reference, e.g. BPU-202603-42"),
    amount: int = typer.Option(..., help="Whole Rupiah"),
    paid_on: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default today)"),
    channel: str = typer.Option("manual"),
    external_ref: str | None = typer.Option(None, help="Receipt or transaction number"),
    as_json: bool = JSON,
) -> None:
    """Record one payment by hand."""
    data = _valid(
        PaymentIn,
        {
            "reference": reference,
            "amount": amount,
            "paid_on": _date(paid_on),
            "channel": channel,
            "external_ref": external_ref,
        },
    )
    with unit() as session:
        result = service.record_payment(session, data, OPERATOR)
    if as_json:
        emit_json(result)
        return
    allocation = result.pop("allocation")
    key_values(f"Payment on {result['reference']}", result)
    for warning in allocation["warnings"]:
        console.print(f"[yellow]{warning}[/yellow]")


@payments_app.command("reverse")
def payments_reverse(
    payment_id: int = typer.Argument(..., help="The payment's id (shown when it was recorded)"),
    reversed_on: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default today)"),
    reason: str = typer.Option("", help="Why, e.g. 'transfer ditolak bank'"),
    as_json: bool = JSON,
) -> None:
    """Reverse a payment (a bounced transfer) and list the months that lose protection."""
    data = _valid(ReversalIn, {"reversed_on": _date(reversed_on), "reason": reason})
    with unit() as session:
        result = payments.reverse_payment(session, payment_id, data.reversed_on, OPERATOR, data.reason)
    if as_json:
        emit_json(result)
        return
    lost = ", ".join(f"{m['month']} (membership {m['membership_id']})" for m in result["months_unprotected"])
    console.print(f"Payment {payment_id} reversed (Rp{result['amount']:,}); credit now Rp{result['credit']:,}.")
    console.print(f"Months that lose protection: {lost or 'none'}")


@payments_app.command("import")
def payments_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or XLSX statement"),
    channel: str = typer.Option("bank", help="Bank or payment channel"),
    as_json: bool = JSON,
) -> None:
    """Import a bank or payment-channel statement; unmatched lines go to the review list."""
    with unit() as session:
        result = statements.import_statement(session, file, channel, OPERATOR)
    if as_json:
        emit_json(StatementImportRead.of(result).model_dump(mode="json"))
        return
    console.print(
        f"{result.lines} lines: {len(result.recorded)} recorded, {result.duplicates} already imported, "
        f"{len(result.rejected)} to review."
    )
    if result.rejected:
        table("Rejected lines", ["line", "reason"], [(r["line"], r["reason"]) for r in result.rejected])


@coverage_app.command("lapse")
def coverage_lapse(
    date: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default today)"),
    village: str | None = typer.Option(None, help="Only this village (or district) in the list"),
    background: bool = BACKGROUND,
    as_json: bool = JSON,
) -> None:
    """Daily lapse job: mark BPU memberships in arrears or ended, then print the lapse list per village."""
    on = _date(date)
    if background:
        queued(funding_tasks.lapse_run, as_json, day=task_day(on.isoformat()).isoformat())
        return
    with unit() as session:
        changed = jobs.run_lapse(session, on)
        listing = reports.lapse_list(session, ("",), on, village)
    if as_json:
        emit_json({"changed": changed.as_dict(), "lapse_list": listing})
        return
    console.print(f"Lapse job {on}: {changed.changed or 'no changes'}")
    rows = [(v["village_code"], v["village"], len(v["members"])) for v in listing["villages"]]
    table("Lapse list per village", ["code", "village", "members"], rows)


@coverage_app.command("show")
def coverage_show(membership_id: int, date: str | None = typer.Option(None, "--date"), as_json: bool = JSON) -> None:
    """A membership's protected-until date, arrears and bills."""
    with unit() as session:
        result = service.membership_coverage(session, membership_id, _date(date))
    if as_json:
        emit_json(result)
        return
    bills = result.pop("bills")
    key_values(f"Membership {membership_id}", {k: v for k, v in result.items() if k in _SHOWN})
    table(
        "Bills",
        ["month", "reference", "amount", "due", "paid"],
        [(b["month"], b["reference"], format_rupiah(b["amount"]), b["due_on"], b["paid_on"] or "-") for b in bills],
    )


_SHOWN = ("segment", "status", "registered_status", "protected_until", "arrears_months", "arrears_amount", "ended_on")


@coverage_app.command("remind")
def coverage_remind(
    date: str | None = typer.Option(None, "--date"),
    as_json: bool = JSON,
) -> None:
    """Ask for the day's reminders (before due dates, after misses, lapse warnings, protection restored); the
    worker's notify dispatcher sends them (or `jangkau notify dispatch`)."""
    with unit() as session:
        queued = reminders.queue_reminders(session, _date(date))
    out = queued.as_dict()
    if as_json:
        emit_json(out)
        return
    console.print(
        f"{queued.queued} messages asked for, {queued.skipped_no_consent} without consent, "
        f"{queued.skipped_not_person} payers that are not a person."
    )


@sponsors_app.command("create")
def sponsors_create(
    kind: str = typer.Option(..., help="apbd, apbdes, dana_desa, csr_bumn, csr_bumd, csr_private, donor, wadah"),
    name: str = typer.Option(...),
    region: str | None = typer.Option(None, help="APBD: regency code; APBDes/Dana Desa: village code"),
    phone: str | None = typer.Option(None),
    as_json: bool = JSON,
) -> None:
    """Register a sponsor."""
    data = _valid(SponsorIn, {"kind": kind, "name": name, "region_code": region, "phone": phone})
    with unit() as session:
        sponsor = service.create_sponsor(session, data)
        out = {"id": sponsor.id, "kind": sponsor.kind, "name": sponsor.name, "region_code": sponsor.region_code}
    if as_json:
        emit_json(out)
        return
    console.print(f"Sponsor [bold]{out['name']}[/] registered (id {out['id']}).")


@sponsors_app.command("grant")
def sponsors_grant(
    sponsor: int = typer.Option(..., help="Sponsor (payer) id"),
    user: str = typer.Option(..., help="Username of a sponsor user"),
    revoke: bool = typer.Option(False, "--revoke", help="Take the sponsor away instead"),
    as_json: bool = JSON,
) -> None:
    """Let a sponsor user read this sponsor's programmes and statements (or, with --revoke, no longer)."""
    with unit() as session:
        if revoke:
            out = access.revoke_payer(session, CLI_PRINCIPAL, sponsor, user)
        else:
            out = access.grant_payer(session, CLI_PRINCIPAL, sponsor, user)
    if as_json:
        emit_json(out)
        return
    verb = "no longer reads" if revoke else "reads"
    console.print(f"User [bold]{user}[/] {verb} sponsor {sponsor}'s programmes and statements.")


@sponsors_app.command("programme")
def sponsors_programme(
    sponsor: int = typer.Option(..., help="Sponsor id"),
    name: str = typer.Option(...),
    start: str = typer.Option(..., help="First month YYYY-MM"),
    months: int = typer.Option(12),
    budget: int = typer.Option(..., help="Whole Rupiah"),
    income: int = typer.Option(1_000_000, help="Declared income of the package"),
    programs: str = typer.Option("jkk,jkm"),
    quota: int | None = typer.Option(None),
    region: str | None = typer.Option(None, help="Only workers living in this region"),
    occupation: list[str] = typer.Option([], help="Only these occupations (repeat)"),
    vulnerable_only: bool = typer.Option(False, "--vulnerable-only"),
    min_age: int | None = typer.Option(None),
    max_age: int | None = typer.Option(None),
    as_json: bool = JSON,
) -> None:
    """Create a sponsorship programme and show what its budget covers."""
    data = _valid(
        ProgrammeIn,
        {
            "payer_id": sponsor, "name": name, "start_month": start, "months": months, "budget": budget,
            "declared_income": income, "programs": programs.split(","), "quota": quota, "region_prefix": region,
            "occupations": occupation, "vulnerable_only": vulnerable_only, "min_age": min_age, "max_age": max_age,
        },
    )  # fmt: skip
    with unit() as session:
        programme = service.create_programme(session, data)
        summary = service.programme_summary(session, programme.id)
    if as_json:
        emit_json(summary)
        return
    key_values(f"Programme {summary['id']}: {summary['name']}", {k: v for k, v in summary.items() if k != "criteria"})


@sponsors_app.command("show")
def sponsors_show(programme: int, as_json: bool = JSON) -> None:
    """A programme's budget: committed, remaining, enrolled, billed and paid."""
    with unit() as session:
        summary = service.programme_summary(session, programme)
    if as_json:
        emit_json(summary)
        return
    key_values(f"Programme {summary['id']}: {summary['name']}", summary)


@sponsors_app.command("plan")
def sponsors_plan(
    budget: int = typer.Option(...),
    months: int = typer.Option(12),
    start: str = typer.Option(..., help="YYYY-MM"),
    income: int = typer.Option(1_000_000),
    programs: str = typer.Option("jkk,jkm"),
    as_json: bool = JSON,
) -> None:
    """How many workers a budget covers (the rules engine's budget planner)."""
    capacity = service.plan_budget(budget, months, start, income, programs)
    if as_json:
        emit_json(capacity.as_dict())
        return
    console.print(
        f"{format_rupiah(budget)} covers [bold]{capacity.workers:,}[/] workers for {months} months "
        f"({format_rupiah(capacity.cost.per_worker_total)} each), {format_rupiah(capacity.remainder)} left."
    )


@sponsors_app.command("enrol")
def sponsors_enrol(
    programme: int = typer.Option(...),
    membership: list[int] = typer.Option(..., help="Membership id (repeat)"),
    date: str | None = typer.Option(None, "--date"),
    as_json: bool = JSON,
) -> None:
    """Enrol workers' memberships in a programme (all or nothing: one transaction)."""
    on = _date(date)
    with unit() as session:
        rows = [service.enrol(session, programme, m, OPERATOR, on) for m in membership]
        out = [
            {
                "membership_id": s.membership_id,
                "first_month": s.first_month,
                "last_month": s.last_month,
                "committed": s.committed,
            }
            for s in rows
        ]
    if as_json:
        emit_json(out)
        return
    table(
        "Enrolled",
        ["membership", "from", "to", "committed"],
        [(r["membership_id"], r["first_month"], r["last_month"], format_rupiah(int(str(r["committed"])))) for r in out],
    )


@sponsors_app.command("assign")
def sponsors_assign(
    membership: int = typer.Option(...),
    payer: int | None = typer.Option(None, help="Payer id (default: the worker)"),
    prepay: int = typer.Option(1, help="1, 3, 6 or 12 months at a time"),
) -> None:
    """Set who pays a BPU membership (a wadah, a donor or the worker) and the prepayment period."""
    data = _valid(PayerAssignmentIn, {"membership_id": membership, "payer_id": payer, "prepay_months": prepay})
    with unit() as session:
        service.assign_payer(session, data)
    console.print(f"Membership {membership}: payer set, prepays {prepay} month(s).")


@sponsors_app.command("statement")
def sponsors_statement(
    sponsor: int = typer.Option(...),
    first: str | None = typer.Option(None, "--from", help="YYYY-MM (default: the last complete month)"),
    last: str | None = typer.Option(None, "--to", help="YYYY-MM (default: --from)"),
    xlsx: Path | None = typer.Option(None, help="Write the statement as XLSX here"),
    pdf: Path | None = typer.Option(None, help="Write the statement as PDF here"),
    as_json: bool = JSON,
) -> None:
    """A sponsor's statement: who was covered, for which months, billed and paid."""
    first = first or str(last_complete_month(dt.date.today()))
    last = last or first
    with unit() as session:
        data = reports.sponsor_statement(session, sponsor, _month(first, "from"), _month(last, "to"))
    if xlsx:
        xlsx.write_bytes(reports.statement_xlsx(data))
    if pdf:
        pdf.write_bytes(reports.statement_pdf(data))
    if as_json:
        emit_json(data)
        return
    key_values(f"{data['sponsor']['name']} {first}..{last}", data["totals"])
