"""``jangkau rules``: the rules engine from the command line (JSON with ``--json``, Rich tables otherwise).

Bad input raises :class:`jangkau.errors.InvalidInput`; the root CLI turns it into a message and exit code 2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import typer

from jangkau.clikit import console, emit_json, table
from jangkau.kit.money import format_rupiah, parse_rupiah
from jangkau.kit.months import Month
from jangkau.rules import (
    BpuSector,
    JhtTrigger,
    JkkOutcome,
    JpReason,
    Placement,
    Segment,
    bpu_contribution,
    budget_capacity,
    budget_cost,
    coverage_status,
    jakon_contribution,
    jht_claim,
    jht_projection,
    jkk_benefit,
    jkm_benefit,
    jkp_benefit,
    jp_benefit,
    pmi_contribution,
    pu_contribution,
)
from jangkau.rules.cli_render import render
from jangkau.rules.errors import (
    DateFormatInvalid,
    MonthFormatInvalid,
    NotANumber,
    NotKnownValue,
    NotRupiahAmount,
    OptionRequired,
)
from jangkau.rules.model import Program
from jangkau.rules.tables import all_tables

app = typer.Typer(help="Contribution, benefit, lapse and budget rules.", no_args_is_help=True)
benefit_app = typer.Typer(help="Benefit calculators: jkm, jkk, jht, jp, jkp.", no_args_is_help=True)
app.add_typer(benefit_app, name="benefit")

JSON = typer.Option(False, "--json", help="Print JSON instead of tables.")


def _money(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        return parse_rupiah(value)
    except ValueError:
        raise NotRupiahAmount(name, value) from None


def _need(value: Any, name: str) -> Any:
    if value is None:
        raise OptionRequired(name)
    return value


def _month(value: str | None, name: str = "month") -> Month:
    if value is None:
        return Month.of(dt.date.today())  # CLI convenience only; the rules never read today's date
    try:
        return Month.parse(value)
    except ValueError:
        raise MonthFormatInvalid(name, value) from None


def _date(value: str | None, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_need(value, name))
    except ValueError:
        raise DateFormatInvalid(name, value) from None


def _opt_date(value: str | None, name: str) -> dt.date | None:
    return None if value is None else _date(value, name)


def _months(spec: str, name: str) -> list[Month]:
    """``2024-01..2024-12,2025-02`` -> the months listed."""
    out: list[Month] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        first, _, last = part.partition("..")
        start, end = _month(first, name), _month(last or first, name)
        out.extend(start.plus(i) for i in range(end.minus(start) + 1))
    return out


def _choice(enum: Any, value: str, name: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(e.value for e in enum)
        raise NotKnownValue(name, value, known) from None


@app.command("list")
def list_rules(as_json: bool = JSON) -> None:
    """Every rule version with its validity, status and citation."""
    rows = [
        {
            "id": v.id,
            "version": v.version,
            "title": v.title,
            "valid_from": v.valid_from.isoformat(),
            "valid_to": v.valid_to.isoformat() if v.valid_to else None,
            "status": v.status.value,
            "citation": v.citation,
            "open_questions": list(v.unconfirmed),
        }
        for t in all_tables().values()
        for v in t.versions
    ]
    if as_json:
        emit_json(rows)
        return
    columns = ["id", "version", "valid_from", "valid_to", "status", "citation"]
    table("Rules on file", columns, [[r[c] or "-" for c in columns] for r in rows])


@app.command("contribution")
def contribution(
    segment: str = typer.Option(..., help="pu, bpu, jakon or pmi"),
    month: str = typer.Option(None, help="Contribution month YYYY-MM (default: this month)."),
    wage: str = typer.Option(None, help="PU monthly wage; Jakon: known monthly wages."),
    daily_wage: str = typer.Option(None, help="PU daily wage (x 25)."),
    risk_group: int = typer.Option(1, help="PU JKK risk group 1-5."),
    programs: str = typer.Option(None, help="e.g. jkk,jkm,jht,jp (PU default) or jkk,jkm (BPU default)."),
    region: str = typer.Option(None, help="Workplace region code for the UMK/UMP check, e.g. 12.71."),
    use_floor: bool = typer.Option(False, help="PU: compute on max(wage, UMK/UMP)."),
    labour_intensive: bool = typer.Option(False, help="PU: the employer qualifies for PP 7/2025."),
    income: str = typer.Option(None, help="BPU declared monthly income."),
    months: int = typer.Option(1, help="BPU months paid in advance (1, 3, 6, 12)."),
    sector: str = typer.Option(None, help="BPU sector for PP 50/2025: transport or non_transport."),
    contract_value: str = typer.Option(None, help="Jakon contract value."),
    contract_months: int = typer.Option(24, help="PMI contract length in months."),
    placement: str = typer.Option("agency", help="PMI: agency or individual."),
    jht_amount: str = typer.Option(None, help="PMI optional JHT amount."),
    as_json: bool = JSON,
) -> None:
    """Contribution of one worker (PU, BPU, PMI) or one project (Jakon)."""
    seg, m = _choice(Segment, segment, "segment"), _month(month)
    if seg is Segment.PU:
        result = pu_contribution(
            _money(wage, "wage"),
            risk_group,
            m,
            programs or "jkk,jkm,jht,jp",
            daily_wage=_money(daily_wage, "daily_wage"),
            region=region,
            use_floor=use_floor,
            labour_intensive=labour_intensive,
        )
    elif seg is Segment.BPU:
        bpu_sector = None if sector is None else _choice(BpuSector, sector, "sector")
        result = bpu_contribution(
            _need(_money(income, "income"), "income"), m, programs or "jkk,jkm", months, sector=bpu_sector
        )
    elif seg is Segment.JAKON:
        result = jakon_contribution(m, _money(contract_value, "contract_value"), wages=_money(wage, "wage"))
    else:
        result = pmi_contribution(
            m, contract_months, _choice(Placement, placement, "placement"), _money(jht_amount, "jht_amount")
        )
    render(result.as_dict(), f"Contribution {seg.value.upper()} {m}", as_json)


@benefit_app.command("jkm")
def benefit_jkm(
    death_date: str = typer.Option(..., help="Date of death YYYY-MM-DD."),
    contribution_months: int = typer.Option(0, help="Months of contributions paid."),
    children: int = typer.Option(0, help="Children who may receive the scholarship."),
    as_json: bool = JSON,
) -> None:
    """JKM: Rp42M breakdown and scholarship eligibility."""
    result = jkm_benefit(_date(death_date, "death_date"), contribution_months, children)
    render(result.as_dict(), "JKM benefit", as_json)


@benefit_app.command("jkk")
def benefit_jkk(
    accident_date: str = typer.Option(..., help="Date of the accident YYYY-MM-DD."),
    wage: str = typer.Option(..., help="Monthly wage (PU) or declared income band (BPU)."),
    outcome: str = typer.Option(
        ..., help="temporary_disability, death, total_permanent_disability, partial_disability"
    ),
    months_unable: int = typer.Option(0, help="Months unable to work (temporary disability)."),
    disability_percent: str = typer.Option(None, help="Partial disability percentage from the table."),
    claim_date: str = typer.Option(None, help="Date the claim is filed."),
    as_json: bool = JSON,
) -> None:
    """JKK: STMB schedule, death 48 x wage, total disability up to 56 x wage, 5-year claim limit."""
    try:
        percent = None if disability_percent is None else Decimal(disability_percent)
    except InvalidOperation:
        raise NotANumber("disability_percent") from None
    result = jkk_benefit(
        _date(accident_date, "accident_date"),
        _need(_money(wage, "wage"), "wage"),
        _choice(JkkOutcome, outcome, "outcome"),
        months_unable=months_unable,
        disability_percent=percent,
        claim_date=_opt_date(claim_date, "claim_date"),
    )
    render(result.as_dict(), "JKK benefit", as_json)


@benefit_app.command("jht")
def benefit_jht(
    trigger: str = typer.Option(None, help="Claim: age, death, resignation, phk, partial_housing, partial_other, ..."),
    event_date: str = typer.Option(None, help="Claim: date of the event YYYY-MM-DD."),
    membership_start: str = typer.Option(None, help="Claim: start of membership YYYY-MM-DD."),
    balance: str = typer.Option(None, help="Claim: current JHT balance."),
    birth_date: str = typer.Option(None, help="Claim by age: birth date."),
    previous_partial_claims: int = typer.Option(0, help="Claim: partial claims already made."),
    wage: str = typer.Option(None, help="Projection: PU monthly wage (JHT 5.7 %)."),
    start: str = typer.Option(None, "--from", help="Projection: first contribution month YYYY-MM."),
    end: str = typer.Option(None, "--to", help="Projection: last month YYYY-MM."),
    annual_return: str = typer.Option("5.5", "--return", help="Projection: yearly return in percent."),
    as_json: bool = JSON,
) -> None:
    """JHT: a claim (with --trigger) or a balance projection (with --wage --from --to --return)."""
    if trigger is not None:
        result = jht_claim(
            _choice(JhtTrigger, trigger, "trigger"),
            _date(event_date, "event_date"),
            _date(membership_start, "membership_start"),
            _need(_money(balance, "balance"), "balance"),
            birth_date=_opt_date(birth_date, "birth_date"),
            previous_partial_claims=previous_partial_claims,
        )
        render(result.as_dict(), "JHT claim", as_json)
        return
    amount, first = _need(_money(wage, "wage"), "wage"), _month(_need(start, "from"), "from")
    last = _month(_need(end, "to"), "to")
    history = [(first.plus(i), _jht_month(amount, first.plus(i))) for i in range(max(0, last.minus(first) + 1))]
    try:
        rate_bp = int(Decimal(annual_return) * 100)
    except InvalidOperation:
        raise NotANumber("annual_return") from None
    render(jht_projection(history, rate_bp, last).as_dict(), "JHT projection", as_json)


def _jht_month(wage: int, month: Month) -> int:
    return pu_contribution(wage, 1, month, "jht").line(Program.JHT).total


@benefit_app.command("jp")
def benefit_jp(
    masa_iur: int = typer.Option(..., help="Months of contributions."),
    average_wage: str = typer.Option(..., help="Average indexed monthly wage."),
    on: str = typer.Option(..., help="Date the pension starts YYYY-MM-DD."),
    reason: str = typer.Option("old_age", help="old_age, death or disability."),
    membership_months: int = typer.Option(None, help="Death/disability: months of membership."),
    density: str = typer.Option(None, help="Death/disability: contribution density in percent."),
    accumulated: str = typer.Option(None, help="Lump sum: contributions plus returns."),
    as_json: bool = JSON,
) -> None:
    """JP: 1 % x masa_iur/12 x average wage, clamped; lump sum under 15 years; pension age."""
    try:
        density_bp = None if density is None else int(Decimal(density) * 100)
    except InvalidOperation:
        raise NotANumber("density") from None
    result = jp_benefit(
        masa_iur,
        _need(_money(average_wage, "average_wage"), "average_wage"),
        _date(on, "on"),
        reason=_choice(JpReason, reason, "reason"),
        membership_months=membership_months,
        density_bp=density_bp,
        accumulated=_money(accumulated, "accumulated"),
    )
    render(result.as_dict(), "JP benefit", as_json)


@benefit_app.command("jkp")
def benefit_jkp(
    dismissal_date: str = typer.Option(..., help="Date of the PHK YYYY-MM-DD."),
    wage: str = typer.Option(..., help="Last reported monthly wage."),
    paid: str = typer.Option("", help="Paid contribution months, e.g. 2024-01..2025-02."),
    claim_date: str = typer.Option(None, help="Date the claim is filed."),
    as_json: bool = JSON,
) -> None:
    """JKP: PP 37/2021 or PP 6/2025 by dismissal date; Rp5M wage cap; eligibility and claim window."""
    result = jkp_benefit(
        _date(dismissal_date, "dismissal_date"),
        _need(_money(wage, "wage"), "wage"),
        _months(paid, "paid"),
        _opt_date(claim_date, "claim_date"),
    )
    render(result.as_dict(), "JKP benefit", as_json)


@app.command("coverage")
def coverage(
    segment: str = typer.Option(..., help="pu or bpu"),
    start: str = typer.Option(..., help="Registration month YYYY-MM."),
    paid: str = typer.Option("", help="Paid months, e.g. 2025-01..2025-03,2025-06."),
    as_of: str = typer.Option(..., help="Date YYYY-MM-DD."),
    event_date: str = typer.Option(None, help="Date of an accident or death to check."),
    jht_claimed: bool = typer.Option(False, help="The JHT was claimed."),
    as_json: bool = JSON,
) -> None:
    """Protected months, arrears, status, and whether an event is covered."""
    result = coverage_status(
        _choice(Segment, segment, "segment"),
        _month(start, "start"),
        _months(paid, "paid"),
        _date(as_of, "as_of"),
        jht_claimed=jht_claimed,
        event_date=_opt_date(event_date, "event_date"),
    )
    render(result.as_dict(), "Coverage", as_json)


@app.command("budget")
def budget(
    months: int = typer.Option(..., help="Months of cover."),
    income: str = typer.Option("1000000", help="Declared income per worker (default: the minimum band)."),
    programs: str = typer.Option("jkk,jkm", help="jkk,jkm (minimum package) or jkk,jkm,jht."),
    workers: int = typer.Option(None, help="Number of workers (cost)."),
    budget_rp: str = typer.Option(None, "--budget", help="Budget in Rupiah (how many workers it covers)."),
    segment: str = typer.Option("bpu", help="Only bpu."),
    month: str = typer.Option(None, help="First month YYYY-MM (default: this month)."),
    sector: str = typer.Option(None, help="BPU sector for PP 50/2025: transport or non_transport."),
    as_json: bool = JSON,
) -> None:
    """Cost of covering N workers for M months, or (with --budget) how many workers a budget covers."""
    seg, first = _choice(Segment, segment, "segment"), _month(month)
    amount = _need(_money(income, "income"), "income")
    bpu_sector = None if sector is None else _choice(BpuSector, sector, "sector")
    if budget_rp is not None:
        capacity = budget_capacity(
            _need(_money(budget_rp, "budget"), "budget"),
            months,
            first,
            amount,
            programs,
            segment=seg,
            sector=bpu_sector,
        )
        data = capacity.as_dict()
        if not as_json:
            console.print(
                f"{format_rupiah(capacity.budget)} covers [bold]{capacity.workers:,}[/] workers for {months} months; "
                f"remainder {format_rupiah(capacity.remainder)}"
            )
        render(data["cost"] if not as_json else data, "Budget", as_json)
        return
    cost = budget_cost(_need(workers, "workers"), months, first, amount, programs, segment=seg, sector=bpu_sector)
    render(cost.as_dict(), "Budget", as_json)
