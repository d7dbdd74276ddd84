"""Run the Alembic migrations: the only way a schema is created, in tests too."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from jangkau.i18n import N_, gettext

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and the given database URL."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database of ``engine`` to ``revision`` (default: the single head).

    The domains' early branches are joined by ``0021_merge_heads``; every later revision has one parent, so the
    history has exactly one head (``tests/integration/db/test_migrations.py`` fails otherwise).
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revisions the database is at, ``None`` if it was never migrated.

    One revision once the database passed ``0021_merge_heads``; a database (or a backup) from before it may be at
    several branch heads, written comma-separated.
    """
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


@dataclass(frozen=True)
class SchemaState:
    """Where the database's schema stands against the migrations this code ships."""

    current: frozenset[str]
    head: str
    unknown: frozenset[str]  # revisions in the database that this code does not know: the database is newer

    @property
    def up_to_date(self) -> bool:
        return self.current == {self.head}

    def describe(self, lang: str = "en") -> str:
        """One line for a person: what is wrong and what to run (in ``lang``)."""
        have = ",".join(sorted(self.current)) or gettext(N_("(not migrated)"), lang)
        if self.unknown:
            text = N_(
                "The database is at revision %(have)s, newer than this version of Jangkau knows (%(want)s); "
                "install the newer Jangkau"
            )
        elif not self.up_to_date:
            text = N_("The database is at revision %(have)s, not at the current %(want)s; run `jangkau db upgrade`")
        else:
            return gettext(N_("The database is at the current revision %(want)s"), lang, want=self.head)
        return gettext(text, lang, have=have, want=self.head)

    def describe_id(self) -> str:
        """The same in Bahasa Indonesia."""
        return self.describe("id")


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    """The shipped migrations, read once per process (readiness checks ask often)."""
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


class SeveralHeads(RuntimeError):
    """The shipped migrations have more than one head: a new revision forgot to chain after the last one."""


def script_head() -> str:
    """The one head revision of the migrations shipped with this code (a packaging bug raises)."""
    heads = _script().get_heads()
    if len(heads) != 1:
        raise SeveralHeads(f"The migrations have {len(heads)} heads ({', '.join(sorted(heads))}); expected one")
    return str(heads[0])


def schema_state(engine: Engine) -> SchemaState:
    """Compare the database's revisions with the shipped head (raises the driver's error if unreachable)."""
    script = _script()
    current = frozenset((current_revision(engine) or "").split(",")) - {""}
    unknown = frozenset(rev for rev in current if not _known(script, rev))
    return SchemaState(current, script_head(), unknown)


def is_known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of the migrations this code ships."""
    return _known(_script(), revision)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False
