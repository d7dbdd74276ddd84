"""Cases: the PP 86/2013 ladder in order, working-day deadlines, the fine, resolution, letters kept with a hash."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.compliance.cases import add_step, case_view, open_case
from jangkau.compliance.jobs import run_scan
from jangkau.compliance.letters import generate_letter, upload_document
from jangkau.compliance.schemas import CaseIn, FindingIn, StepIn
from jangkau.compliance.service import city_summary, employer_standing, record_finding
from jangkau.config import get_settings
from jangkau.errors import Conflict, InvalidInput, NotFound
from jangkau.kit.months import Month

from .conftest import Firm

Units = Callable[[], AbstractContextManager[Session]]
OFFICER = Principal(None, "cabang.medan", Role.BRANCH_OFFICER, ("12.71",))
OTHER_DISTRICT = Principal(None, "cabang.lain", Role.BRANCH_OFFICER, ("12.71.02",))
TODAY = dt.date(2025, 6, 30)


def _case(session: Session, firm: Firm, units: Units) -> int:
    run_scan(units, Month(2025, 3))
    return int(open_case(session, CaseIn(employer_id=firm.employer.id, on_date=dt.date(2025, 4, 1)), OFFICER)["id"])


def step(session: Session, case_id: int, kind: str, on: dt.date, **extra: object) -> dict[str, object]:
    return add_step(session, case_id, StepIn.model_validate({"kind": kind, "on_date": on, **extra}), OFFICER, TODAY)


def test_a_fine_before_any_warning_is_refused(session: Session, firm: Firm, units: Units) -> None:
    case_id = _case(session, firm, units)
    with pytest.raises(InvalidInput) as refused:
        step(session, case_id, "fine", dt.date(2025, 4, 2))
    assert refused.value.code == "step_out_of_order"
    assert "second written warning" in refused.value.message or "warning 2" in refused.value.message
    assert "PP 86/2013" in refused.value.message_id


def test_the_ladder_with_working_day_deadlines_fine_and_resolution(session: Session, firm: Firm, units: Units) -> None:
    case_id = _case(session, firm, units)
    first = step(session, case_id, "warning_1", dt.date(2025, 4, 1))
    assert first["deadline"] == "2025-04-15"  # 10 working days: 2-4, 7-11, 14-15 April
    with pytest.raises(InvalidInput) as early:
        step(session, case_id, "warning_2", dt.date(2025, 4, 10))
    assert early.value.code == "step_too_early"
    second = step(session, case_id, "warning_2", dt.date(2025, 4, 16))
    # Good Friday (18 April) and Labour Day (1 May) are not working days: 2 May, not 30 April
    assert second["deadline"] == "2025-05-02"
    step(session, case_id, "joint_visit", dt.date(2025, 4, 30), partner="Disnaker Kota Medan")
    fined = step(session, case_id, "fine", dt.date(2025, 5, 5))
    owed = int(fined["owed_per_month"])  # type: ignore[call-overload]
    # March, April, May in arrears: 0.1 % x 3, x 2, x 1 months
    expected = sum(round(owed * 0.001 * n) for n in (3, 2, 1))
    assert abs(int(fined["fine_amount"]) - expected) <= 3  # type: ignore[call-overload]
    assert fined["status"] == "fine"
    step(session, case_id, "payment", dt.date(2025, 5, 20), amount=1_500_000)
    done = step(session, case_id, "resolved", dt.date(2025, 5, 21))
    assert done["status"] == "resolved"
    assert all(f["status"] == "resolved" for f in done["findings"])  # type: ignore[union-attr]
    assert employer_standing(session, firm.employer.id).score == 0
    with pytest.raises(InvalidInput):
        step(session, case_id, "note", dt.date(2025, 5, 22), note="late")
    summary = city_summary(session, ("12.71",), dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert summary["cases_opened"] == 1
    assert summary["cases_resolved"] == 1
    assert summary["recovered"] == 1_500_000


def test_one_open_case_per_employer_and_scope(session: Session, firm: Firm, units: Units) -> None:
    case_id = _case(session, firm, units)
    with pytest.raises(Conflict) as again:
        open_case(session, CaseIn(employer_id=firm.employer.id), OFFICER)
    assert again.value.details["case_id"] == case_id
    with pytest.raises(NotFound):
        add_step(session, case_id, StepIn(kind="warning_1"), OTHER_DISTRICT, TODAY)


def test_record_finding_for_an_unregistered_hire_is_idempotent(session: Session, firm: Firm) -> None:
    data = FindingIn(
        employer_id=firm.employer.id,
        kind="pds_tk",
        month=dt.date(2025, 3, 15),
        subject="hire:job-42",
        summary="Hired on 2025-01-20 through Jangkau jobs, not registered after 30 days",
        evidence={"job_id": 42},
        wage=4_500_000,
    )
    first = record_finding(session, data, OFFICER, origin="jobs")
    again = record_finding(session, data, OFFICER, origin="jobs")
    assert again["id"] == first["id"]
    assert first["unpaid_per_month"] > 0
    assert any(r["id"] == "pu_rates" for r in first["rules"])
    standing = employer_standing(session, firm.employer.id)
    assert [f["id"] for f in standing.open_findings] == [first["id"]]


def test_letter_is_a_pdf_kept_with_its_hash(
    session: Session, firm: Firm, units: Units, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JANGKAU_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        case_id = _case(session, firm, units)
        step(session, case_id, "warning_1", dt.date(2025, 4, 1))
        document = generate_letter(session, case_id, OFFICER, today=dt.date(2025, 4, 1))
    finally:
        get_settings.cache_clear()
    content = Path(str(document["path"])).read_bytes()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == document["sha256"]
    assert document["kind"] == "letter_warning_1"


def test_uploaded_documents_are_checked_kept_once_and_scoped(
    session: Session, firm: Firm, units: Units, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JANGKAU_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    reply = b"%PDF-1.4\n% balasan PT Sinar Deli Makmur\n"
    try:
        case_id = _case(session, firm, units)
        kept = upload_document(session, case_id, OFFICER, "reply", "Balasan PT.pdf", reply, "application/pdf")
        again = upload_document(session, case_id, OFFICER, "reply", "balasan-lagi.pdf", reply, "application/pdf")
        with pytest.raises(InvalidInput) as disguised:
            upload_document(session, case_id, OFFICER, "reply", "surat.pdf", b"bukan pdf", "application/pdf")
        with pytest.raises(InvalidInput) as kind:
            upload_document(session, case_id, OFFICER, "selfie", "a.pdf", reply, "application/pdf")
        elsewhere = Principal(None, "cabang.binjai", Role.BRANCH_OFFICER, ("12.75",))
        with pytest.raises(NotFound):
            upload_document(session, case_id, elsewhere, "reply", "a.pdf", reply, "application/pdf")
    finally:
        get_settings.cache_clear()
    assert again["id"] == kept["id"], "a retried upload keeps one copy"
    assert "only PDF, PNG or JPEG" in disguised.value.message
    assert kind.value.fields[0].field == "kind"
    documents = case_view(session, case_id, ("12.71",))["documents"]
    assert [(d["kind"], d["file_name"]) for d in documents] == [("reply", "Balasan PT.pdf")]
    stored = next((tmp_path / "compliance" / f"case-{case_id}").iterdir())
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == kept["sha256"]
