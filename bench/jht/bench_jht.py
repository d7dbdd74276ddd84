"""JHT balances benchmark: ours (``funding.jht_batch``: a DuckDB step per month with the rules' rate and rounding)
vs a plain DuckDB sum of the same rows, in the same run; a sample checked against ``rules.jht_account``.

Seeds N members x 12 months of JHT contributions set-wise in DuckDB (no database, no demo seeder): half PU
(5.7 % of wages Rp3M-15M), half BPU (2 % of 8 income bands); about 1 month in 10 unpaid. Prints one JSON line per
figure; results also go to bench/out/jht.jsonl.

    .venv/bin/python bench/jht/bench_jht.py --members 1000000 [--sample 2000]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb

from jangkau.funding.jht_batch import jht_balances
from jangkau.kit.months import Month
from jangkau.rules import jht_account

OUT = Path(__file__).resolve().parents[1] / "out"
FIRST, UNTIL = Month(2025, 12), Month(2026, 11)
BANDS = "[1000000, 1000000, 1500000, 2000000, 2500000, 3000000, 4000000, 5000000]"  # BPU declared incomes


def emit(figure: str, value: object, **extra: object) -> None:
    line = json.dumps({"bench": "jht.balances", "figure": figure, "value": value, **extra})
    print(line, flush=True)
    OUT.mkdir(exist_ok=True)
    with (OUT / "jht.jsonl").open("a") as out:
        out.write(line + "\n")


def seed(con: duckdb.DuckDBPyConnection, members: int) -> int:
    """``ledger``: member x month rows of the JHT amount paid; returns the row count."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE ledger AS
        SELECT m.i AS member_id,
               (DATE '{FIRST.first_day().isoformat()}' + INTERVAL (k.k) MONTH)::DATE AS month,
               CASE WHEN m.i % 2 = 0
                    THEN ((3000000 + (m.i * 7919) % 12000000) * 570 + 5000) // 10000
                    ELSE {BANDS}[1 + m.i % 8] * 2 // 100
               END::BIGINT AS amount
        FROM range(1, {members} + 1) m(i), range(0, 12) k(k)
        WHERE (m.i * 31 + k.k * 17) % 10 <> 0
        """
    )
    row = con.execute("SELECT count(*) FROM ledger").fetchone()
    return int(row[0]) if row else 0


def check_sample(con: duckdb.DuckDBPyConnection, sample: int) -> tuple[bool, float]:
    """Compare ours with ``rules.jht_account`` for ``sample`` members; returns (all equal, seconds per member)."""
    rows = con.execute(
        f"SELECT l.member_id, l.month, l.amount, b.balance FROM ledger l JOIN ours b USING (member_id) "
        f"WHERE l.member_id <= {sample} ORDER BY l.member_id, l.month"
    ).fetchall()
    by_member: dict[int, tuple[list[tuple[Month, int]], int]] = {}
    for member, month, amount, balance in rows:
        paid, _ = by_member.get(member, ([], balance))
        paid.append((Month.of(month), int(amount)))
        by_member[member] = (paid, int(balance))
    started = time.perf_counter()
    equal = all(jht_account(paid, UNTIL).balance == balance for paid, balance in by_member.values())
    return equal, (time.perf_counter() - started) / max(1, len(by_member))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    con = duckdb.connect()
    started = time.perf_counter()
    rows = seed(con, args.members)
    emit("seed_s", round(time.perf_counter() - started, 3), members=args.members, rows=rows)

    started = time.perf_counter()
    con.execute(
        "CREATE OR REPLACE TABLE plain AS SELECT member_id, sum(amount)::BIGINT AS total FROM ledger GROUP BY 1"
    )
    plain = time.perf_counter() - started
    emit("duckdb_plain_sum_s", round(plain, 3), members=args.members)

    started = time.perf_counter()
    count = jht_balances(con, "ledger", FIRST, UNTIL, "ours")
    ours = time.perf_counter() - started
    emit("ours_balances_s", round(ours, 3), members=count, ratio_to_plain_sum=round(ours / plain, 2) if plain else None)

    totals = con.execute("SELECT (SELECT sum(total) FROM plain), (SELECT sum(balance) FROM ours)").fetchone()
    contributions, balances = (int(totals[0]), int(totals[1])) if totals else (0, 0)
    emit("totals", {"contributions": contributions, "balances": balances, "returns": balances - contributions})
    equal, per_member = check_sample(con, args.sample)
    emit("sample_matches_rules_jht_account", equal, sample=args.sample)
    emit("pure_rule_per_member_s", round(per_member, 6), extrapolated_s=round(per_member * args.members, 1))


if __name__ == "__main__":
    main()
