"""The review queue: a doubtful pair side by side with the evidence per field, the officer's verdict (audited),
and the verdicts exported as labels for retraining.
"""

from __future__ import annotations

import datetime as dt
import io
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.db.base import utcnow
from jangkau.kit.masking import mask_nik, mask_phone
from jangkau.kit.pagination import PageRequest
from jangkau.kit.spreadsheet import csv_writer
from jangkau.linkage import repository as repo
from jangkau.linkage.engine.normalise import normalise_name
from jangkau.linkage.errors import BadVerdict, NoCandidate, PairNotFound
from jangkau.linkage.imports import visible_list
from jangkau.linkage.models import LinkageRow
from jangkau.registry.models import Person

VERDICTS = {"accept": "accepted", "reject": "rejected"}
LABEL_COLUMNS = ["list_id", "row_id", "row_nik", "row_name", "row_birth_date", "row_sex", "row_village_code",
                 "person_id", "person_nik", "person_name", "person_birth_date", "person_sex", "person_village_code",
                 "match_probability", "decision", "reviewed_by", "reviewed_at"]  # fmt: skip


def nik_evidence(a: str | None, b: str | None) -> str:
    """``equal``, ``one_digit_off`` (one digit changed, or two neighbours swapped), ``different`` or ``missing``."""
    if not a or not b:
        return "missing"
    if a == b:
        return "equal"
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        if len(diff) == 1 or swapped:
            return "one_digit_off"
    return "different"


def name_evidence(a: str | None, b: str | None) -> dict[str, Any]:
    """Similarity (0-1) of the normalised names, honorifics and spelling variants removed."""
    left, right = normalise_name(a).norm if a else None, normalise_name(b).norm if b else None
    if not left or not right:
        return {"result": "missing", "similarity": None, "row": left, "person": right}
    similarity = round(SequenceMatcher(None, left, right).ratio(), 2)
    result = "equal" if left == right else ("similar" if similarity >= 0.8 else "different")
    return {"result": result, "similarity": similarity, "row": left, "person": right}


def _same(a: object, b: object) -> str:
    if a is None or b is None or a == "":
        return "missing"
    return "equal" if a == b else "different"


def _born(a: dt.date | None, b: dt.date | None) -> str:
    if a and b and a != b and (a.year, a.day, a.month) == (b.year, b.month, b.day):
        return "day_month_swapped"
    return _same(a, b)


def _village(a: str | None, b: str | None) -> str:
    if a and b and a != b and a.rsplit(".", 1)[0] == b.rsplit(".", 1)[0]:
        return "same_district"
    return _same(a, b)


def evidence(row: LinkageRow, person: Person) -> dict[str, Any]:
    """The evidence per field for one pair (what the officer weighs)."""
    return {
        "nik": nik_evidence(row.nik, person.nik), "name": name_evidence(row.name, person.full_name),
        "birth_date": _born(row.birth_date, person.birth_date), "sex": _same(row.sex, person.sex),
        "village": _village(row.village_code, person.village_code),
    }  # fmt: skip


def _pair(decision_id: int, probability: float, row: LinkageRow, person: Person) -> dict[str, Any]:
    return {
        "decision_id": decision_id, "match_probability": probability,
        "row": {"row_id": row.row_id, "line": row.line, "nik": mask_nik(row.nik) if row.nik else None,
                "name": row.name, "birth_date": row.birth_date, "sex": row.sex, "village_code": row.village_code},
        "person": {"person_id": person.id, "nik": mask_nik(person.nik), "name": person.full_name,
                   "birth_date": person.birth_date, "sex": person.sex, "village_code": person.village_code},
        "evidence": evidence(row, person),
    }  # fmt: skip


def review_queue(session: Session, principal: Principal, list_id: int, page: PageRequest) -> dict[str, Any]:
    """Pairs of one list waiting for a verdict, in the caller's scope, most likely first (NIKs masked).

    Raises:
        NotFound: no such list in the caller's area.
    """
    principal.require(Permission.LINKAGE_REVIEW)
    listing, source = visible_list(session, principal, list_id)
    found, total = repo.review_queue(session, list_id, listing.scope_code, principal.scope, page.size, page.offset)
    items = [_pair(d.id, d.match_probability, row, person) for d, row, person in found if person is not None]
    return {"list_id": list_id, "source": source.name, "version": listing.version, "total": total,
            "page": page.page, "size": page.size, "items": items}  # fmt: skip


def decide(session: Session, principal: Principal, decision_id: int, verdict: str) -> dict[str, Any]:
    """Accept (the row is this person) or reject (it is not) a pair; audited.

    Raises:
        InvalidInput: the verdict is not ``accept`` or ``reject``.
        NotFound: no such pair in the caller's scope.
        Conflict: the pair has no candidate person to decide on.
    """
    principal.require(Permission.LINKAGE_REVIEW)
    if verdict not in VERDICTS:
        raise BadVerdict
    found = repo.decision_in_scope(session, decision_id, principal.scope)
    if found is None or found[3] is None or not principal.sees(found[3].village_code):
        if found is not None and found[0].person_id is None:
            raise NoCandidate
        raise PairNotFound(decision_id)
    decision, row, _listing, person = found
    assert person is not None
    before = {"decision": decision.decision, "verdict": decision.verdict}
    final = "match" if verdict == "accept" else "no_match"
    repo.set_verdict(session, decision, {"verdict": VERDICTS[verdict], "decision": final,
                                         "reviewed_by": principal.username, "reviewed_at": utcnow()})  # fmt: skip
    after = {"decision": final, "verdict": VERDICTS[verdict], "row_id": row.row_id, "person_id": person.id}
    audit.record(session, principal, "review", "linkage_decision", decision_id, region_code=person.village_code,
                 before=before, after=after)  # fmt: skip
    return {"decision_id": decision_id, **after}


def labels_csv(session: Session, principal: Principal) -> str:
    """Every verdict in scope as CSV (row fields, person fields, decision) for retraining; audited."""
    principal.require(Permission.LINKAGE_REVIEW)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(LABEL_COLUMNS)
    rows = repo.labels(session, principal.scope)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    audit.record(session, principal, "export", "linkage_labels", None, after={"rows": len(rows)})
    return out.getvalue()


def masked_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """A rejected row's values as shown to officers: identifiers (NIK, phone: long runs of digits) masked."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        digits = "".join(ch for ch in str(value) if ch.isdigit()) if value is not None else ""
        if len(digits) >= 10:
            out[key] = mask_nik(digits) if len(digits) == 16 else mask_phone(digits)
        else:
            out[key] = value
    return out


def list_detail(session: Session, principal: Principal, list_id: int) -> dict[str, Any]:
    """A list's summary, its last run, the decision counts and the rejected rows, in the caller's scope.

    Raises:
        NotFound: no such list in the caller's area.
    """
    import json

    from jangkau.linkage.imports import list_summary
    from jangkau.linkage.runs import run_view

    listing, source = visible_list(session, principal, list_id)
    rejected = [
        {"line": r.line, "row_id": r.row_id, "reason": r.reason, "raw": masked_raw(json.loads(r.raw_json or "{}"))}
        for r in repo.rejected_rows(session, list_id, listing.scope_code, principal.scope)
    ]
    issues = [i for i in repo.issues(session, list_id) if i.severity != "rejected"]
    return {
        **list_summary(listing, source), "run": json.loads(listing.summary_json) if listing.summary_json else None,
        "decisions": repo.decision_counts(session, list_id, listing.scope_code, principal.scope),
        "last_run": run_view(repo.last_run(session, list_id)),
        "rejected": rejected,
        "warnings_shown": [{"line": i.line, "row_id": i.row_id, "field": i.field, "reason": i.reason} for i in issues],
    }  # fmt: skip


def lists(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The lists in the caller's area, newest first."""
    from jangkau.linkage.imports import list_summary

    found = repo.lists(session, principal.scope)
    return [list_summary(listing, source) for listing, source in found]
