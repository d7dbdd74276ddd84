"""The compliance scan started from /compliance (issue 22 point 2): a button for compliance.write that queues the
month's scan, a page that follows it to its result, refusals shown next to the month, and a double submit that
starts one run."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.webclient import client_as

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.compliance.models import Finding
from jangkau.tasks.models import TaskRecord

from .conftest import Firm

Units = Callable[[], AbstractContextManager[Session]]


def signed_in(session: Session, role: Role, name: str) -> TestClient:
    user = create_user(session, NewUser(name, name, role, "rahasia-panjang-1", ("12.71",)), OPERATOR)
    return client_as(session, Principal(user.id, name, role, ("12.71",)))


def tokens(client: TestClient) -> dict[str, str]:
    page = client.get("/compliance")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    form = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert csrf
    assert form
    return {"csrf_token": csrf.group(1), "form_token": form.group(1)}


def test_scan_started_from_the_risk_page_runs_once_and_shows_its_result(
    session: Session, firm: Firm, units: Units
) -> None:
    officer = signed_in(session, Role.BRANCH_OFFICER, "pengawas.uji")
    form = tokens(officer)
    with factories.tasks_at_once(units):
        first = officer.post("/compliance/scan", data={**form, "month": "2025-03"})
        assert first.status_code == 303, first.text
        again = officer.post("/compliance/scan", data={**form, "month": "2025-03"})
        assert again.headers["location"] == first.headers["location"]
    assert session.scalar(select(func.count()).select_from(TaskRecord).where(TaskRecord.name == "compliance.scan")) == 1
    found = session.scalar(select(func.count()).select_from(Finding).where(Finding.employer_id == firm.employer.id))
    assert found == 2
    page = officer.get(first.headers["location"])
    assert page.status_code == 200
    assert 'data-status="done"' in page.text
    created = re.search(r'id="scan-created">(\d+)<', page.text)
    assert created
    assert int(created.group(1)) >= 2
    assert 'id="last-scan"' in officer.get("/compliance").text


def test_scan_refusals_are_shown_by_the_month_and_readers_have_no_button(session: Session, firm: Firm) -> None:
    officer = signed_in(session, Role.BRANCH_OFFICER, "pengawas.uji")
    bad = officer.post("/compliance/scan", data={**tokens(officer), "month": "maret"})
    assert bad.status_code == 422
    assert 'value="maret"' in bad.text
    assert 'class="field-error"' in bad.text
    future = officer.post("/compliance/scan", data={**tokens(officer), "month": "2999-01"})
    assert future.status_code == 422
    assert session.scalar(select(func.count()).select_from(TaskRecord)) == 0
    reader = signed_in(session, Role.REGION_OFFICER, "pemkot.uji")
    assert 'id="scan-form"' not in reader.get("/compliance").text
    refused = reader.post("/compliance/scan", data={**tokens(officer), "month": "2025-03"})
    assert refused.status_code == 403
    assert firm.employer.id
