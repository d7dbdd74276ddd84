"""JHT balances of many members at once, in DuckDB: one set-based step per month, the same rule as one account.

Input: a DuckDB table of (``member_id``, ``month``, ``amount``) with the JHT part of every paid month (as
``funding.jht.jht_contributions`` gives for one member), pivoted once to a column per month; then, in one query,
month by month (a projection each, no join), every balance earns the month's return
(``rules.monthly_returns``: the yearly rate of that month as data, a twelfth of it on the opening balance, rounded
half up to the Rupiah, in exact integer arithmetic) and then gets the month's contribution. The result equals
``rules.jht_account`` member by member (the benchmark checks a sample); withdrawals are not handled here.
"""

from __future__ import annotations

import duckdb

from jangkau.kit.money import Rounding
from jangkau.kit.months import Month
from jangkau.rules import MonthlyReturn, monthly_returns

_HALF = 60_000  # half of 12 x 10,000: balance x bp / 120,000 rounded half up


def _step_sql(rules: list[MonthlyReturn]) -> str:
    """One query: the contributions pivoted to a column per month, then one projection per month (no joins)."""
    pivot = ", ".join(
        f"coalesce(sum(amount) FILTER (WHERE month = DATE '{r.month.first_day().isoformat()}'), 0)::BIGINT AS c{i}"
        for i, r in enumerate(rules)
    )
    ctes = [f"s0 AS (SELECT member_id, 0::BIGINT AS b, {', '.join(f'c{i}' for i in range(len(rules)))} FROM p)"]
    for i, rule in enumerate(rules):
        rest = "".join(f", c{j}" for j in range(i + 1, len(rules)))
        step = f"b + (b * {rule.annual_return_bp} + {_HALF}) // 120000 + c{i}"
        ctes.append(f"s{i + 1} AS (SELECT member_id, {step} AS b{rest} FROM s{i})")
    return f"WITH p AS (SELECT member_id, {pivot} FROM {{ledger}} GROUP BY member_id), {', '.join(ctes)} " + (
        f"SELECT member_id, b AS balance FROM s{len(rules)}"
    )


def jht_balances(con: duckdb.DuckDBPyConnection, ledger: str, first: Month, until: Month, out: str) -> int:
    """Create table ``out`` (``member_id``, ``balance``) from the contributions in table ``ledger``.

    Args:
        con: an open DuckDB connection holding ``ledger`` (``member_id`` BIGINT, ``month`` DATE, ``amount`` BIGINT).
        ledger: the contributions table name.
        first: the first month to credit (the earliest contribution month).
        until: the balance's last month.
        out: the result table name (replaced).

    Returns:
        The number of members in ``out``.

    Raises:
        ValueError: a month whose rule does not round half up (the integer step would differ).
    """
    rules = monthly_returns(first, until)
    for rule in rules:
        if rule.rounding is not Rounding.HALF_UP:
            raise ValueError(f"{rule.month}: the batch step only implements half-up rounding")
    query = _step_sql(rules).replace("{ledger}", ledger)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS {query}")
    row = con.execute(f"SELECT count(*) FROM {out}").fetchone()
    return int(row[0]) if row else 0
