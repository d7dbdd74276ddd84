"""Managed rule versions: propose (maker), activate (a different checker), withdraw, and hand the tables in force
to the pure rules engine (:func:`jangkau.rules.tables.install`). Services never commit."""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.config import get_settings
from jangkau.db.base import utcnow
from jangkau.db.engine import database_name
from jangkau.ruleadmin import imports, tablefile
from jangkau.ruleadmin import repository as repo
from jangkau.ruleadmin.errors import (
    BoundsInvalid,
    CapImplausible,
    InstrumentRequired,
    NotProposed,
    RuleUnknown,
    SameUser,
    TooLateToWithdraw,
    VersionNotFound,
    VersionOverlap,
)
from jangkau.ruleadmin.models import RuleVersion
from jangkau.ruleadmin.schemas import RuleVersionRead, VersionIn
from jangkau.rules.model import Status
from jangkau.rules.renewals import next_jp_benefit_bounds, next_jp_wage_cap
from jangkau.rules.tables import Version, has_table, install, revision, table

JP_WAGE_CAP = "jp_wage_cap"
JP_BENEFIT_BOUNDS = "jp_benefit_bounds"
MANAGED_PREFIXES = ("min_wage.", JP_WAGE_CAP, JP_BENEFIT_BOUNDS)
_installed_from: tuple[object, ...] | None = None
_checked_at = -math.inf  # time.monotonic() of the last look at the database's versions


@dataclass(frozen=True)
class Draft:
    """A new version before it is stored: which table, its title and its data in the shape of the TOML files."""

    rule_id: str
    title: str
    data: dict[str, Any]
    header: VersionIn


def _end_of_year(header: VersionIn) -> dt.date:
    """Default end of a yearly version: the day before the same date a year later."""
    start = header.valid_from
    try:
        return start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


def as_version(row: RuleVersion) -> Version:
    """A stored version as the rules engine reads it (the trail names the instrument and the source)."""
    notes = tuple(json.loads(row.notes))
    citation = row.instrument + (f" (signed {row.signed_on.isoformat()})" if row.signed_on else "")
    if row.source:
        citation += f"; source: {row.source}"
    return Version(
        id=row.rule_id,
        version=row.version,
        title=row.title,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        citation=citation,
        status=Status(row.status),
        unconfirmed=notes,
        data=tablefile.loads(row.data),
        source=f"rule_version {row.id}",
    )


def read(row: RuleVersion) -> RuleVersionRead:
    return RuleVersionRead(
        id=row.id,
        rule_id=row.rule_id,
        version=row.version,
        title=row.title,
        instrument=row.instrument,
        signed_on=row.signed_on,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        source=row.source,
        status=row.status,
        notes=json.loads(row.notes),
        state=row.state,
        proposed_by=row.proposed_by_name,
        decided_by=row.decided_by_name,
        data=tablefile.loads(row.data),
    )


def refresh(session: Session, force: bool = False) -> int:
    """Lay the active versions of the database over the shipped tables for this process (only when they changed:
    otherwise one small query, and none at all within ``rules_check_seconds`` of the last one on this database).

    A version activated or withdrawn in this process is in force at once (and checked against the database on the
    next call, in case its transaction rolled back); one changed by another process within ``rules_check_seconds``.

    Returns:
        The revision of the tables in force (:func:`jangkau.rules.tables.revision`).
    """
    global _installed_from, _checked_at
    url = database_name(session)
    now = time.monotonic()
    fresh = now - _checked_at < get_settings().rules_check_seconds
    if not force and fresh and _installed_from is not None and _installed_from[0] == url:
        return revision()
    key = (url, *repo.fingerprint(session))
    if force or key != _installed_from:
        grouped: dict[str, list[Version]] = {}
        for row in repo.in_states(session, ("active",)):
            grouped.setdefault(row.rule_id, []).append(as_version(row))
        install(grouped)
        _installed_from = key
    _checked_at = -math.inf if force else now
    return revision()


def forget() -> None:
    """Back to the shipped tables only (tests; a process that switches databases)."""
    global _installed_from, _checked_at
    install({})
    _installed_from = None
    _checked_at = -math.inf


def _check_rule(rule_id: str) -> None:
    """Every rule table can get new versions: the minimum wages also when the province has none shipped yet."""
    if not (rule_id.startswith(MANAGED_PREFIXES) or has_table(rule_id)):
        raise RuleUnknown(rule_id)


def _check_overlap(session: Session, rule_id: str, start: dt.date, end: dt.date | None, skip: int = 0) -> None:
    for other in repo.in_states(session, ("proposed", "active"), rule_id):
        if other.id == skip:
            continue
        if (end is None or other.valid_from <= end) and (other.valid_to is None or start <= other.valid_to):
            raise VersionOverlap(rule_id, other.id, other.state, other.valid_from, other.valid_to)


def propose(session: Session, by: Principal, draft: Draft) -> RuleVersion:
    """Store a new version as *proposed* (it changes nothing until another user activates it).

    Raises:
        Forbidden: the user may not manage rule tables.
        InvalidInput: not a managed table, no instrument, or UNCONFIRMED without a note.
        Conflict: another proposed or active version of the table overlaps its dates.
    """
    by.require(Permission.RULES_MANAGE)
    _check_rule(draft.rule_id)
    header = draft.header
    if not header.instrument.strip() and not draft.data.get("umk"):
        raise InstrumentRequired
    end = header.valid_to or _end_of_year(header)
    _check_overlap(session, draft.rule_id, header.valid_from, end)
    notes = [header.note] if header.note else []
    if header.status == "unconfirmed" and not notes:
        notes = [f"proposed as UNCONFIRMED by {by.username}: {header.instrument or 'no instrument yet'}"]
    row = repo.add(
        session,
        RuleVersion(
            rule_id=draft.rule_id,
            version=f"{header.valid_from.year} db",
            title=draft.title,
            instrument=header.instrument.strip(),
            signed_on=header.signed_on,
            valid_from=header.valid_from,
            valid_to=end,
            source=header.source.strip(),
            status=header.status,
            notes=json.dumps(notes),
            data=tablefile.dumps(draft.data),
            state="proposed",
            proposed_by=by.user_id,
            proposed_by_name=by.username,
        ),
    )
    row.version = f"{header.valid_from.year}-db{row.id}"
    audit.record(session, by, "propose", "rule_version", row.id, after=_audit_view(row))
    return row


def _audit_view(row: RuleVersion) -> dict[str, Any]:
    return {k: v for k, v in read(row).model_dump(mode="json").items() if k != "data"}


def propose_min_wage_file(session: Session, by: Principal, name: str, content: bytes, header: VersionIn) -> RuleVersion:
    """Propose a year of a province's minimum wages from a CSV/XLSX file (see :mod:`jangkau.ruleadmin.imports`).

    Raises:
        InvalidInput: any refused row (all listed), an unreadable file.
        Conflict: an overlapping version.
    """
    by.require(Permission.RULES_MANAGE)
    data = imports.read_min_wage_file(session, name, content, header)
    province = str(data["province"])
    title = f"Minimum wages, province {province} (UMP and UMKs), from {header.valid_from.isoformat()}"
    if data.get("umk_decree") == "" and data["umk"]:
        data["umk_decree"] = str(data["umk"][0]["decree"])
    return propose(session, by, Draft(f"min_wage.{province}", title, data, header))


def propose_table_file(session: Session, by: Principal, rule_id: str, content: bytes, header: VersionIn) -> RuleVersion:
    """Propose a new version of any rule table (BPU bands and rates, JKP, fines, relaxations, ...) from a TOML file in
    the shape of the shipped ones, checked against the version it follows (:mod:`jangkau.ruleadmin.tablefile`).

    Raises:
        InvalidInput: unknown table, unreadable file, or a shape that differs (every difference listed).
        Conflict: an overlapping version.
    """
    by.require(Permission.RULES_MANAGE)
    data = tablefile.read_table_file(rule_id, content, header.valid_from)
    title = f"{table(rule_id).versions[-1].title or rule_id}, from {header.valid_from.isoformat()}"
    return propose(session, by, Draft(rule_id, title, data, header))


def previous_jp_cap(valid_from: dt.date) -> int:
    """The JP wage cap in force the day before ``valid_from``."""
    before = table(JP_WAGE_CAP).at(valid_from - dt.timedelta(days=1), "valid_from")
    return int(before.data["cap"])


def propose_jp_wage_cap(session: Session, by: Principal, cap: int, header: VersionIn) -> RuleVersion:
    """Propose an announced JP wage cap.

    Raises:
        InvalidInput: a cap that is not positive or more than doubles / halves the previous one.
    """
    previous = previous_jp_cap(header.valid_from)
    if cap <= 0 or cap > previous * 2 or cap * 2 < previous:
        raise CapImplausible(cap, previous)
    title = f"JP wage cap (batas upah tertinggi) from {header.valid_from.isoformat()}"
    return propose(session, by, Draft(JP_WAGE_CAP, title, {"cap": cap}, header))


def propose_jp_cap_by_formula(session: Session, by: Principal, growth: Decimal, header: VersionIn) -> RuleVersion:
    """Propose the JP wage cap computed from the previous cap and BPS's GDP growth (PP 45/2015 Ps 29(3)),
    marked UNCONFIRMED until BPJS's announced figure replaces it."""
    previous = previous_jp_cap(header.valid_from)
    cap = next_jp_wage_cap(previous, growth)
    note = (
        f"JP wage cap from the formula: Rp{previous:,} x (1 + {growth} %) rounded down to Rp100 = Rp{cap:,}; "
        "replace it with BPJS's announced figure"
    )
    formula_header = header.model_copy(
        update={
            "status": "unconfirmed",
            "note": note,
            "instrument": header.instrument or f"PP 45/2015 Ps 29(3), GDP growth {growth} % (BPS)",
        }
    )
    return propose_jp_wage_cap(session, by, cap, formula_header)


def propose_jp_benefit_bounds(session: Session, by: Principal, low: int, high: int, header: VersionIn) -> RuleVersion:
    """Propose the JP monthly benefit minimum and maximum (PP 45/2015 Ps 18)."""
    if not 0 < low < high:
        raise BoundsInvalid
    title = f"JP monthly benefit minimum and maximum from {header.valid_from.isoformat()}"
    return propose(session, by, Draft(JP_BENEFIT_BOUNDS, title, {"min": low, "max": high}, header))


def propose_jp_bounds_by_formula(session: Session, by: Principal, inflation: Decimal, header: VersionIn) -> RuleVersion:
    """Propose the JP benefit bounds indexed by the year's inflation (rounded up to Rp100), marked UNCONFIRMED."""
    before = table(JP_BENEFIT_BOUNDS).at(header.valid_from - dt.timedelta(days=1), "valid_from")
    old_min, old_max = int(before.data["min"]), int(before.data["max"])
    low, high = next_jp_benefit_bounds(old_min, old_max, inflation)
    note = (
        f"JP benefit bounds from the formula: Rp{old_min:,} / Rp{old_max:,} x (1 + {inflation} %) rounded up to "
        f"Rp100 = Rp{low:,} / Rp{high:,}; replace them with BPJS's announced figures"
    )
    formula_header = header.model_copy(
        update={
            "status": "unconfirmed",
            "note": note,
            "instrument": header.instrument or f"PP 45/2015 Ps 18, inflation {inflation} % (BPS)",
        }
    )
    return propose_jp_benefit_bounds(session, by, low, high, formula_header)


def _get(session: Session, version_id: int) -> RuleVersion:
    row = repo.get(session, version_id, lock=True)
    if row is None:
        raise VersionNotFound(version_id)
    return row


def activate(session: Session, by: Principal, version_id: int) -> RuleVersion:
    """The checker: make a proposed version active (it wins from its ``valid_from``).

    Raises:
        Forbidden: the user may not manage rule tables.
        Conflict: not *proposed*, proposed by the same user, or overlapping an active version.
    """
    by.require(Permission.RULES_MANAGE)
    row = _get(session, version_id)
    if row.state != "proposed":
        raise NotProposed(row.id, row.state)
    if row.proposed_by_name == by.username or (by.user_id is not None and row.proposed_by == by.user_id):
        raise SameUser
    _check_overlap(session, row.rule_id, row.valid_from, row.valid_to, skip=row.id)
    before = _audit_view(row)
    row.state, row.decided_by, row.decided_by_name, row.activated_at = "active", by.user_id, by.username, utcnow()
    session.flush()
    audit.record(session, by, "activate", "rule_version", row.id, before=before, after=_audit_view(row))
    refresh(session, force=True)
    return row


def withdraw(session: Session, by: Principal, version_id: int, today: dt.date | None = None) -> RuleVersion:
    """Withdraw a proposal, or an active version before its ``valid_from`` (never after: it was used).

    Raises:
        Conflict: already withdrawn, or active and already in force.
    """
    by.require(Permission.RULES_MANAGE)
    row = _get(session, version_id)
    today = today or dt.date.today()
    if row.state == "withdrawn" or (row.state == "active" and row.valid_from <= today):
        raise TooLateToWithdraw(row.id, row.state, row.valid_from)
    before = _audit_view(row)
    row.state, row.decided_by, row.decided_by_name, row.withdrawn_at = "withdrawn", by.user_id, by.username, utcnow()
    session.flush()
    audit.record(session, by, "withdraw", "rule_version", row.id, before=before, after=_audit_view(row))
    refresh(session, force=True)
    return row


def versions(session: Session, by: Principal, rule_id: str | None = None) -> list[RuleVersionRead]:
    """Every managed version (newest first per table)."""
    by.require(Permission.RULES_READ)
    return [read(r) for r in repo.listing(session, rule_id)]


def floor_before(rule_id: str, day: dt.date) -> dict[str, int]:
    """Minimum wages by code in force on ``day`` (seed and active versions)."""
    version = table(rule_id).find(day) if has_table(rule_id) else None
    if version is None:
        return {}
    province = str(version.data.get("province", rule_id.split(".")[-1]))
    out = {province: int(version.data["ump"])}
    out.update({str(r["code"]): int(r["amount"]) for r in version.data.get("umk", [])})
    return out
