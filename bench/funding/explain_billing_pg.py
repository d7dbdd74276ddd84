"""Where the PostgreSQL billing run's statements spend their time: per foreign-key trigger, and the WAL they write.

Seeds N memberships (as ``bench_billing.py``), creates the payers first, then runs ``run_billing`` with
``auto_explain`` (``log_analyze``, ``log_triggers``, ``log_wal``) sending the plan of every statement to
the client as a NOTICE. Prints one JSON line: the summed time and calls of every trigger (the foreign-key
checks), the WAL written, and the summed time of the bills + lines statements. A probe only: ``EXPLAIN ANALYZE``
timing slows the run itself, so compare its shares, not its seconds, with the bench.

    .venv/bin/python bench/funding/explain_billing_pg.py --members 1000000 \\
        --db-url postgresql://postgres@127.0.0.1:5432/jangkau_h_billing_explain
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text

sys.path.insert(0, str(Path(__file__).parent))
import bench_billing as b

TRIGGER = re.compile(r"Trigger (?:for constraint )?(\S+?)(?: on \S+)?: time=([\d.]+) calls=(\d+)")
WAL = re.compile(r"WAL: records=(\d+)(?: fpi=(\d+))? bytes=(\d+)")
TOTAL = re.compile(r"duration: ([\d.]+) ms")
SETTINGS = (
    "LOAD 'auto_explain'",
    "SET auto_explain.log_min_duration = 0",
    "SET auto_explain.log_analyze = on",
    "SET auto_explain.log_triggers = on",
    "SET auto_explain.log_wal = on",
    "SET auto_explain.log_level = notice",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--db-url", required=True)
    args = parser.parse_args()
    b.seed_pg(args.db_url, args.members)
    b.payers_first(args.db_url)
    plans: list[str] = []
    original = b.make_engine

    def explaining_engine(url: str | None = None, **kwargs: Any) -> Any:
        engine = original(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _explain(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.add_notice_handler(lambda diag: plans.append(diag.message_primary or ""))
            with dbapi_connection.cursor() as cursor:
                for setting in SETTINGS:
                    cursor.execute(setting)
            dbapi_connection.commit()

        return engine

    b.make_engine = explaining_engine  # type: ignore[assignment]
    seconds, lines, _ = b.ours(args.db_url)
    b.make_engine = original  # type: ignore[assignment]
    triggers: dict[str, list[float]] = {}
    statements: dict[str, list[float]] = {}
    wal = [0, 0, 0]
    for plan in plans:
        kind = "bills + lines" if "new_bill" in plan else "line query" if "billing_chunk_line" in plan else "other"
        total = TOTAL.search(plan)
        entry = statements.setdefault(kind, [0, 0.0])
        entry[0] += 1
        entry[1] += float(total.group(1)) / 1000 if total else 0.0
        for name, ms, calls in TRIGGER.findall(plan):
            t = triggers.setdefault(name, [0.0, 0])
            t[0] += float(ms) / 1000
            t[1] += int(calls)
        for records, fpi, size in WAL.findall(plan)[:1]:  # the top node's WAL is the statement's
            wal[0] += int(records)
            wal[1] += int(fpi or 0)
            wal[2] += int(size)
    b.emit("explain_billing", round(seconds, 2), lines=lines, member_months=args.members, plans=len(plans),
           statements={k: [v[0], round(v[1], 2)] for k, v in statements.items()},
           triggers={k: [round(v[0], 2), v[1]] for k, v in sorted(triggers.items(), key=lambda kv: -kv[1][0])},
           wal={"records": wal[0], "fpi": wal[1], "mb": round(wal[2] / 1e6, 1)}, load=b.load_average())  # fmt: skip
    name = args.db_url.rsplit("/", 1)[1]
    admin = create_engine(b.PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
