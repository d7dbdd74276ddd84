"""Every ``jangkau`` command that docs/operations.md tells an operator to run exists (its ``--help`` works)."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from jangkau.cli import app

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
