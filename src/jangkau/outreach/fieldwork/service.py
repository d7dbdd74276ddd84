"""Field work: prospects (from linkage lists, lapse lists, by hand), door-to-door visits, today's work, sync."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.db import outbox
from jangkau.db.base import utcnow
from jangkau.errors import FieldError, InvalidInput, JangkauError
from jangkau.outreach import errors as refusals
from jangkau.outreach import repository as repo
from jangkau.outreach.models import PROSPECT_SOURCES, Agent, Prospect, Visit
from jangkau.outreach.schemas import ProspectIn, ProspectRead, VisitIn
from jangkau.regions import repository as regions
from jangkau.regions.codes import Level
from jangkau.regions.service import require_region
from jangkau.registry.nik import check_nik, clean_nik

OUTCOME_STATUS = {"refused": "refused", "interested": "interested", "registered": "registered", "paid": "paid"}
REOPENABLE = ("registered", "paid", "refused", "closed")
MAX_SYNC_BATCH = 200


@dataclass
class AddResult:
    """What ``add_prospects`` did with each row."""

    added: int = 0
    reopened: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    prospect_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """For the CLI, the pages and the linkage domain; the API answers with ``ProspectsAddedRead``."""
        return asdict(self)


def _source(source: str) -> tuple[str, str | None]:
    kind, _, ref = source.partition(":")
    if kind not in PROSPECT_SOURCES:
        raise refusals.ProspectSourceInvalid(PROSPECT_SOURCES)
    return kind, ref or None


def add_prospects(
    session: Session,
    rows: Sequence[Mapping[str, Any] | ProspectIn],
    source: str,
    by: Principal | None = None,
) -> AddResult:
    """Add prospects to visit; the linkage domain calls this with its lists (``source="linkage:<list id>"``).

    A row is a registered person (``person_id``) or a name with village and optionally NIK and RT. A prospect
    already on file is not added twice; a lapse of someone who had registered reopens their prospect.

    Args:
        rows: dicts or :class:`ProspectIn`.
        source: ``linkage:<list id>``, ``lapse`` or ``manual``.
        by: the caller, whose territory each row must lie in (``None``: a trusted job).

    Returns:
        Counts, and for each rejected row its index and a message; the other rows are kept.

    Raises:
        InvalidInput: an unknown source.
    """
    kind, list_ref = _source(source)
    result = AddResult()
    seen: set[str] = set()
    villages: set[str] = set()
    for index, raw in enumerate(rows):
        try:
            data = raw if isinstance(raw, ProspectIn) else ProspectIn.model_validate(dict(raw))
            prospect = _prospect_from(session, data, kind, data.source_ref or list_ref, by)
        except ValidationError as exc:
            result.rejected.append({"row": index, "message": str(exc.errors()[0]["msg"]), "field": _loc(exc)})
            continue
        except JangkauError as exc:
            result.rejected.append({"row": index, **exc.as_dict()})
            continue
        if prospect.dedupe_key in seen:
            result.duplicates += 1
            continue
        seen.add(prospect.dedupe_key)
        _store(session, prospect, result)
        villages.add(prospect.village_code)
    session.flush()
    outbox.mark_changed_many(session, [(v, utcnow().date()) for v in sorted(villages)])  # prospects added today
    return result


def _loc(exc: ValidationError) -> str:
    return ".".join(str(p) for p in exc.errors()[0]["loc"])


def _store(session: Session, prospect: Prospect, result: AddResult) -> None:
    existing = repo.prospect_by_key(session, prospect.dedupe_key)
    if existing is None:
        repo.add(session, prospect)
        result.added += 1
        result.prospect_ids.append(prospect.id)
    elif prospect.source == "lapse" and existing.status in REOPENABLE:
        existing.status, existing.source, existing.source_ref = "open", "lapse", prospect.source_ref
        existing.follow_up_on = None
        result.reopened += 1
        result.prospect_ids.append(existing.id)
    else:
        result.duplicates += 1


def _prospect_from(session: Session, data: ProspectIn, kind: str, ref: str | None, by: Principal | None) -> Prospect:
    if data.person_id is not None:
        person = repo.persons_by_ids(session, [data.person_id]).get(data.person_id)
        if person is None or (by is not None and not by.sees(person.village_code)):
            raise refusals.ProspectPersonNotFound(data.person_id)
        return Prospect(
            dedupe_key=f"person:{person.id}", person_id=person.id, nik=person.nik, full_name=person.full_name,
            village_code=person.village_code, rt=person.rt, rw=person.rw, address=person.address,
            occupation=person.occupation, source=kind, source_ref=ref, status="open",
        )  # fmt: skip
    errors: list[FieldError] = []
    name = " ".join((data.full_name or "").split())
    if not name:
        errors.append(refusals.prospect_name_field())
    village = _village(session, data.village_code, by, errors)
    nik = clean_nik(data.nik) if data.nik else None
    if nik and not check_nik(nik).valid:
        errors.append(refusals.nik_field())
    if errors:
        raise refusals.ProspectInvalid(errors)
    person_id = repo.person_id_by_nik(session, nik) if nik else None
    key = f"person:{person_id}" if person_id else (f"nik:{nik}" if nik else _name_key(village, data.rt, name))
    return Prospect(
        dedupe_key=key, person_id=person_id, nik=nik, full_name=name, village_code=village, rt=data.rt, rw=data.rw,
        address=data.address, occupation=data.occupation, source=kind, source_ref=ref, status="open",
    )  # fmt: skip


def _village(session: Session, code: str | None, by: Principal | None, errors: list[FieldError]) -> str:
    if not code:
        errors.append(refusals.village_needed_field())
        return ""
    try:
        village = require_region(session, code, "village_code", Level.VILLAGE)
    except InvalidInput as exc:
        errors.extend(exc.fields)
        return ""
    if by is not None and not by.sees(village):
        errors.append(refusals.outside_territory("village_code", village))
    return village


def _name_key(village: str, rt: str | None, name: str) -> str:
    return f"name:{village}:{rt or ''}:{re.sub(r'[^a-z0-9]', '', name.lower())}"[:200]


def prospects_from_lapses(
    session: Session, by: Principal, limit: int = 50_000, village: str | None = None
) -> AddResult:
    """Turn the memberships the funding lapse job marked lapsed or ended into prospects (in the caller's scope).

    Args:
        village: only the lapses of this village (it must lie in the caller's territory).

    Raises:
        InvalidInput: a village code that is malformed, unknown or not a village.
        NotFound: the village is outside the caller's territory.
    """
    scope: tuple[str, ...] = by.scope
    if village is not None:
        code = require_region(session, village, "village_code", Level.VILLAGE)
        if not by.sees(code):
            raise refusals.VillageNotFound(code)
        scope = (code,)
    rows = [
        ProspectIn(person_id=p.id, source_ref=f"membership:{m.id}")
        for p, m in repo.lapsed_memberships(session, scope, limit)
    ]
    return add_prospects(session, rows, "lapse", by)


# --- visits ------------------------------------------------------------------------------------------------


def agent_for(session: Session, principal: Principal) -> Agent:
    """The caller's agent profile (active).

    Raises:
        InvalidInput: the caller has no agent profile, or it is not active.
    """
    agent = repo.agent_of_user(session, principal.user_id) if principal.user_id is not None else None
    if agent is None:
        raise refusals.NoAgentProfile()
    if agent.status != "active":
        raise refusals.AgentNotActive(agent.status, agent.status_reason)
    return agent


def record_visit(
    session: Session, data: VisitIn, principal: Principal, today: dt.date | None = None
) -> tuple[Visit, bool]:
    """Record a visit (or return the one already recorded with the same ``client_key``).

    Returns:
        The visit and whether it was created now.

    Raises:
        InvalidInput: no agent profile; a prospect outside the agent's villages; dates in the future or a
            follow-up before the visit.
    """
    today = today or dt.date.today()
    agent = agent_for(session, principal)
    if data.client_key:
        existing = repo.visit_by_client_key(session, data.client_key)
        if existing is not None and existing.agent_id == agent.id:
            return existing, False
        if existing is not None:
            raise refusals.ClientKeyReused()
    prospect = repo.prospect_in_scope(session, data.prospect_id, principal.scope)
    if prospect is None:
        raise refusals.ProspectOutsideScope(data.prospect_id)
    _check_dates(data, today)
    visit = repo.add(
        session,
        Visit(
            client_key=data.client_key, prospect_id=prospect.id, agent_id=agent.id,
            village_code=prospect.village_code, visited_on=data.visited_on, outcome=data.outcome,
            follow_up_on=data.follow_up_on, note=data.note,
        ),
    )  # fmt: skip
    _advance(session, prospect, visit, data)
    outbox.mark_changed(session, prospect.village_code, data.visited_on)  # the outreach summary of that month
    audit.record(
        session, principal, "create", "outreach_visit", visit.id, region_code=prospect.village_code,
        after={"prospect_id": prospect.id, "outcome": data.outcome, "visited_on": data.visited_on.isoformat()},
    )  # fmt: skip
    return visit, True


def _check_dates(data: VisitIn, today: dt.date) -> None:
    errors = []
    if data.visited_on > today + dt.timedelta(days=1):
        errors.append(refusals.visit_future_field())
    if data.follow_up_on and data.follow_up_on < data.visited_on:
        errors.append(refusals.follow_up_field())
    if errors:
        raise refusals.VisitInvalid(errors)


def _advance(session: Session, prospect: Prospect, visit: Visit, data: VisitIn) -> None:
    """Move the prospect along: status from the outcome, next follow-up, and the membership once registered."""
    prospect.status = OUTCOME_STATUS.get(data.outcome, prospect.status)
    prospect.follow_up_on = data.follow_up_on
    if data.outcome not in ("registered", "paid"):
        return
    nik = clean_nik(data.nik) if data.nik else prospect.nik
    person_id = prospect.person_id or (repo.person_id_by_nik(session, nik) if nik else None)
    if person_id is None:
        return
    membership_id = repo.open_bpu_membership(session, person_id)
    prospect.person_id, prospect.membership_id, visit.membership_id = person_id, membership_id, membership_id
    session.flush()


def sync_visits(
    session: Session, records: Sequence[Any], principal: Principal, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Record a batch of visits queued on a phone; each record gets its own result and a bad one spoils nothing.

    Returns:
        Per record, in order: ``client_key``, ``status`` (``created``, ``duplicate`` or ``error``), ``visit_id``
        or ``error`` (code, message in English and Bahasa Indonesia, fields).
    """
    if len(records) > MAX_SYNC_BATCH:
        raise refusals.SyncBatchTooLarge(MAX_SYNC_BATCH)
    out: list[dict[str, Any]] = []
    for index, raw in enumerate(records):
        key = raw.get("client_key") if isinstance(raw, dict) else None
        try:
            data = VisitIn.model_validate(raw)
            with session.begin_nested():
                visit, created = record_visit(session, data, principal, today)
            out.append({"index": index, "client_key": key, "status": "created" if created else "duplicate",
                        "visit_id": visit.id})  # fmt: skip
        except ValidationError as exc:
            error = refusals.RecordInvalid(_loc(exc) or "record", str(exc.errors()[0]["msg"]))
            out.append({"index": index, "client_key": key, "status": "error", "error": error.as_dict()})
        except JangkauError as exc:
            out.append({"index": index, "client_key": key, "status": "error", "error": exc.as_dict()})
    return out


# --- today's work ------------------------------------------------------------------------------------------


def todays_work(
    session: Session, principal: Principal, today: dt.date | None = None, limit: int = 40
) -> dict[str, Any]:
    """An agent's list for today: follow-ups due first, then prospects in the same village and RT, then the rest."""
    today = today or dt.date.today()
    candidates = repo.work_candidates(session, principal.scope, limit=max(limit * 10, 200))
    due = [p for p in candidates if p.follow_up_on is not None and p.follow_up_on <= today]
    places = {(p.village_code, p.rt) for p in due}
    villages = {p.village_code for p in due}
    rest = [p for p in candidates if p not in due and (p.follow_up_on is None or p.follow_up_on > today)]
    rest.sort(key=lambda p: ((p.village_code, p.rt) not in places, p.village_code not in villages))
    names = regions.names(session, {p.village_code for p in candidates})
    items = []
    for prospect in (due + rest)[:limit]:
        reason = "follow_up_due" if prospect in due else ("nearby" if prospect.village_code in villages else "open")
        items.append({**ProspectRead.for_caller(prospect, principal, names).model_dump(), "reason": reason})
    return {"today": today, "due": len(due), "items": items}
