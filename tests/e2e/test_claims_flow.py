"""Claims from the command line (subprocess) and in Chromium: a field agent files a death claim with the family,
the branch officer works it from the queue."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import create_engine, select
from tests.e2e.conftest import login, run_cli
from tests.e2e.test_registry_page import shot

from jangkau.registry.models import Membership, Person


def _nik(env: dict[str, str], with_membership: bool, village_prefix: str = "12.71.01.") -> str:
    """A demo person in the agent's district, with or without a membership."""
    engine = create_engine(f"sqlite:///{env['JANGKAU_VAR_DIR']}/jangkau.db")
    has = select(Membership.id).where(Membership.person_id == Person.id, Membership.programs.like("%jkm%")).exists()
    anything = select(Membership.id).where(Membership.person_id == Person.id).exists()
    condition = has if with_membership else ~anything
    with engine.connect() as conn:
        nik = conn.scalar(
            select(Person.nik).where(Person.village_code.like(village_prefix + "%"), condition).order_by(Person.id)
        )
    engine.dispose()
    assert nik
    return str(nik)


def test_claims_cli_quotes_files_and_refuses(city_env: dict[str, str]) -> None:
    nik = _nik(city_env, with_membership=True, village_prefix="12.71.03.")
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    quote = json.loads(
        run_cli("claims", "quote", "--type", "jkm", "--nik", nik, "--event-date", day, "--json", env=city_env).stdout
    )
    assert quote["amount"] == 42_000_000
    assert [i["code"] for i in quote["benefit"]["items"]] == ["lump_sum", "periodic", "funeral"]
    assert "cover" in [r["code"] for r in quote["reasons"]]
    assert "jkm_benefits" in [r["id"] for r in quote["rules"]]

    future = run_cli("claims", "quote", "--type", "jkm", "--nik", nik, "--event-date", "2999-01-01", env=city_env,
                     check=False)  # fmt: skip
    assert future.returncode == 2
    assert "event_date" in future.stderr
    nobody = _nik(city_env, with_membership=False, village_prefix="12.71.03.")
    none = run_cli("claims", "quote", "--type", "jkm", "--nik", nobody, "--event-date", day, env=city_env, check=False)
    assert none.returncode == 2
    assert "no membership" in none.stderr

    args = ("claims", "file", "--type", "jkm", "--nik", nik, "--event-date", day, "--heir", "Siti Rahma:spouse",
            "--heir", "Andi:child", "--json")  # fmt: skip
    filed = json.loads(run_cli(*args, env=city_env).stdout)
    assert filed["status"] == "submitted"
    assert [h["amount"] for h in filed["heirs"]] == [21_000_000, 21_000_000]
    again = run_cli(*args, env=city_env, check=False)
    assert again.returncode == 2
    assert filed["reference"] in again.stderr
    shown = json.loads(run_cli("claims", "show", filed["reference"], "--json", env=city_env).stdout)
    assert [e["action"] for e in shown["history"]] == ["file"]


def test_agent_files_a_death_claim_and_the_officer_works_it(
    browser: Any, live_server: str, city_env: dict[str, str]
) -> None:
    nik = _nik(city_env, with_membership=True)
    page = login(browser, live_server, "bhabin.medankota")
    page.goto(live_server + "/claims/new")
    page.fill("#nik", nik)
    page.select_option("#kind", "jkm.death")
    page.fill("#event_date", (dt.date.today() - dt.timedelta(days=2)).isoformat())
    page.select_option("#reporter_kind", "heir")
    page.fill("#reporter_name", "Siti Rahma")
    page.fill("#heir_name_0", "Siti Rahma")
    page.select_option("#heir_rel_0", "spouse")
    page.fill("#heir_name_1", "Bayu")
    page.select_option("#heir_rel_1", "sibling")
    page.click("#quote-button")
    assert page.locator("#form-error").is_visible()  # a sibling cannot receive beside a widow
    assert "urutan" in page.locator("#form-error").inner_text()
    page.fill("#heir_name_1", "Putri")
    page.select_option("#heir_rel_1", "child")
    page.click("#quote-button")
    assert "42.000.000" in page.locator("#quote-amount").inner_text()
    shot(page, "claims-form")
    page.click("#file-button")
    page.wait_for_url("**/claims/KLM-*")
    reference = page.locator("#claim-reference").inner_text()
    assert page.locator("#claim-status").inner_text() == "diajukan"
    page.close()

    officer = login(browser, live_server, "cabang.medan", viewport={"width": 1280, "height": 900})
    officer.goto(live_server + "/claims")
    assert reference in officer.locator("#queue").inner_text()
    shot(officer, "claims-queue")
    officer.click(f"text={reference}")
    for code in ("akta_kematian", "ktp", "kk", "kartu_peserta", "ktp_ahli_waris", "surat_ahli_waris", "buku_tabungan"):
        officer.click(f"#doc-{code}")
        officer.wait_for_load_state()
    assert officer.locator("#claim-status").inner_text() == "dokumen lengkap"
    assert officer.locator("#sla-due").inner_text() > dt.date.today().isoformat()
    # the demo city has no contributions paid yet: the reasons say the death is not covered, and the officer's
    # verification is refused with them; the claim is rejected with a reason for the family
    assert "tidak terlindungi" in officer.locator("#reasons").inner_text()
    officer.click("#verify")
    officer.wait_for_load_state()
    assert "tidak dapat dibayar" in officer.locator("#form-error").inner_text()
    officer.fill("#reject-reason", "Iuran belum dibayar pada tanggal kematian")
    officer.click("#reject")
    officer.wait_for_load_state()
    assert officer.locator("#claim-status").inner_text() == "ditolak"
    assert "Iuran belum dibayar" in officer.locator("#rejection").inner_text()
    shot(officer, "claim-page")
    officer.close()
