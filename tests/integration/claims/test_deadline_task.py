"""The daily claims deadline check (a task of the job queue): open claims late or due by the next working day."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.claims.tasks import deadline_check
from jangkau.tasks.models import TaskRecord
from jangkau.tasks.record import enqueue

from .conftest import AGENT, TODAY, Family
from .test_claims import complete, file_claim, jkm


@pytest.mark.usefixtures("immediate")
def test_the_deadline_check_lists_a_claim_due_then_late_by_reference(session: Session, family: Family) -> None:
    claim = file_claim(session, jkm(family.worker.nik), AGENT, TODAY)
    complete(session, claim.reference or "")
    assert str(claim.sla_due_on) == "2026-02-11"
    for day in ("2026-02-10", "2026-02-12"):
        enqueue(deadline_check, "schedule:claims.deadline_check", day=day)
    runs = session.scalars(select(TaskRecord).where(TaskRecord.name == "claims.deadline_check")).all()
    results = {r.period: r.result for r in runs}
    assert f'"due_references": ["{claim.reference}"]' in (results["2026-02-10"] or "")
    assert f'"late_references": ["{claim.reference}"]' in (results["2026-02-12"] or "")
