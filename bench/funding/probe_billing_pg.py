"""Where the PostgreSQL billing run's time goes: the same run five ways on one seeded database.

1. as shipped (creates the self payers, foreign-key checks on);
2. again after deleting the month's bills and lines (payers exist now: the run without creating payers);
3. as 2 with the line's ``person_id`` foreign key put back (the schema before ``0020_billing_line_person_fk``);
4. as 2 again (the noise between 2 and 4 against the difference to 3);
5. as 2 with the foreign-key triggers off for the session (``session_replication_role = replica``; a probe only:
   the application never does this).

    .venv/bin/python bench/funding/probe_billing_pg.py --members 200000 \\
        --db-url postgresql://postgres@127.0.0.1:5432/jangkau_h_scale_billing_probe
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text

sys.path.insert(0, str(Path(__file__).parent))
import bench_billing as b

PERSON_KEY = "fk_funding_bill_line_person_id_person"


def clear_month(url: str) -> None:
    engine = b.make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # the ledger is append-only
        conn.execute(text("DELETE FROM funding_bill_line"))
        conn.execute(text("DELETE FROM funding_bill"))
        conn.execute(text("DELETE FROM job_checkpoint"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE funding_bill, funding_bill_line"))
    engine.dispose()


def with_person_key(url: str) -> float:
    """The run with the line's ``person_id`` foreign key put back as it was before ``0020_billing_line_person_fk``
    (``NOT VALID``: only new lines are checked, as they were), then dropped again."""
    engine = b.make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE funding_bill_line ADD CONSTRAINT {PERSON_KEY} FOREIGN KEY (person_id) "
                          "REFERENCES person (id) NOT VALID"))  # fmt: skip
    engine.dispose()
    seconds, _, _ = b.ours(url)
    engine = b.make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE funding_bill_line DROP CONSTRAINT {PERSON_KEY}"))
    engine.dispose()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--db-url", required=True)
    args = parser.parse_args()
    b.seed_pg(args.db_url, args.members)
    seconds, lines, _ = b.ours(args.db_url, profile=True)
    b.emit("probe_as_shipped_seconds", round(seconds, 2), lines=lines, member_months=args.members,
           statements={k: round(sum(v), 2) for k, v in b.STATEMENT_SECONDS.items() if sum(v) > 0.05},
           load=b.load_average())  # fmt: skip
    clear_month(args.db_url)
    seconds, lines, _ = b.ours(args.db_url)
    b.emit("probe_payers_exist_seconds", round(seconds, 2), lines=lines, member_months=args.members,
           load=b.load_average())  # fmt: skip
    clear_month(args.db_url)
    seconds = with_person_key(args.db_url)
    b.emit("probe_payers_exist_with_person_key_seconds", round(seconds, 2), member_months=args.members,
           load=b.load_average())  # fmt: skip
    clear_month(args.db_url)
    seconds, lines, _ = b.ours(args.db_url)
    b.emit("probe_payers_exist_again_seconds", round(seconds, 2), lines=lines, member_months=args.members,
           load=b.load_average())  # fmt: skip
    clear_month(args.db_url)
    original = b.make_engine

    def no_fk_engine(url: str | None = None, **kwargs: Any) -> Any:
        engine = original(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _replica(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
            dbapi_connection.commit()

        return engine

    b.make_engine = no_fk_engine  # type: ignore[assignment]
    seconds, lines, _ = b.ours(args.db_url)
    b.make_engine = original  # type: ignore[assignment]
    b.emit("probe_payers_exist_no_fk_checks_seconds", round(seconds, 2), lines=lines, member_months=args.members,
           load=b.load_average())  # fmt: skip
    name = args.db_url.rsplit("/", 1)[1]
    admin = create_engine(b.PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
