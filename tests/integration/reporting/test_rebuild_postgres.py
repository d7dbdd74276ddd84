"""The PostgreSQL rebuild as it runs in production: committed transactions, so the sources are read on parallel
ADBC connections sharing one snapshot and the staging tables are loaded and indexed on connections of their own.
The other reporting tests run inside one rolled-back transaction, where the rebuild stays on the session's
connection; this one checks that both paths give the same tables."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from tests.conftest import build_database

from jangkau.db.uow import unit_of_work
from jangkau.reporting import jobs
from jangkau.reporting.repository import summary as sql
from jangkau.reporting.repository.summary import Window

from .conftest import JAN, MAR, build_town, pay_town
from .test_summaries import snapshot


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A PostgreSQL database of its own (its rows committed), holding the paid town."""
    engine = build_database("postgresql", tmp_path_factory.mktemp("db"), "report_parallel")
    units = partial(unit_of_work, sessionmaker(bind=engine, expire_on_commit=False))
    with units() as session:
        town = build_town(session)
    with units() as session:
        pay_town(session, town, units)
    yield engine
    engine.dispose()


def _units(engine: Engine) -> Any:
    return partial(unit_of_work, sessionmaker(bind=engine, expire_on_commit=False))


def _extracted(session: Session, parallel: int, workdir: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect()
    try:
        sql.extract(session, con, Window(JAN, MAR), workdir, parallel)
        tables = [str(r[0]) for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in sorted(tables)}
    finally:
        con.close()


def test_parallel_snapshot_extract_reads_what_the_session_reads(committed: Engine, tmp_path: Path) -> None:
    with _units(committed)() as session:
        alone = _extracted(session, 1, tmp_path)
        together = _extracted(session, 2, tmp_path)
    assert together == alone
    assert len(alone["members"]) == 5
    assert alone["paid"]  # the paid months came through with their payer kind
    assert {kind for _id, _month, kind in alone["paid"]} == {"employer", "self"}


def test_parallel_extract_reads_the_snapshot_not_later_commits(committed: Engine, tmp_path: Path) -> None:
    factory = sessionmaker(bind=committed)
    with factory() as session:
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        session.execute(text("SELECT 1"))  # the snapshot is taken here
        with _units(committed)() as other:  # a membership ends after the snapshot was taken
            other.execute(text("UPDATE membership SET end_date = DATE '2026-03-20' WHERE segment = 'bpu'"))
        try:
            seen = _extracted(session, 2, tmp_path)
        finally:
            session.rollback()
            with _units(committed)() as other:
                other.execute(text("UPDATE membership SET end_date = NULL WHERE segment = 'bpu'"))
    assert all(row[6] is None for row in seen["members"])


def test_staged_rebuild_on_own_connections_equals_the_single_connection_rebuild(
    committed: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    units: Any = _units(committed)
    parallel = jobs.rebuild(units, JAN, MAR)
    assert parallel.seconds.keys() >= {"extract", "aggregate", "load", "index", "swap"}
    with units() as session:
        built = snapshot(session)
    assert built["fine"]
    assert built["rollup"]
    monkeypatch.setattr(jobs, "EXTRACT_PARALLEL", 1)
    monkeypatch.setattr(jobs, "LOAD_PARALLEL", 1)
    jobs.rebuild(units, JAN, MAR)
    with units() as session:
        assert snapshot(session) == built
        indexes = session.execute(
            text("SELECT count(*) FROM pg_indexes WHERE tablename = ANY(:t)"), {"t": list(sql.STAGED)}
        ).scalar_one()
    # the swapped-in tables carry every primary key and index the models declare
    assert indexes == sum(len(sql._index_ddl(t, t)) for t in sql.STAGED)
