"""The batch JHT balances (DuckDB) equal the rules engine's account, member by member."""

from __future__ import annotations

import duckdb

from jangkau.funding.jht_batch import jht_balances
from jangkau.kit.months import Month
from jangkau.rules import jht_account


def test_batch_balances_equal_the_account_of_each_member() -> None:
    paid = {
        1: [(Month(2025, m), 228_000) for m in range(1, 13)],
        2: [(Month(2025, m), 20_000 + m) for m in (2, 3, 7, 12)],  # gaps: months unpaid
        3: [(Month(2025, 12), 414_000)],
    }
    con = duckdb.connect()
    con.execute("CREATE TABLE ledger (member_id BIGINT, month DATE, amount BIGINT)")
    rows = [(member, m.first_day(), amount) for member, entries in paid.items() for m, amount in entries]
    con.executemany("INSERT INTO ledger VALUES (?, ?, ?)", rows)
    until = Month(2026, 3)
    assert jht_balances(con, "ledger", Month(2025, 1), until, "balances") == 3
    got = dict(con.execute("SELECT member_id, balance FROM balances").fetchall())
    assert got == {member: jht_account(entries, until).balance for member, entries in paid.items()}
    assert got[1] > 12 * 228_000  # returns were credited
