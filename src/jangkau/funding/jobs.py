"""Batch jobs of the funding domain: the monthly billing run and the daily lapse job.

The billing run commits one chunk of payers at a time together with its checkpoint (``job_checkpoint``), so a
crashed run resumes after the last committed chunk; the ledger's unique key (payer, month, kind) and the
"no line yet for this membership and month" guards make a rerun add nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jangkau.db import outbox
from jangkau.db.base import utcnow
from jangkau.db.checkpoint import get_checkpoint, save_checkpoint
from jangkau.funding import repository as repo
from jangkau.funding.repository import billing as sql
from jangkau.funding.rules.tariffs import bpu_monthly_amount, bpu_tariffs, pu_rates
from jangkau.kit.months import Month
from jangkau.rules import MembershipStatus, Segment, coverage_status, due_date

BILLING_JOB = "funding.billing"
DEFAULT_CHUNK = 20_000
KINDS = ("pu", "bpu", "sponsor")

Units = Callable[[], AbstractContextManager[Session]]
Progress = Callable[[int, int], None]


@dataclass
class BillingResult:
    """What a billing run produced (this run only) and what the month holds in total."""

    month: Month
    chunks: int
    resumed_from: int
    bills_created: int = 0
    lines_created: int = 0
    refused: list[str] = field(default_factory=list)
    totals: dict[str, dict[str, int]] = field(default_factory=dict)
    bpu_pairs: list[tuple[int, str]] | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month),
            "chunks": self.chunks,
            "resumed_from": self.resumed_from,
            "bills_created": self.bills_created,
            "lines_created": self.lines_created,
            "refused": self.refused,
            "totals": self.totals,
        }


def _plan(session: Session, chunk_size: int) -> list[sql.Chunk]:
    chunks: list[sql.Chunk] = []
    for kind in KINDS:
        span = sql.payer_id_range(session, kind)
        if span is None:
            continue
        for low in range(span[0], span[1] + 1, chunk_size):
            chunks.append(sql.Chunk(kind, low, min(low + chunk_size - 1, span[1])))
    return chunks


def _bill_chunk(session: Session, month: Month, chunk: sql.Chunk, result: BillingResult) -> None:
    batch = f"{month}:{chunk.kind}:{chunk.low}:{uuid.uuid4().hex[:12]}"
    lines: sql.AnyLines
    if chunk.kind == "pu":
        rates, cap = pu_rates(month)
        lines = sql.pu_lines(month, rates, cap, chunk)
        due = due_date(Segment.PU, month).due_on
    elif chunk.kind == "bpu":
        if result.bpu_pairs is None:  # once per run: a full scan of the BPU memberships
            result.bpu_pairs = sql.bpu_income_programs(session, month)
        tariffs, refused = bpu_tariffs(result.bpu_pairs, month)
        result.refused.extend(r for r in refused if r not in result.refused)
        if not tariffs:
            return
        lines = sql.bpu_lines(month, tariffs, chunk)
        due = due_date(Segment.BPU, month).due_on
    else:
        packages = {
            p.id: bpu_monthly_amount(p.declared_income, p.programs, month) for p in repo.programmes_in(session, month)
        }
        if not packages:
            return
        lines = sql.sponsor_lines(month, packages, chunk)
        due = due_date(Segment.BPU, month).due_on
    bills, count = sql.insert_bills(session, lines, month, chunk.kind, due, batch)
    result.bills_created += bills
    result.lines_created += count


def prepare_payers(session: Session) -> int:
    """The set-based pre-step of the billing run (``jangkau billing payers``): every employer's payer and every BPU
    worker's own payer that is missing, in two statements. The run does it too, so skipping it changes nothing
    but where the time is spent (figures in ``bench/funding/README.md``)."""
    return sql.ensure_payers(session)


def run_billing(
    units: Units, month: Month, *, chunk_size: int = DEFAULT_CHUNK, on_progress: Progress | None = None
) -> BillingResult:
    """Make the bills of ``month``: employers (PU), BPU payers (with prepayment) and sponsors (one bill each).

    Args:
        units: opens one transaction (``jangkau.db.session.unit``); each chunk of payers is one transaction.
        month: the billing month (PU bills are for this contribution month, due the 15th of the next month;
            BPU and sponsor bills are due the 15th of this month).
        chunk_size: payers per chunk (per committed step).
        on_progress: called with (chunks done, chunks in all) after each chunk.

    Returns:
        Counts of what this run created and the month's totals per bill kind.

    Raises:
        InvalidInput: a month outside the rules on file.
    """
    key = str(month)
    with units() as session:
        sql.ensure_payers(session)
        plan = _plan(session, chunk_size)
        checkpoint = get_checkpoint(session, BILLING_JOB, key)
        start = 0
        if checkpoint is not None and checkpoint.state == "running" and checkpoint.note:
            # Resume with the plan the crashed run made: new payers since then must not shift the chunks.
            plan = [sql.Chunk(k, int(lo), int(hi)) for k, lo, hi in json.loads(checkpoint.note)]
            start = checkpoint.units_done
        save_checkpoint(session, BILLING_JOB, key, start, len(plan))
        saved = get_checkpoint(session, BILLING_JOB, key)
        assert saved is not None
        saved.note = json.dumps([[c.kind, c.low, c.high] for c in plan])
    result = BillingResult(month, len(plan), start)
    for index in range(start, len(plan)):
        with units() as session:
            _bill_chunk(session, month, plan[index], result)
            done = index + 1
            save_checkpoint(session, BILLING_JOB, key, done, len(plan), "running" if done < len(plan) else "done")
        if on_progress:
            on_progress(done, len(plan))
    with units() as session:
        if not plan:
            save_checkpoint(session, BILLING_JOB, key, 0, 0, "done")
        if result.lines_created:
            sql.analyze_ledger(session)
        result.totals = repo.month_totals(session, month)
    return result


@dataclass
class LapseResult:
    """Memberships whose status the daily lapse job changed, by new status."""

    as_of: dt.date
    changed: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "changed": self.changed}


LAPSE_STATUS = {
    MembershipStatus.AKTIF: "active",
    MembershipStatus.MENUNGGAK: "lapsed",
    MembershipStatus.BERAKHIR: "ended",
    MembershipStatus.NONAKTIF: "nonaktif",
}


def run_lapse(session: Session, as_of: dt.date) -> LapseResult:
    """Daily job: BPU memberships in arrears become ``lapsed``, after more than 3 unpaid months ``ended``.

    The rules engine's ``coverage_status`` decides, once per distinct last paid month (a few dozen values), and one
    UPDATE applies the answer to every membership with that last paid month: no loop per member.

    Returns:
        How many memberships changed to each status.
    """
    result = LapseResult(as_of)
    started = utcnow()
    for last_paid in repo.last_paid_months(session):
        month = Month.of(last_paid)
        status = coverage_status(Segment.BPU, month, [month], as_of)
        new = LAPSE_STATUS.get(status.status)
        if new is None:
            continue
        ended = status.ended_on if new == "ended" else None
        changed = repo.set_bpu_status(session, last_paid, new, ended)
        if changed:
            result.changed[new] = result.changed.get(new, 0) + changed
    if result.changed:
        _mark_changed_since(session, started, as_of)  # the memberships this job just updated
    return result


MARK_MONTHS = 13  # the months the coverage summaries hold (the nightly rebuild's window)


def _mark_changed_since(session: Session, since: dt.datetime, today: dt.date) -> int:
    """Tell reporting (the outbox) which villages and months the memberships changed since ``since`` touch: every
    month from the membership's start (at most :data:`MARK_MONTHS` back) to the current month."""
    current = Month.of(today)
    floor = current.plus(1 - MARK_MONTHS)
    pairs: set[tuple[str, dt.date]] = set()
    for village, start in repo.villages_and_starts_changed_since(session, since):
        month = max(Month.of(start), floor)
        while month <= current:
            pairs.add((village, month.first_day()))
            month = month.next()
    return outbox.mark_changed_many(session, pairs)
