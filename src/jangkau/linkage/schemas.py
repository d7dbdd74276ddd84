"""linkage's JSON in and out (``/api/v1/linkage``): lists, runs, the review queue, verdicts, outcome, prospects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class VerdictIn(BaseModel):
    verdict: str = Field(pattern="^(accept|reject)$")


class TaskAcceptedRead(BaseModel):
    """A task queued for a worker: its id and where to follow it (HTTP 202)."""

    task_id: int
    task: str = Field(description="the task's address, GET it to follow the run")
    upload_id: int | None = None
    list: str | None = Field(None, description="the list's address (a queued run)")


class ListSummaryRead(BaseModel):
    """What a person sees first about an imported list."""

    list_id: int
    source: str
    version: int
    file_name: str
    uploaded_by: str
    uploaded_at: dt.datetime | None
    status: str = Field(description="imported or linked")
    area: str = Field(description="the region code the list covers; empty for the whole country")
    rows_read: int
    rows_kept: int
    rows_rejected: int
    warnings: int
    linked_at: dt.datetime | None
    linked_by: str | None


class ListsRead(BaseModel):
    items: list[ListSummaryRead]


class RunStateRead(BaseModel):
    """The state of a linkage run."""

    run_id: int
    state: str = Field(description="running, done or failed")
    phase: str
    started_by: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str | None


class DecisionCountsRead(BaseModel):
    """Rows per decision of a run: match, review, no_match, rejected."""

    match: int = 0
    review: int = 0
    no_match: int = 0
    rejected: int = 0


class RunSummaryRead(BaseModel):
    """What a run found: counts per decision, duplicate clusters, register size, timings and options.

    A failed run has only ``list_id`` and ``run``.
    """

    model_config = ConfigDict(extra="allow")

    list_id: int
    source: str | None = None
    version: int | None = None
    list_rows_read: int | None = None
    list_rows_kept: int | None = None
    rejected_rows: int | None = None
    warnings: int | None = None
    decisions: DecisionCountsRead | None = None
    register_rows: int | None = None
    register_index: Any = None
    register_rows_after_prefilter: int | None = None
    candidate_pairs: int | None = None
    timings_s: dict[str, float] | None = None
    options: dict[str, Any] | None = None
    duplicate_clusters: int | None = None
    rows_in_duplicate_clusters: int | None = None
    run: RunStateRead | None = None


class ListRejectedRowRead(BaseModel):
    line: int
    row_id: str
    reason: str | None
    raw: dict[str, Any] = Field(description="the row's values as read, identifiers masked")


class WarningRead(BaseModel):
    line: int
    row_id: str
    field: str | None
    reason: str | None


class ListDetailRead(ListSummaryRead):
    """A list's summary, its last run's summary and state, decision counts, rejected rows and warnings."""

    run: RunSummaryRead | None = Field(description="the summary of the last successful run")
    decisions: dict[str, int]
    last_run: RunStateRead | None
    rejected: list[ListRejectedRowRead]
    warnings_shown: list[WarningRead]


class PairRowRead(BaseModel):
    row_id: str
    line: int
    nik: str | None = Field(description="masked")
    name: str | None
    birth_date: dt.date | None
    sex: str | None
    village_code: str | None


class PairPersonRead(BaseModel):
    person_id: int
    nik: str = Field(description="masked")
    name: str
    birth_date: dt.date | None
    sex: str | None
    village_code: str | None


class NameEvidenceRead(BaseModel):
    result: str = Field(description="equal, similar, different or missing")
    similarity: float | None
    row: str | None
    person: str | None


class LinkEvidenceRead(BaseModel):
    """How each field of the pair compares."""

    nik: str
    name: NameEvidenceRead
    birth_date: str
    sex: str
    village: str


class PairRead(BaseModel):
    """A doubtful pair: the list row and the candidate person side by side with the evidence."""

    decision_id: int
    match_probability: float
    row: PairRowRead
    person: PairPersonRead
    evidence: LinkEvidenceRead


class ReviewQueueRead(BaseModel):
    """One page of a list's pairs waiting for a verdict, most likely first (NIKs masked)."""

    list_id: int
    source: str
    version: int
    total: int
    page: int
    size: int
    items: list[PairRead]


class VerdictRead(BaseModel):
    decision_id: int
    decision: str = Field(description="match or no_match")
    verdict: str = Field(description="accepted or rejected")
    row_id: str
    person_id: int


class OutcomeRowRead(BaseModel):
    row_pk: int
    row_id: str
    line: int
    nik: str | None = Field(description="masked unless the caller may read full records")
    name: str | None
    birth_date: dt.date | None
    sex: str | None
    village_code: str | None
    outcome: str
    person_id: int | None
    person_name: str | None


class OutcomeCountsRead(BaseModel):
    covered: int
    pending: int
    lapsed: int
    not_registered: int
    in_review: int


class OutcomeRowsRead(BaseModel):
    covered: list[OutcomeRowRead]
    pending: list[OutcomeRowRead]
    lapsed: list[OutcomeRowRead]
    not_registered: list[OutcomeRowRead]
    in_review: list[OutcomeRowRead]


class OutcomeRead(BaseModel):
    """Who on a linked list is covered, pending, lapsed, not registered or still in review."""

    list_id: int
    linked: bool
    counts: OutcomeCountsRead
    rows: OutcomeRowsRead
    basis: str = Field(description="where the coverage status comes from")


class ProspectsRead(BaseModel):
    """What handing the not-registered rows to outreach did."""

    candidates: int
    added: int
    reopened: int
    duplicates: int
    rejected: list[dict[str, Any]] = Field(description="rows not added, with the reason")
    prospect_ids: list[int]
