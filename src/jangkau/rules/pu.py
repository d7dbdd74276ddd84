"""PU (wage earner) contributions: JKK by risk group, JKM, JHT, JP on the capped wage, JKP funding.

Rounding (written in ``data/pu_rates``): each party's share of each programme is base x rate, rounded half
up to the Rupiah; a programme's total is the sum of its rounded shares, so the shares always add up.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from jangkau.errors import InvalidInput
from jangkau.kit.money import Rounding, Rupiah, apply_bp
from jangkau.kit.months import Month
from jangkau.rules import relaxations
from jangkau.rules.errors import RiskGroupOutOfRange, WageBasisMissing
from jangkau.rules.model import Program, Segment, Trail, parse_programs
from jangkau.rules.payment import due_date
from jangkau.rules.results import Contribution, ContributionLine
from jangkau.rules.tables import Version, dec, ints, num, rounding, sub, table
from jangkau.rules.wages import check_wage, floor_finding, min_wage, monthly_wage_from_daily

PU_RATES = "pu_rates"
JP_WAGE_CAP = "jp_wage_cap"
JKP_FUNDING = "jkp_funding"
DEFAULT_PROGRAMS = frozenset({Program.JKK, Program.JKM, Program.JHT, Program.JP})
RISK_GROUPS = (1, 2, 3, 4, 5)


def jp_wage_cap(month: Month, trail: Trail | None = None) -> Rupiah:
    """The JP wage cap for contribution ``month`` (changes every 1 March).

    Raises:
        InvalidInput: a month before JP existed (2015-07) or after the last cap on file.
    """
    return num(table(JP_WAGE_CAP).for_month(month, "month", trail).data, "cap")


def _check_risk_group(risk_group: int) -> int:
    if risk_group not in RISK_GROUPS:
        raise RiskGroupOutOfRange(risk_group)
    return risk_group


def _reported_wage(wage: Rupiah | None, daily_wage: Rupiah | None, rates: Version) -> Rupiah:
    if (wage is None) == (daily_wage is None):
        raise WageBasisMissing()
    if daily_wage is not None:
        return monthly_wage_from_daily(daily_wage, num(rates.data, "daily_wage_days"))
    assert wage is not None
    return check_wage(wage)


def _share(base: Rupiah, bp: Decimal, mode: Rounding) -> Rupiah:
    return apply_bp(base, bp, mode)


def _line(program: Program, base: Rupiah, employer_bp: Decimal, worker_bp: Decimal, mode: Rounding) -> ContributionLine:
    return ContributionLine(
        program, base, _share(base, employer_bp, mode), _share(base, worker_bp, mode), employer_bp, worker_bp
    )


def _jp_line(base: Rupiah, month: Month, rates: Version, factor: Decimal, trail: Trail) -> ContributionLine:
    cap = jp_wage_cap(month, trail)
    jp_base = min(base, cap)
    jp, mode = sub(rates.data, "jp"), rounding(rates.data)
    employer_bp, worker_bp = dec(jp, "employer_bp"), dec(jp, "worker_bp")
    full = _share(jp_base, employer_bp, mode) + _share(jp_base, worker_bp, mode)
    employer, worker = _share(jp_base, employer_bp * factor, mode), _share(jp_base, worker_bp * factor, mode)
    note = f"JP base = min(wage, cap Rp{cap:,})"
    return ContributionLine(
        Program.JP,
        jp_base,
        employer,
        worker,
        employer_bp * factor,
        worker_bp * factor,
        full - employer - worker,
        note,
    )


def _jkp_line(base: Rupiah, month: Month, trail: Trail) -> ContributionLine:
    funding = table(JKP_FUNDING).for_month(month, "month", trail).data
    note = (
        f"not billed: {num(funding, 'total_bp')} bp funded by the government ({num(funding, 'government_bp')} bp) "
        f"and recomposition of JKK ({num(funding, 'jkk_recomposition_bp')} bp) and JKM "
        f"({num(funding, 'jkm_recomposition_bp')} bp)"
    )
    return ContributionLine(Program.JKP, base, 0, 0, Decimal(0), Decimal(0), 0, note)


def _lines(
    base: Rupiah,
    risk_group: int,
    programs: frozenset[Program],
    month: Month,
    rates: Version,
    factors: dict[Program, Decimal],
    trail: Trail,
) -> list[ContributionLine]:
    mode, zero = rounding(rates.data), Decimal(0)
    lines: list[ContributionLine] = []
    if Program.JKK in programs:
        jkk_bp = Decimal(ints(sub(rates.data, "jkk"), "employer_bp")[risk_group - 1]) * factors[Program.JKK]
        lines.append(_line(Program.JKK, base, jkk_bp, zero, mode))
    if Program.JKM in programs:
        lines.append(
            _line(
                Program.JKM,
                base,
                dec(sub(rates.data, "jkm"), "employer_bp") * factors[Program.JKM],
                zero,
                mode,
            )
        )
    if Program.JHT in programs:
        jht = sub(rates.data, "jht")
        lines.append(_line(Program.JHT, base, dec(jht, "employer_bp"), dec(jht, "worker_bp"), mode))
    if Program.JP in programs:
        lines.append(_jp_line(base, month, rates, factors[Program.JP], trail))
    if Program.JKP in programs:
        lines.append(_jkp_line(base, month, trail))
    return lines


def pu_contribution(
    wage: Rupiah | None,
    risk_group: int,
    month: Month,
    programs: Iterable[Program] | str = DEFAULT_PROGRAMS,
    *,
    daily_wage: Rupiah | None = None,
    region: str | None = None,
    use_floor: bool = False,
    labour_intensive: bool = False,
) -> Contribution:
    """Monthly contribution of a PU worker, per programme with employer and worker shares.

    Args:
        wage: monthly reported wage (basic + fixed allowances); None when ``daily_wage`` is given.
        risk_group: JKK risk group 1 (very low, 0.24 %) to 5 (very high, 1.74 %).
        month: contribution month; selects every rule version.
        programs: programmes to compute (default JKK, JKM, JHT, JP). JKP is shown but not billed.
        daily_wage: daily wage; the monthly wage is daily x 25.
        region: Kemendagri code of the workplace; a wage under its UMK/UMP gives a "suspected_pds_upah" finding.
        use_floor: compute on max(wage, floor) instead of only reporting the finding.
        labour_intensive: the employer qualifies for the PP 7/2025 JKK relief.

    Returns:
        The lines, totals, findings, due date, rules used and warnings.

    Raises:
        InvalidInput: bad wage, risk group or programme, or a month outside the rules on file (e.g. JP before
        2015-07, JKP before 2021-02).
    """
    trail = Trail()
    selected = parse_programs(programs) if isinstance(programs, str) else parse_programs(frozenset(programs))
    rates = table(PU_RATES).for_month(month, "month", trail)
    reported = _reported_wage(wage, daily_wage, rates)
    rg = _check_risk_group(risk_group)
    base, findings = reported, []
    details: dict[str, Any] = {"wage": reported, "risk_group": rg, "region": region}
    if region is not None:
        try:
            floor = min_wage(region, month)
        except InvalidInput as exc:
            trail.warn(f"wage floor not checked: {exc.message}")
        else:
            trail.merge(floor.trail)
            details["floor"] = {"level": floor.level, "code": floor.code, "amount": floor.amount}
            finding = floor_finding(reported, floor)
            if finding is not None:
                findings.append(finding)
                if use_floor:
                    base = floor.amount
    details["base"] = base
    factors = relaxations.pu_factors(month, labour_intensive, trail)
    lines = _lines(base, rg, selected, month, rates, factors, trail)
    due = due_date(Segment.PU, month)
    trail.merge(due.trail)
    return Contribution(Segment.PU, month, lines, 1, details, [], findings, due.due_on, trail)
