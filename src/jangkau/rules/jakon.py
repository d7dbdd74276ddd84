"""Construction projects (Jasa Konstruksi, Jakon): JKK + JKM by contract value or on known wages.

Contract value (nilai kontrak): cumulative marginal bands, e.g. JKK(1B) = 0.21 % x 100M + 0.17 % x 400M +
0.13 % x 500M = Rp1,540,000 [S-GRID-JAKON-JKK]. Rounding (``data/jakon_rates``): the exact sum over the bands,
rounded half up once to the Rupiah. Known wages: JKK 1.74 % and JKM 0.30 % of the monthly wages.
"""

from __future__ import annotations

from decimal import Decimal

from jangkau.kit.money import Rupiah, round_rupiah
from jangkau.kit.months import Month
from jangkau.rules.errors import ContractValueOutOfRange, JakonBasisMissing
from jangkau.rules.model import Program, Segment, Trail
from jangkau.rules.results import Contribution, ContributionLine
from jangkau.rules.tables import Version, num, opt_num, rounding, rows, sub, table
from jangkau.rules.wages import check_wage

JAKON_RATES = "jakon_rates"
# Guard against typing errors, not a legal limit: Rp100 trillion.
MAX_CONTRACT_VALUE: Rupiah = 100_000_000_000_000


def _marginal(version: Version, contract_value: Rupiah, key: str) -> Decimal:
    total, lower = Decimal(0), 0
    for band in rows(version.data, "band"):
        upper = opt_num(band, "upto")
        top = contract_value if upper is None else min(contract_value, upper)
        if top > lower:
            total += Decimal(top - lower) * num(band, key) / 10_000
        if upper is None or contract_value <= upper:
            break
        lower = upper
    return total


def jakon_contribution(
    month: Month, contract_value: Rupiah | None = None, *, wages: Rupiah | None = None
) -> Contribution:
    """JKK + JKM of a construction project, paid by the employer (service user or provider).

    Args:
        month: month of the work order (SPK) / registration; selects the rule version.
        contract_value: project contract value when the workers' wages are not known.
        wages: total monthly wages of the project's workers, when known (then JKK 1.74 %, JKM 0.30 %).

    Returns:
        JKK and JKM lines (employer share) with the rule used.

    Raises:
        InvalidInput: neither or both of contract_value and wages, or a value that is not positive or absurd.
    """
    if (contract_value is None) == (wages is None):
        raise JakonBasisMissing()
    trail = Trail()
    version = table(JAKON_RATES).for_month(month, "month", trail)
    mode = rounding(version.data)
    if wages is not None:
        base = check_wage(wages, "wages")
        known = sub(version.data, "wage_known")
        jkk_bp, jkm_bp = Decimal(num(known, "jkk_bp")), Decimal(num(known, "jkm_bp"))
        jkk = round_rupiah(Decimal(base) * jkk_bp / 10_000, mode)
        jkm = round_rupiah(Decimal(base) * jkm_bp / 10_000, mode)
        lines = [
            ContributionLine(Program.JKK, base, jkk, 0, jkk_bp),
            ContributionLine(Program.JKM, base, jkm, 0, jkm_bp),
        ]
        return Contribution(Segment.JAKON, month, lines, 1, {"wages": base, "method": "wages"}, trail=trail)
    assert contract_value is not None
    if not 0 < contract_value <= MAX_CONTRACT_VALUE:
        raise ContractValueOutOfRange(MAX_CONTRACT_VALUE, contract_value)
    jkk = round_rupiah(_marginal(version, contract_value, "jkk_bp"), mode)
    jkm = round_rupiah(_marginal(version, contract_value, "jkm_bp"), mode)
    lines = [
        ContributionLine(Program.JKK, contract_value, jkk, 0, note="cumulative marginal bands on the contract value"),
        ContributionLine(Program.JKM, contract_value, jkm, 0, note="cumulative bands (assumed, UNCONFIRMED)"),
    ]
    details = {"contract_value": contract_value, "method": "contract_value"}
    return Contribution(Segment.JAKON, month, lines, 1, details, trail=trail)
