"""The migration history is one chain, and a fresh database upgraded by it has exactly the models' schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, _postgres_engine

from jangkau.db.all_models import metadata
from jangkau.db.engine import make_engine
from jangkau.db.migrate import MIGRATIONS_DIR, alembic_config, current_revision, schema_state, script_head, upgrade

MERGE = "0021_merge_heads"

# Differences that are meant, each with its reason; anything else that autogenerate reports fails the test.
# PostgreSQL: the operator-class indexes behind territory-prefix filters (``code LIKE '12.71%'``) are created by raw
# SQL in 0001/0008 (``varchar_pattern_ops``), which the models cannot declare for SQLite too; the test below checks
# that they exist.
PG_PATTERN_INDEXES = {"ix_person_village_code_pattern", "ix_region_code_pattern", "ix_jobs_vacancy_district_pattern"}
# SQLite: ``funding_bill_line.person_id`` keeps its foreign key there (0020 drops it on PostgreSQL only: dropping it on
# SQLite rebuilds the append-only ledger table and its triggers; see that revision's docstring).
SQLITE_KEPT_FOREIGN_KEYS = {"fk_funding_bill_line_person_id_person"}


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def test_the_history_has_one_head() -> None:
    heads = _script().get_heads()
    assert len(heads) == 1, f"several migration heads {sorted(heads)}: chain the new revision after the last one"
    assert script_head() == heads[0]


def test_every_revision_after_the_merge_has_one_parent_and_the_naming_scheme() -> None:
    script = _script()
    after: list[str] = []
    for revision in script.walk_revisions():  # head first
        if revision.revision == MERGE:
            break
        after.append(revision.revision)
        assert isinstance(revision.down_revision, str), f"{revision.revision} must have exactly one parent"
    names = {path.stem for path in (MIGRATIONS_DIR / "versions").glob("*.py")}
    for rev in [*after, MERGE]:
        number, _, rest = rev.partition("_")
        assert len(number) == 4, f"{rev}: revision ids are NNNN_<domain>_<what>"
        assert number.isdigit(), f"{rev}: revision ids are NNNN_<domain>_<what>"
        assert rest, f"{rev}: revision ids are NNNN_<domain>_<what>"
        assert rev in names, f"{rev}: the file name is the revision id"
    numbers = [int(rev[:4]) for rev in reversed([*after, MERGE])]
    assert numbers == sorted(set(numbers)), "revision numbers after the merge rise by one chain"


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database that only the migrations built (no regions loaded)."""
    if request.param == "postgresql":
        if not POSTGRES_URL:
            if REQUIRE_POSTGRES:
                pytest.fail("JANGKAU_TEST_POSTGRES_URL must be set: PostgreSQL tests are required here")
            pytest.skip("PostgreSQL tests need JANGKAU_TEST_POSTGRES_URL")
        engine = _postgres_engine("schema")
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def _expected(diff: Any, dialect: str) -> bool:
    """Whether one autogenerate difference is one of the meant ones above."""
    if not isinstance(diff, tuple) or not diff:
        return False
    kind = diff[0]
    if dialect == "postgresql" and kind == "remove_index":
        return diff[1].name in PG_PATTERN_INDEXES
    if dialect == "sqlite" and kind == "remove_fk":
        return diff[1].name in SQLITE_KEPT_FOREIGN_KEYS
    return False


def test_migrations_build_exactly_the_models_schema(fresh: Engine) -> None:
    dialect = fresh.dialect.name
    with fresh.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": False})
        diff = compare_metadata(context, metadata)
    unexpected = [d for d in diff if not _expected(d, dialect)]
    assert unexpected == [], "the migrations and the models differ; add a migration (or fix the model):\n" + "\n".join(
        repr(d) for d in unexpected
    )
    assert current_revision(fresh) == script_head()
    assert schema_state(fresh).up_to_date
    if dialect == "postgresql":
        tables = ("person", "region", "jobs_vacancy")
        indexes = {ix["name"] for table in tables for ix in inspect(fresh).get_indexes(table)}
        assert indexes >= PG_PATTERN_INDEXES


def test_a_database_at_the_old_branch_heads_upgrades_to_the_one_head(tmp_path: Path) -> None:
    """Deployed databases are at the eleven branch heads that 0021_merge_heads joins."""
    engine = make_engine(f"sqlite:///{tmp_path / 'deployed.db'}")
    merged = _script().get_revision(MERGE)
    assert merged is not None
    parents = merged.down_revision
    assert isinstance(parents, tuple)
    assert len(parents) == 11
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        for parent in parents:
            command.upgrade(config, parent)
    before = schema_state(engine)
    assert before.current == set(parents)
    assert not before.up_to_date
    assert "jangkau db upgrade" in before.describe()
    upgrade(engine)
    assert current_revision(engine) == script_head()
    assert schema_state(engine).up_to_date
    engine.dispose()
