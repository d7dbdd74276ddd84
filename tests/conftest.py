"""Shared fixtures: databases built by the migrations, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from jangkau.auth.throttle import reset_throttles
from jangkau.db.engine import make_engine
from jangkau.db.migrate import upgrade
from jangkau.db.uow import unit_of_work
from jangkau.regions.service import load_region_tree
from jangkau.regions.source import RegionDataset, load_dataset

if TYPE_CHECKING:
    from tests.factories import Units

# Tests sign in as the demo admin with a password only (API tokens, browser logins): the TOTP requirement for admin
# (the default, "admin,rules_admin") is switched off here, and on in tests/integration/auth, which test it.
# The e2e server and CLI subprocesses inherit this through os.environ.
os.environ.setdefault("JANGKAU_TOTP_REQUIRED_ROLES", "")

POSTGRES_URL = os.environ.get("JANGKAU_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("JANGKAU_REQUIRE_POSTGRES") == "1"


def sumut_dataset() -> RegionDataset:
    """The region tree of Sumatera Utara (12) plus every province and regency: fast to load in tests."""
    full = load_dataset()
    records = [r for r in full.records if r.code.startswith("12") or r.code.count(".") <= 1]
    return RegionDataset(full.source, full.version, full.decree, records)


_CREATED: list[str] = []  # PostgreSQL databases this test process made, dropped when the session ends


def _admin() -> Engine:
    base = make_url(POSTGRES_URL)
    return create_engine(base.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT")


def _postgres_engine(name: str) -> Engine:
    base = make_url(POSTGRES_URL)
    database = f"{base.database or 'jangkau_test'}_{name}_{os.getpid()}"
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    _CREATED.append(database)
    return make_engine(base.set(database=database).render_as_string(hide_password=False))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop the PostgreSQL databases the tests made, so runs do not pile them up on the server."""
    if not _CREATED:
        return
    admin = _admin()
    with admin.connect() as conn:
        for database in _CREATED:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()
    _CREATED.clear()


def build_database(kind: str, tmp: Path, name: str, dataset: RegionDataset | None = None) -> Engine:
    """A fresh, migrated database with regions loaded (``dataset``: default Sumatera Utara)."""
    if kind == "postgresql":
        if not POSTGRES_URL:
            if REQUIRE_POSTGRES:
                pytest.fail("JANGKAU_TEST_POSTGRES_URL must be set: PostgreSQL tests are required here")
            pytest.skip("PostgreSQL tests need JANGKAU_TEST_POSTGRES_URL")
        engine = _postgres_engine(name)
    else:
        engine = make_engine(f"sqlite:///{tmp / f'{name}.db'}")
    upgrade(engine)
    with unit_of_work(sessionmaker(bind=engine)) as session:
        load_region_tree(session, dataset or sumut_dataset())
    return engine


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database per backend for the whole session; tests roll back their changes."""
    built = build_database(request.param, tmp_path_factory.mktemp("db"), "shared")
    yield built
    built.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose commits are savepoints inside one outer transaction, rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    db = factory()
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Each test starts with no login or look-up attempts counted (the counters are process-wide)."""
    reset_throttles()
    yield
    reset_throttles()


@pytest.fixture
def units(session: Session) -> Units:
    """Job steps on the test session: each step is a savepoint (kept on success, rolled back on an error)."""
    from tests.factories import savepoint_units  # imported late: importing the task queue reads the settings

    return savepoint_units(session)


@pytest.fixture
def immediate(units: Units) -> Iterator[None]:
    """Tasks run at once when queued (huey immediate mode), their steps on the test's session."""
    from tests.factories import tasks_at_once

    with tasks_at_once(units):
        yield
