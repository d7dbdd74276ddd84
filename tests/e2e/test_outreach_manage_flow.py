"""The branch office's outreach pages in Chromium on a phone: the officer registers an agent, creates a campaign with
100 paid registrations per village of a district and adds a prospect; the agent signs in and sees the prospect in
today's work and the campaign in their target."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import login
from tests.e2e.test_registry_page import shot

AGENT = "perisai.denai"
AGENT_PASSWORD = "sandi-awal-denai-2026"
DISTRICT = "12.71.04"  # Medan Denai: no other browser test works there
VILLAGE = "12.71.04.1001"


def test_officer_registers_agent_campaign_and_prospect_agent_sees_them(browser: Any, live_server: str) -> None:
    officer = login(browser, live_server, "cabang.medan")
    officer.goto(live_server + "/outreach")
    officer.click("nav.subnav >> text=Petugas lapangan")
    officer.wait_for_url("**/outreach/agents")

    officer.fill("#username", AGENT)
    officer.fill("#full_name", "Agen Perisai Denai")
    officer.select_option("#agent_kind", "community_agent")
    officer.fill("#password", AGENT_PASSWORD)
    officer.select_option("#institution_kind", "wadah")
    officer.fill("#institution", "Koperasi Pekerja Denai")
    officer.click("#register")  # no village chosen: refused, with what was typed kept
    assert officer.locator("#form-error-register").is_visible()
    assert officer.input_value("#username") == AGENT
    assert officer.input_value("#institution") == "Koperasi Pekerja Denai"
    officer.fill("#password", AGENT_PASSWORD)  # a password is never sent back
    officer.click("details.villages summary:has-text('Medan Denai')")
    officer.check(f"[id='v-{VILLAGE}']")
    officer.click("#register")
    officer.wait_for_url("**/outreach/agents?saved=*")
    row = officer.locator(f"tr[data-username='{AGENT}']")
    assert "Aktif" in row.inner_text()
    assert "Agen komunitas" in row.inner_text()
    shot(officer, "outreach-agents")

    officer.goto(live_server + "/outreach/campaigns")
    officer.fill("#name", "1 desa 100 pekerja rentan Denai")
    officer.fill("#region_code", DISTRICT)
    officer.fill("#target", "100")
    assert officer.is_checked("#per_village")
    officer.click("#create-campaign")
    officer.wait_for_url(re.compile(r".*/outreach/campaigns/\d+\?created=1"))
    villages = officer.locator("#targets tbody tr").count()
    assert villages > 1
    assert officer.locator("#total-target").inner_text() == str(100 * villages)
    assert officer.locator(f"#targets tr[data-region='{VILLAGE}'] input").input_value() == "100"
    shot(officer, "outreach-campaign")

    officer.goto(live_server + "/outreach/prospects")
    officer.fill("#full_name", "Abdul Azis Denai")
    officer.select_option("#village_code", VILLAGE)
    officer.fill("#rt", "001")
    officer.click("#add-prospect")
    assert officer.locator("#added").inner_text() == "1"
    shot(officer, "outreach-prospects")
    officer.close()

    agent = login(browser, live_server, AGENT, AGENT_PASSWORD)
    assert "Abdul Azis Denai" in agent.locator("#prospects").inner_text()
    assert "1 desa 100 pekerja rentan Denai" in agent.locator("#my-target").inner_text()
    shot(agent, "outreach-agent-home")
    agent.close()
