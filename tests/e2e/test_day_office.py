"""The branch office's money day in the browser only (issue 22 point 2): cabang.medan starts the month's billing
run and watches it finish, imports a small statement with one bad and one unmatched line and sees both listed,
records a payment by hand, and creates a sponsor's programme; then the compliance scan from /compliance.

The heavy path runs once, on the desktop, against ``worker_server`` (a worker runs the queued runs); the phone run
opens the same pages and results and checks that each fits a 360 px screen.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.days import start_day

OFFICER = "cabang.medan"
RUN_TIMEOUT_MS = 20_000


def a_bill_reference(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A BPU bill the billing run just made, read from the worker server's own copy of the city (the test's data,
    not a step of the day: the officer would have it from the member's payment slip)."""
    copies = sorted(tmp_path_factory.getbasetemp().glob("worker-var*/jangkau.db"))
    assert copies, "worker_server keeps its database under worker-var*"
    with sqlite3.connect(f"file:{copies[-1]}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT reference FROM funding_bill WHERE kind = 'bpu' ORDER BY id DESC LIMIT 1").fetchone()
    assert row, "the billing run made bills"
    return str(row[0])


def desktop_day(day: Any, base: str, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    page = day.page
    # 1. the month's billing run, started from its page and followed until it has finished
    page.goto(base + "/funding/billing")
    day.step("billing")
    page.click("#run-billing")
    page.wait_for_url(re.compile(r"/funding/billing/\d+$"))
    page.wait_for_selector("#billing-run[data-status='done']", timeout=RUN_TIMEOUT_MS)
    assert page.locator("#bills-created").is_visible()
    day.step("billing-done")
    day.no_codes()
    reference = a_bill_reference(tmp_path_factory)
    # 2. a statement with one good line, one unreadable amount and one reference that matches no bill
    statement = tmp_path / "mutasi-bank-sumut.csv"
    statement.write_text(
        f"referensi;jumlah;tanggal\n{reference};Rp16.800;01/12/2026\n{reference};enam belas ribu;01/12/2026\n"
        "BPU-209901-999999;16.800;01/12/2026\n",
        encoding="utf-8",
    )
    page.goto(base + "/funding/statements")
    page.set_input_files("#file", str(statement))
    page.click("#import-statement")
    page.wait_for_url(re.compile(r"/funding/statements/\d+$"))
    assert page.inner_text("#count-recorded") == "1"
    rejected = page.locator("#rejected-lines tbody tr")
    assert rejected.count() == 2
    assert rejected.nth(0).inner_text().startswith("3")
    assert "BPU-209901-999999" in rejected.nth(1).inner_text()
    day.step("statement-result")
    # 3. a payment typed by hand, the Indonesian way
    page.goto(base + "/funding/payments/new")
    page.fill("#target", reference)
    page.fill("#amount", "Rp 16.800")
    page.click("#save-payment")
    page.wait_for_selector("#payment-recorded")
    assert "Rp16.800" in page.inner_text("#payment-recorded")
    day.step("payment-recorded")
    # 4. a programme of the city's sponsor, with its budget and eligibility
    page.goto(base + "/funding/programmes/new")
    page.select_option("#payer_id", index=1)
    page.fill("#name", "Pekerja rentan kecamatan 2027")
    page.fill("#budget", "Rp 50.000.000")
    page.check("#vulnerable_only")
    page.click("#save-programme")
    page.wait_for_url(re.compile(r"/funding/programmes/\d+$"))
    assert "Pekerja rentan kecamatan 2027" in page.inner_text("main")
    day.step("programme-created")
    # 5. the compliance scan of the last complete month, from /compliance
    page.goto(base + "/compliance")
    page.click("#start-scan")
    page.wait_for_url(re.compile(r"/compliance/scans/\d+$"))
    page.wait_for_selector("#scan-run[data-status='done']", timeout=RUN_TIMEOUT_MS)
    day.step("scan-done")


def phone_day(day: Any, base: str) -> None:
    """The same pages and their results on a 360 px phone (each step fails when the page is wider)."""
    page = day.page
    page.goto(base + "/funding/billing")
    day.step("billing")
    runs = page.locator("#billing-runs h2 a")
    if runs.count():
        runs.first.click()
        page.wait_for_url(re.compile(r"/funding/billing/\d+$"))
        day.step("billing-run")
    page.goto(base + "/funding/statements")
    day.step("statements")
    imports = page.locator("#recent-statements tbody a")
    if imports.count():
        imports.first.click()
        page.wait_for_url(re.compile(r"/funding/statements/\d+$"))
        day.step("statement-result")
    page.goto(base + "/funding/payments/new")
    page.click("#save-payment")  # empty: every field says what is missing
    page.wait_for_selector("#error-target")
    day.step("payment-refused")
    page.goto(base + "/funding/programmes/new")
    day.step("programme-form")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_office_money_day(
    browser: Any, worker_server: str, screen: str, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    day = start_day(browser, worker_server, "office", screen, OFFICER)
    try:
        if screen == "desktop":
            desktop_day(day, worker_server, tmp_path_factory, tmp_path)
        else:
            phone_day(day, worker_server)
    finally:
        day.page.close()
