"""Keeping the rule tables current from the CLI: a file proposed by one rules admin, activated by another, then
used by the contribution quote; a JP pension for 2026 is an UNCONFIRMED amount, not an error."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from tests.e2e.conftest import run_cli

QUOTE = ("rules", "contribution", "--segment", "pu", "--wage", "4000000", "--risk-group", "1", "--month", "2026-06")


@pytest.fixture(scope="module")
def rules_env(city_env: dict[str, str]) -> dict[str, str]:
    """The shared demo city (its demo users include two rules admins, aturan.cabang and aturan.disnaker)."""
    return city_env


def test_umk_2026_imported_and_activated_gives_the_pds_upah_finding_with_the_decree(rules_env: dict[str, str]) -> None:
    data = resources.files("jangkau.ruleadmin") / "data" / "min-wage-sumut-2026.csv"
    path = Path(str(data))
    dates = ("--signed-on", "2025-12-24", "--valid-from", "2026-01-01")
    instrument = ("--instrument", "Kepgub Sumut 188.44/908/KPTS/2025")
    proposed = json.loads(
        run_cli(
            "rules", "import", "umk", str(path), *instrument, *dates, "--as", "aturan.cabang", "--json", env=rules_env
        ).stdout
    )
    assert proposed["state"] == "proposed"
    assert "22 regencies/cities" in proposed["preview"]["summary"]
    own = run_cli(
        "rules", "activate", str(proposed["id"]), "--as", "aturan.cabang", "--json", env=rules_env, check=False
    )
    assert own.returncode == 2
    assert json.loads(own.stdout)["error"]["code"] == "rule_version_same_user"
    run_cli("rules", "activate", str(proposed["id"]), "--as", "aturan.disnaker", "--json", env=rules_env)

    quote = json.loads(run_cli(*QUOTE, "--region", "12.71", "--json", env=rules_env).stdout)
    [finding] = quote["findings"]
    assert finding["code"] == "suspected_pds_upah"
    assert finding["floor"] == 4_335_198
    assert finding["decree"] == "Kepgub Sumut 188.44/908/KPTS/2025"
    assert "188.44/908/KPTS/2025" in finding["message"]
    assert not any("MISSING TABLE" in w and "min_wage" in w for w in quote["warnings"])


def test_jp_benefit_for_a_2026_event_is_unconfirmed_not_an_error(rules_env: dict[str, str]) -> None:
    args = ("rules", "benefit", "jp", "--masa-iur", "180", "--average-wage", "1000000", "--on", "2026-06-01")
    result = json.loads(run_cli(*args, "--json", env=rules_env).stdout)
    assert result["total"] == 399_700
    bounds = [r for r in result["rules"] if r["id"] == "jp_benefit_bounds"]
    assert bounds[0]["status"] == "unconfirmed"
    assert any("MISSING TABLE" in w and "jp_benefit_bounds" in w for w in result["warnings"])
