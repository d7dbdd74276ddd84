"""A backup of a seeded database restores into a new one with the same rows (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.conftest import _postgres_engine

from jangkau.db.backup import backup, fingerprints, meta_path, restore
from jangkau.db.engine import make_engine
from jangkau.db.errors import RestoreRefused
from jangkau.db.migrate import current_revision, script_head


def _empty_database(engine: Engine, tmp_path: Path) -> Engine:
    if engine.dialect.name == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    return _postgres_engine("restored")


def test_backup_restores_every_row(engine: Engine, tmp_path: Path) -> None:
    file = tmp_path / "jangkau.backup"
    info = backup(engine, file)
    assert info.revision == current_revision(engine)
    assert json.loads(meta_path(file).read_text())["revision"] == info.revision
    target = _empty_database(engine, tmp_path)
    restore(target, file)
    before, after = fingerprints(engine), fingerprints(target)
    assert before["region"][0] > 6_000  # the seeded region tree came along
    assert after == before
    with pytest.raises(RestoreRefused) as refused:  # the target now has tables: not without --force
        restore(target, file)
    assert refused.value.code == "restore_target_not_empty"
    restore(target, file, force=True)
    assert fingerprints(target) == before
    target.dispose()


def test_backup_from_a_newer_revision_is_refused_naming_both(engine: Engine, tmp_path: Path) -> None:
    file = tmp_path / "future.backup"
    backup(engine, file)
    meta = json.loads(meta_path(file).read_text())
    meta["revision"] = "0099_future"
    meta_path(file).write_text(json.dumps(meta))
    with pytest.raises(RestoreRefused) as refused:
        restore(make_engine(f"sqlite:///{tmp_path / 'x.db'}") if engine.dialect.name == "sqlite" else engine, file)
    assert refused.value.code == "restore_newer_revision"
    assert "0099_future" in refused.value.message
    assert script_head() in refused.value.message  # this code's one head (was a branch head before 0021_merge_heads)
