"""Every ``jangkau`` command that docs/operations.md tells an operator to run exists (its ``--help`` works) and is
run for real by a named test; the restore rehearsal of section 6 is run here, on SQLite."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.e2e.conftest import run_cli
from typer.testing import CliRunner

from jangkau.cli import app
from jangkau.db.migrate import script_head

TESTS = Path(__file__).resolve().parents[1]
# command in the guide -> (the test that runs it, the text that test must hold: the command as it calls it)
RUN_BY = {
    ("audit", "seal"): ("e2e/test_audit_cli.py", '"audit", "seal"'),
    ("audit", "verify"): ("e2e/test_operations_doc.py", '"audit", "verify"'),
    ("backup",): ("e2e/test_operations_doc.py", '"backup", str('),
    ("restore",): ("e2e/test_operations_doc.py", '"restore", str('),
    ("db", "checksums"): ("e2e/test_operations_doc.py", '"db", "checksums"'),
    ("db", "current"): ("e2e/test_operations_doc.py", '"db", "current"'),
    ("db", "upgrade"): ("e2e/conftest.py", '"db", "upgrade"'),
    ("db", "grant-app-role"): ("integration/auth/test_audit_seal.py", "grant_app_role(owner, role)"),  # PostgreSQL
    ("notify", "templates"): ("e2e/test_notify_cli.py", '"notify", "templates", "--lang"'),
    ("notify", "test"): ("e2e/test_notify_cli.py", '"notify", "test", "--channel", "email"'),
    ("link", "run"): ("e2e/test_link_spark.py", '"--engine", "spark", "--spark-master"'),
    ("report", "refresh"): ("e2e/test_reporting_dashboards.py", '"report", "refresh"'),
    ("serve",): ("e2e/test_ops_server.py", '"serve", "--port", str(port), "--workers"'),
    ("tasks", "schedule"): ("e2e/test_operations_doc.py", '"tasks", "schedule"'),
    ("worker",): ("e2e/test_worker_heartbeat.py", '"worker", "--workers"'),
}

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
# "jangkau" at the start of a line, after a space, a backtick or "bin/": the command, then up to two words
COMMAND = re.compile(r"(?:^|(?<=[\s`(])|(?<=bin/))jangkau ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)", re.MULTILINE)


def _commands() -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for match in COMMAND.finditer(GUIDE.read_text(encoding="utf-8")):
        words = tuple(match.group(1).split())
        found.add(words)
    return found


def test_every_command_in_the_operations_guide_exists() -> None:
    commands = _commands()
    assert {("serve",), ("backup",), ("restore",), ("audit", "seal"), ("db", "grant-app-role")} <= {
        c[:2] if c[0] in ("audit", "db", "report") else c[:1] for c in commands
    }
    runner = CliRunner()
    for words in sorted(commands):
        # "jangkau serve --workers" matches as ("serve",); "jangkau audit seal" as ("audit", "seal"); a second word
        # that is not a sub-command of a single command is prose, tried only as the first word
        result = runner.invoke(app, [*words, "--help"])
        if result.exit_code != 0 and len(words) == 2:
            result = runner.invoke(app, [words[0], "--help"])
            assert words[0] not in ("db", "audit", "report", "users"), f"jangkau {' '.join(words)}: no such command"
        assert result.exit_code == 0, f"jangkau {' '.join(words)}: {result.output}"


def test_every_command_in_the_operations_guide_is_run_by_a_test() -> None:
    missing = sorted(c for c in _commands() if c not in RUN_BY)
    assert not missing, f"add a test that runs these, and name it in RUN_BY: {missing}"
    for command, (test_file, text) in RUN_BY.items():
        assert text in (TESTS / test_file).read_text(encoding="utf-8"), f"{test_file} no longer runs {command}"


def test_the_restore_rehearsal_of_the_guide_on_sqlite(city_env: dict[str, str], tmp_path: Path) -> None:
    production, rehearsal = tmp_path / "production", tmp_path / "rehearsal"
    production.mkdir()
    shutil.copy(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db", production / "jangkau.db")  # the demo city
    env = {**city_env, "JANGKAU_VAR_DIR": str(production)}
    run_cli("audit", "seal", env=env)
    dump = tmp_path / "jangkau.dump"
    run_cli("backup", str(dump), env=env)
    before = json.loads(run_cli("db", "checksums", "--json", env=env).stdout)

    target = {**env, "JANGKAU_VAR_DIR": str(rehearsal)}
    rehearsal.mkdir()
    run_cli("restore", str(dump), env=target)
    after = json.loads(run_cli("db", "checksums", "--json", env=target).stdout)
    assert after == before
    assert any(t.get("rows") for t in (after.values() if isinstance(after, dict) else after))
    assert script_head() in run_cli("db", "current", env=target).stdout.replace("\n", "")  # one head since 0021
    assert run_cli("audit", "verify", env=target).returncode == 0
    schedule = json.loads(run_cli("tasks", "schedule", "--json", env=target).stdout)
    assert "billing.run" in {line["task"] for line in schedule}
