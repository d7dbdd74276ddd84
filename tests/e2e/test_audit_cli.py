"""``jangkau audit seal`` and ``jangkau audit verify`` as an operator runs them, on a database file of its own."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

from sqlalchemy.orm import sessionmaker
from tests.e2e.conftest import run_cli

from jangkau.auth.models import AuditEvent
from jangkau.db.engine import make_engine


def test_verify_finds_an_event_edited_after_its_day_was_sealed(tmp_path: Path) -> None:
    env = {**os.environ, "JANGKAU_VAR_DIR": str(tmp_path), "JANGKAU_DATABASE_URL": "", "COLUMNS": "200"}
    run_cli("db", "upgrade", env=env)
    database = tmp_path / "jangkau.db"
    engine = make_engine(f"sqlite:///{database}")
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    with sessionmaker(bind=engine).begin() as session:
        session.add_all(
            AuditEvent(at=yesterday, actor="cabang.medan", action="read_full", entity="person", entity_id=str(i))
            for i in range(3)
        )
    engine.dispose()
    sealed = json.loads(run_cli("audit", "seal", "--json", env=env).stdout)
    assert sealed[-1] == {"day": yesterday.date().isoformat(), "events": 3, "digest": sealed[-1]["digest"]}
    intact = run_cli("audit", "verify", env=env)
    assert "intact" in intact.stdout

    with sqlite3.connect(database) as raw:  # someone with the file hides who read a record
        raw.execute("DROP TRIGGER audit_event_no_update")
        raw.execute("UPDATE audit_event SET actor = 'tidak.ada' WHERE entity_id = '1'")
    tampered = run_cli("audit", "verify", "--json", env=env, check=False)
    assert tampered.returncode == 1
    assert json.loads(tampered.stdout)["problems"] == [
        {"day": yesterday.date().isoformat(), "reason": "an event of this day was changed after it was sealed"}
    ]
