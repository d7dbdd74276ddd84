"""All SQL of the linkage domain (SQLAlchemy 2 core/ORM selects); people are always filtered by scope here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import ColumnElement, case, delete, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from jangkau.db.scope import scope_filter
from jangkau.linkage.models import (
    LinkageDecision,
    LinkageIssue,
    LinkageList,
    LinkageRow,
    LinkageRun,
    LinkageSource,
)
from jangkau.registry.models import Membership, Person

REGISTER_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("nik", pa.string()),
        ("name", pa.string()),
        ("birth_date", pa.date32()),
        ("sex", pa.string()),
        ("village_code", pa.string()),
    ]
)
# best membership status of a person: active, then pending, then lapsed, then the rest
_STATUS_RANK = {"active": 4, "pending": 3, "lapsed": 2, "nonaktif": 1, "ended": 1}


# --- sources and lists ---------------------------------------------------------------------------------------


def source_by_name(session: Session, name: str) -> LinkageSource | None:
    return session.scalar(select(LinkageSource).where(LinkageSource.name == name))


def add(session: Session, obj: Any) -> None:
    session.add(obj)
    session.flush()


def next_version(session: Session, source_id: int) -> int:
    latest = session.scalar(select(func.max(LinkageList.version)).where(LinkageList.source_id == source_id))
    return int(latest or 0) + 1


def get_list(session: Session, list_id: int) -> tuple[LinkageList, LinkageSource] | None:
    found = session.execute(
        select(LinkageList, LinkageSource)
        .join(LinkageSource, LinkageSource.id == LinkageList.source_id)
        .where(LinkageList.id == list_id)
    ).first()
    return (found[0], found[1]) if found else None


def list_overlaps(scope: Iterable[str]) -> ColumnElement[bool]:
    """A list is visible when its area lies inside the caller's scope or holds one of the caller's prefixes."""
    prefixes = list(scope)
    holds = [or_(LinkageList.scope_code == "", literal(p).like(LinkageList.scope_code + ".%")) for p in prefixes if p]
    return or_(scope_filter(LinkageList.scope_code, prefixes), *holds)


def lists(session: Session, scope: Iterable[str]) -> list[tuple[LinkageList, LinkageSource]]:
    found = session.execute(
        select(LinkageList, LinkageSource)
        .join(LinkageSource, LinkageSource.id == LinkageList.source_id)
        .where(list_overlaps(scope))
        .order_by(LinkageList.id.desc())
    ).all()
    return [(r[0], r[1]) for r in found]


def insert_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk insert (one executemany per chunk, no ORM objects)."""
    for start in range(0, len(rows), 5000):
        session.execute(insert(LinkageRow), rows[start : start + 5000])


def insert_issues(session: Session, issues: list[dict[str, Any]]) -> None:
    for start in range(0, len(issues), 5000):
        session.execute(insert(LinkageIssue), issues[start : start + 5000])


def issues(session: Session, list_id: int, limit: int = 500) -> Sequence[LinkageIssue]:
    return session.scalars(
        select(LinkageIssue).where(LinkageIssue.list_id == list_id).order_by(LinkageIssue.line).limit(limit)
    ).all()


def _row_scope(list_scope: str, scope: Iterable[str]) -> ColumnElement[bool]:
    return scope_filter(func.coalesce(LinkageRow.village_code, literal(list_scope)), scope)


def rejected_rows(session: Session, list_id: int, list_scope: str, scope: Iterable[str]) -> Sequence[LinkageRow]:
    return session.scalars(
        select(LinkageRow)
        .where(LinkageRow.list_id == list_id, LinkageRow.status == "rejected", _row_scope(list_scope, scope))
        .order_by(LinkageRow.line)
    ).all()


def kept_rows(session: Session, list_id: int) -> Sequence[Any]:
    """Every kept row of a list (the whole list is linked; results are shown per caller's scope)."""
    return session.execute(
        select(LinkageRow.id, LinkageRow.row_id, LinkageRow.line, LinkageRow.nik, LinkageRow.name,
               LinkageRow.birth_date, LinkageRow.sex, LinkageRow.village_code)
        .where(LinkageRow.list_id == list_id, LinkageRow.status == "kept")
        .order_by(LinkageRow.line)
    ).all()  # fmt: skip


def row_ids(session: Session, list_id: int) -> dict[str, int]:
    """``row_id`` -> primary key for the kept rows, and for rejected rows whose row_id is not taken."""
    out: dict[str, int] = {}
    stmt = select(LinkageRow.row_id, LinkageRow.id).where(LinkageRow.list_id == list_id)
    for row_id, pk in session.execute(stmt.order_by(LinkageRow.status, LinkageRow.line)):
        out.setdefault(row_id, pk)
    return out


# --- the register --------------------------------------------------------------------------------------------


def register_batches(session: Session, scope: Iterable[str], batch_size: int = 50_000) -> Iterator[pa.RecordBatch]:
    """The persons in scope as Arrow record batches (a streamed core select, no ORM objects)."""
    stmt = (
        select(Person.id, Person.nik, Person.full_name, Person.birth_date, Person.sex, Person.village_code)
        .where(scope_filter(Person.village_code, scope))
        .order_by(Person.id)
        .execution_options(yield_per=batch_size, stream_results=True)
    )
    result = session.execute(stmt)
    for chunk in result.partitions(batch_size):
        ids, niks, names, born, sexes, villages = (list(c) for c in zip(*chunk, strict=True))
        yield pa.RecordBatch.from_arrays(
            [pa.array([str(i) for i in ids]), pa.array(niks, pa.string()), pa.array(names, pa.string()),
             pa.array(born, pa.date32()), pa.array(sexes, pa.string()), pa.array(villages, pa.string())],
            schema=REGISTER_SCHEMA,
        )  # fmt: skip


# --- decisions -----------------------------------------------------------------------------------------------


def reviewed_decisions(session: Session, list_id: int) -> dict[int, tuple[int | None, str | None, str | None, Any]]:
    """Human verdicts already given on a list: row pk -> (person_id, verdict, reviewed_by, reviewed_at)."""
    stmt = select(LinkageDecision.row_pk, LinkageDecision.person_id, LinkageDecision.verdict,
                  LinkageDecision.reviewed_by, LinkageDecision.reviewed_at).where(
        LinkageDecision.list_id == list_id, LinkageDecision.verdict.is_not(None))  # fmt: skip
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in session.execute(stmt)}


def replace_decisions(session: Session, list_id: int, rows: list[dict[str, Any]]) -> None:
    session.execute(delete(LinkageDecision).where(LinkageDecision.list_id == list_id))
    for start in range(0, len(rows), 5000):
        session.execute(insert(LinkageDecision), rows[start : start + 5000])


# --- runs --------------------------------------------------------------------------------------------------


def last_run(session: Session, list_id: int) -> LinkageRun | None:
    stmt = select(LinkageRun).where(LinkageRun.list_id == list_id).order_by(LinkageRun.id.desc()).limit(1)
    return session.scalar(stmt)


def unfinished_runs(session: Session, list_id: int) -> Sequence[LinkageRun]:
    """Runs of a list still marked queued or running (a process that stopped midway leaves one behind)."""
    stmt = select(LinkageRun).where(LinkageRun.list_id == list_id, LinkageRun.state.in_(("queued", "running")))
    return session.scalars(stmt).all()


def decision_counts(session: Session, list_id: int, list_scope: str, scope: Iterable[str]) -> dict[str, int]:
    stmt = (
        select(LinkageDecision.decision, func.count())
        .join(LinkageRow, LinkageRow.id == LinkageDecision.row_pk)
        .where(LinkageDecision.list_id == list_id, _row_scope(list_scope, scope))
        .group_by(LinkageDecision.decision)
    )
    return {d: int(n) for d, n in session.execute(stmt)}


def review_queue(
    session: Session, list_id: int, list_scope: str, scope: Iterable[str], limit: int, offset: int
) -> tuple[list[tuple[LinkageDecision, LinkageRow, Person | None]], int]:
    """Decisions waiting for a person: the row and the candidate, both in scope, best probability first."""
    where = (
        LinkageDecision.list_id == list_id,
        LinkageDecision.decision == "review",
        _row_scope(list_scope, scope),
        scope_filter(Person.village_code, scope),
    )
    base = (
        select(LinkageDecision, LinkageRow, Person)
        .join(LinkageRow, LinkageRow.id == LinkageDecision.row_pk)
        .join(Person, Person.id == LinkageDecision.person_id)
        .where(*where)
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    found = session.execute(
        base.order_by(LinkageDecision.match_probability.desc(), LinkageDecision.id).limit(limit).offset(offset)
    ).all()
    return [(r[0], r[1], r[2]) for r in found], int(total)


def decision_in_scope(
    session: Session, decision_id: int, scope: Iterable[str]
) -> tuple[LinkageDecision, LinkageRow, LinkageList, Person | None] | None:
    found = session.execute(
        select(LinkageDecision, LinkageRow, LinkageList, Person)
        .join(LinkageRow, LinkageRow.id == LinkageDecision.row_pk)
        .join(LinkageList, LinkageList.id == LinkageDecision.list_id)
        .outerjoin(Person, Person.id == LinkageDecision.person_id)
        .where(LinkageDecision.id == decision_id)
        .where(scope_filter(func.coalesce(LinkageRow.village_code, LinkageList.scope_code), scope))
    ).first()
    if found is None:
        return None
    return found[0], found[1], found[2], found[3]


def set_verdict(session: Session, decision: LinkageDecision, values: dict[str, Any]) -> None:
    session.execute(update(LinkageDecision).where(LinkageDecision.id == decision.id).values(**values))
    session.refresh(decision)


def labels(session: Session, scope: Iterable[str]) -> Sequence[Any]:
    """Every reviewed pair in scope: the list row, the person and the verdict (training labels)."""
    return session.execute(
        select(LinkageDecision.list_id, LinkageRow.row_id, LinkageRow.nik, LinkageRow.name, LinkageRow.birth_date,
               LinkageRow.sex, LinkageRow.village_code, Person.id, Person.nik, Person.full_name, Person.birth_date,
               Person.sex, Person.village_code, LinkageDecision.match_probability, LinkageDecision.verdict,
               LinkageDecision.reviewed_by, LinkageDecision.reviewed_at)
        .join(LinkageRow, LinkageRow.id == LinkageDecision.row_pk)
        .join(Person, Person.id == LinkageDecision.person_id)
        .where(LinkageDecision.verdict.is_not(None), scope_filter(Person.village_code, scope))
        .order_by(LinkageDecision.list_id, LinkageRow.line)
    ).all()  # fmt: skip


# --- outcome -------------------------------------------------------------------------------------------------


def outcome_rows(session: Session, list_id: int, list_scope: str, scope: Iterable[str]) -> Sequence[Any]:
    """Each linked row in scope with its decision, person and the person's best membership status."""
    rank = case(*((Membership.status == s, r) for s, r in _STATUS_RANK.items()), else_=0)
    best = select(Membership.person_id, func.max(rank).label("rank")).group_by(Membership.person_id).subquery()
    return session.execute(
        select(LinkageRow.id, LinkageRow.row_id, LinkageRow.line, LinkageRow.nik, LinkageRow.name,
               LinkageRow.birth_date, LinkageRow.sex, LinkageRow.village_code, LinkageDecision.decision,
               LinkageDecision.person_id, Person.full_name, Person.village_code, best.c.rank)
        .join(LinkageRow, LinkageRow.id == LinkageDecision.row_pk)
        .outerjoin(Person, Person.id == LinkageDecision.person_id)
        .outerjoin(best, best.c.person_id == LinkageDecision.person_id)
        .where(LinkageDecision.list_id == list_id, LinkageDecision.decision != "rejected",
               _row_scope(list_scope, scope))
        .order_by(LinkageRow.line)
    ).all()  # fmt: skip


STATUS_BY_RANK = {4: "active", 3: "pending", 2: "lapsed", 1: "ended"}
