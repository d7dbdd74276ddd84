"""What a linked list tells: who is covered and active, pending, lapsed, not registered, still in review; the
not-registered become prospects for outreach in their village.

Coverage comes from the membership status that the lapse job maintains by the rules engine's
``coverage_status`` (funding); the outcome names that basis.
"""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.kit.masking import mask_nik
from jangkau.kit.spreadsheet import csv_writer, openpyxl_row
from jangkau.linkage import repository as repo
from jangkau.linkage.imports import visible_list
from jangkau.outreach.fieldwork.service import add_prospects

BUCKETS = ("covered", "pending", "lapsed", "not_registered", "in_review")
_BY_RANK = {4: "covered", 3: "pending", 2: "lapsed", 1: "lapsed"}
BASIS = "membership.status as kept by the lapse job (rules engine coverage_status, via funding)"
EXPORT_COLUMNS = ["line", "row_id", "nik", "name", "birth_date", "sex", "village_code", "outcome", "person_id",
                  "person_name"]  # fmt: skip


def _bucket(decision: str, rank: int | None) -> str:
    if decision == "review":
        return "in_review"
    if decision == "match" and rank:
        return _BY_RANK.get(rank, "lapsed")
    return "not_registered"  # no match, or a registered person without any membership


def list_outcome(session: Session, principal: Principal, list_id: int) -> dict[str, Any]:
    """The outcome of a linked list, in the caller's scope.

    Returns:
        ``counts`` per bucket (covered, pending, lapsed, not_registered, in_review), ``rows`` per bucket
        (NIK masked unless the caller may read full records) and the ``basis`` of the coverage status.

    Raises:
        NotFound: no such list in the caller's area.
    """
    listing, _source = visible_list(session, principal, list_id)
    full = principal.can(Permission.REGISTRY_READ_FULL)
    rows: dict[str, list[dict[str, Any]]] = {b: [] for b in BUCKETS}
    for r in repo.outcome_rows(session, list_id, listing.scope_code, principal.scope):
        bucket = _bucket(r[8], r[12])
        rows[bucket].append({
            "row_pk": r[0], "row_id": r[1], "line": r[2], "nik": r[3] if full else mask_nik(r[3]) if r[3] else None,
            "name": r[4], "birth_date": r[5], "sex": r[6], "village_code": r[7] or r[11], "outcome": bucket,
            "person_id": r[9], "person_name": r[10],
        })  # fmt: skip
    return {"list_id": list_id, "linked": listing.status == "linked", "counts": {b: len(v) for b, v in rows.items()},
            "rows": rows, "basis": BASIS}  # fmt: skip


def make_prospects(session: Session, principal: Principal, list_id: int) -> dict[str, Any]:
    """Hand the list's not-registered rows in the caller's scope to outreach as prospects in their village.

    A registered person without a membership becomes a prospect by ``person_id``; an unknown one by name, NIK
    and village.  Rows without a village are reported back, not dropped.

    Returns:
        What :func:`jangkau.outreach.fieldwork.service.add_prospects` did (added, duplicates, rejected with reasons).

    Raises:
        NotFound: no such list in the caller's area.
    """
    principal.require(Permission.LINKAGE_IMPORT)
    listing, _source = visible_list(session, principal, list_id)
    candidates = []
    for r in repo.outcome_rows(session, list_id, listing.scope_code, principal.scope):
        if _bucket(r[8], r[12]) != "not_registered":
            continue
        if r[9] is not None:
            candidates.append({"person_id": r[9], "source_ref": f"linkage:{list_id}:{r[1]}"[:80]})
        else:
            candidates.append({"full_name": r[4], "nik": r[3], "village_code": r[7],
                               "source_ref": f"linkage:{list_id}:{r[1]}"[:80]})  # fmt: skip
    result = add_prospects(session, candidates, source=f"linkage:{list_id}", by=principal).as_dict()
    result["candidates"] = len(candidates)
    audit.record(session, principal, "prospects", "linkage_list", list_id, region_code=listing.scope_code or None,
                 after={k: result[k] for k in ("candidates", "added", "reopened", "duplicates")})  # fmt: skip
    return result


def outcome_table(outcome: dict[str, Any], bucket: str | None = None) -> list[list[Any]]:
    """Rows for export: every bucket (or one), in list order."""
    picked = [bucket] if bucket in BUCKETS else list(BUCKETS)
    rows = [r for b in picked for r in outcome["rows"][b]]
    rows.sort(key=lambda r: r["line"])
    return [[r[c] for c in EXPORT_COLUMNS] for r in rows]


def outcome_csv(outcome: dict[str, Any], bucket: str | None = None) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(["" if v is None else v for v in row] for row in outcome_table(outcome, bucket))
    return out.getvalue()


def outcome_xlsx(outcome: dict[str, Any], bucket: str | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "outcome"
    sheet.append(EXPORT_COLUMNS)
    for row in outcome_table(outcome, bucket):
        openpyxl_row(sheet, row)
    counts = book.create_sheet("counts")
    for name, count in outcome["counts"].items():
        counts.append([name, count])
    counts.append(["basis", outcome["basis"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
