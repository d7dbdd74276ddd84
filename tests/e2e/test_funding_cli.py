"""The funding commands as a subprocess on the demo city: bill, pay by statement, sponsor, lapse, remind."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import run_cli


def test_billing_payments_sponsors_and_lapse(city_env: dict[str, str], tmp_path: Path) -> None:
    first = json.loads(run_cli("billing", "run", "--month", "2026-03", "--json", env=city_env).stdout)
    assert first["bills_created"] > 0
    assert {"pu", "bpu"} <= set(first["totals"])
    again = json.loads(run_cli("billing", "run", "--month", "2026-03", "--json", env=city_env).stdout)
    assert (again["bills_created"], again["lines_created"]) == (0, 0)

    bad = run_cli("billing", "run", "--month", "2026-13", env=city_env, check=False)
    assert bad.returncode == 2
    assert "YYYY-MM" in bad.stderr

    statement = tmp_path / "mutasi.csv"
    statement.write_text("reference,amount,date\nBPU-202603-1,16800,2026-03-05\nNOPE,1,2026-03-05\n")
    result = json.loads(run_cli("payments", "import", str(statement), "--json", env=city_env).stdout)
    assert result["lines"] == 2
    assert [r["line"] for r in result["rejected"]][-1] == 3
    twice = json.loads(run_cli("payments", "import", str(statement), "--json", env=city_env).stdout)
    assert (twice["recorded"], twice["duplicates"]) == (0, 2)

    unknown = run_cli("payments", "record", "--reference", "NOPE", "--amount", "5", env=city_env, check=False)
    assert unknown.returncode == 2
    assert "Tidak ada tagihan" in unknown.stderr

    sponsor = json.loads(
        run_cli("sponsors", "create", "--kind", "apbd", "--name", "APBD Kota Medan", "--region", "12.71", "--json",
                env=city_env).stdout
    )  # fmt: skip
    programme = json.loads(
        run_cli("sponsors", "programme", "--sponsor", str(sponsor["id"]), "--name", "Rentan 2026", "--start",
                "2026-04", "--budget", "2300000000", "--json", env=city_env).stdout
    )  # fmt: skip
    assert programme["more_workers_for_full_period"] == 11_408
    plan = run_cli("sponsors", "plan", "--budget", "2300000000", "--start", "2026-01", env=city_env)
    assert "11,408" in plan.stdout

    lapse = json.loads(run_cli("coverage", "lapse", "--date", "2026-09-01", "--json", env=city_env).stdout)
    assert "villages" in lapse["lapse_list"]
    pdf = tmp_path / "s.pdf"
    run_cli("sponsors", "statement", "--sponsor", str(sponsor["id"]), "--from", "2026-04", "--to", "2026-06",
            "--pdf", str(pdf), env=city_env)  # fmt: skip
    assert pdf.read_bytes()[:4] == b"%PDF"
