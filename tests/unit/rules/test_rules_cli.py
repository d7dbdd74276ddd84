"""``jangkau rules`` through typer's CliRunner on ``jangkau.rules.cli.app``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from jangkau.errors import InvalidInput
from jangkau.rules.cli import app

runner = CliRunner()


def _json(*args: str) -> dict[str, object] | list[object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    data: dict[str, object] | list[object] = json.loads(result.stdout)
    return data


def test_list_names_every_rule_with_status_and_citation() -> None:
    rows = _json("list")
    assert isinstance(rows, list)
    ids = {row["id"] for row in rows}
    assert {"pu_rates", "jp_wage_cap", "bpu_income_bands", "jkp_benefits"} <= ids
    assert all(row["citation"] and row["status"] for row in rows)


def test_pu_contribution_json() -> None:
    # JP cap 2025 Rp10,547,400 [S-EOS2025]
    data = _json("contribution", "--segment", "pu", "--wage", "12000000", "--risk-group", "1", "--month", "2025-03")
    assert isinstance(data, dict)
    assert data["total"] == 28_800 + 36_000 + 684_000 + 316_422
    assert {r["id"] for r in data["rules"]} >= {"pu_rates", "jp_wage_cap", "payment"}


def test_pu_contribution_finding_in_text_output() -> None:
    result = runner.invoke(
        app, ["contribution", "--segment", "pu", "--wage", "3.500.000", "--month", "2025-03", "--region", "12.71"]
    )
    assert result.exit_code == 0
    assert "suspected_pds_upah" in result.output


def test_bpu_jakon_pmi_contribution() -> None:
    # [S-IDN-BPU2025], [S-GRID-JAKON-JKK], [S-PASAL-PMN4-2023]
    bpu = _json(
        "contribution",
        "--segment",
        "bpu",
        "--income",
        "1000000",
        "--programs",
        "jkk,jkm,jht",
        "--months",
        "3",
        "--month",
        "2025-03",
    )
    assert isinstance(bpu, dict)
    assert bpu["total"] == 3 * 36_800
    jakon = _json("contribution", "--segment", "jakon", "--contract-value", "1000000000", "--month", "2025-03")
    assert isinstance(jakon, dict)
    assert jakon["total"] == 1_540_000 + 210_000
    pmi = _json("contribution", "--segment", "pmi", "--contract-months", "24", "--month", "2025-03")
    assert isinstance(pmi, dict)
    assert pmi["total"] == 370_000


def test_benefits() -> None:
    jkm = _json("benefit", "jkm", "--death-date", "2024-05-01", "--contribution-months", "40", "--children", "2")
    assert isinstance(jkm, dict)
    assert jkm["total"] == 42_000_000
    jkk = _json("benefit", "jkk", "--accident-date", "2024-05-01", "--wage", "5000000", "--outcome", "death")
    assert isinstance(jkk, dict)
    assert jkk["total"] == 240_000_000
    jp = _json("benefit", "jp", "--masa-iur", "180", "--average-wage", "5000000", "--on", "2025-06-01")
    assert isinstance(jp, dict)
    assert jp["total"] == 750_000
    jkp = _json("benefit", "jkp", "--dismissal-date", "2025-03-10", "--wage", "7000000", "--paid", "2024-01..2025-02")
    assert isinstance(jkp, dict)
    assert (jkp["total"], jkp["eligible"]) == (18_000_000, True)
    jht = _json("benefit", "jht", "--wage", "5000000", "--from", "2024-01", "--to", "2024-12", "--return", "0")
    assert isinstance(jht, dict)
    assert jht["total"] == 12 * 285_000
    claim = _json(
        "benefit", "jht", "--trigger", "partial_housing", "--event-date", "2025-06-01",
        "--membership-start", "2015-01-01", "--balance", "100000000",
    )  # fmt: skip
    assert isinstance(claim, dict)
    assert claim["total"] == 30_000_000


def test_budget_and_inverse() -> None:
    # Rp2.3 billion, 12 months, minimum package -> 11,408 workers, Rp147,200 left [S-IDN-BPU2025] (DERIVED)
    inverse = _json("budget", "--budget", "2.300.000.000", "--months", "12", "--month", "2025-01")
    assert isinstance(inverse, dict)
    assert (inverse["workers"], inverse["remainder"]) == (11_408, 147_200)
    cost = _json("budget", "--workers", "100", "--months", "12", "--income", "1000000", "--month", "2025-01")
    assert isinstance(cost, dict)
    assert cost["total"] == 100 * 12 * 16_800
    text = runner.invoke(app, ["budget", "--budget", "2300000000", "--months", "12", "--month", "2025-01"])
    assert "11,408" in text.output


def test_coverage_flags_the_arrears_window() -> None:
    data = _json(
        "coverage", "--segment", "bpu", "--start", "2025-01", "--paid", "2025-01..2025-03",
        "--as-of", "2025-06-01", "--event-date", "2025-05-03",
    )  # fmt: skip
    assert isinstance(data, dict)
    assert (data["status"], data["event_cover"]) == ("menunggak", "unconfirmed")
    assert any("UNCONFIRMED" in w for w in data["warnings"])


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["contribution", "--segment", "pu", "--wage", "-5", "--month", "2025-03"], "wage"),
        (
            ["contribution", "--segment", "pu", "--wage", "5000000", "--risk-group", "9", "--month", "2025-03"],
            "risk_group",
        ),
        (["contribution", "--segment", "pu", "--wage", "5000000", "--programs", "jp", "--month", "2015-06"], "month"),
        (["contribution", "--segment", "xx", "--month", "2025-03"], "segment"),
        (["contribution", "--segment", "pu", "--wage", "5000000", "--month", "2025-13"], "month"),
        (["benefit", "jkp", "--dismissal-date", "2021-01-15", "--wage", "5000000"], "dismissal_date"),
    ],
)
def test_bad_input_raises_invalid_input(args: list[str], field: str) -> None:
    result = runner.invoke(app, args)
    assert isinstance(result.exception, InvalidInput)
    assert result.exception.fields[0].field == field
