"""All SQL of the outreach domain except the funnel figures (``funnel_sql.py``).

Every read that returns people (prospects, visits, attendees) filters by the caller's territory scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypeVar

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from jangkau.auth.models import User, UserScope
from jangkau.db.scope import scope_filter
from jangkau.kit.pagination import Page, PageRequest
from jangkau.outreach.models import (
    Agent,
    AgentVillage,
    Attendance,
    Campaign,
    Event,
    Partnership,
    PartnershipDocument,
    Prospect,
    Target,
    Visit,
)
from jangkau.registry.models import Membership, Person

T = TypeVar("T")


def add(session: Session, row: T) -> T:
    session.add(row)
    session.flush()
    return row


# --- agents ------------------------------------------------------------------------------------------------


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def agent_of_user(session: Session, user_id: int) -> Agent | None:
    return session.scalars(select(Agent).where(Agent.user_id == user_id)).first()


def agent_with_user(session: Session, agent_id: int) -> tuple[Agent, User] | None:
    row = session.execute(select(Agent, User).join(User, User.id == Agent.user_id).where(Agent.id == agent_id)).first()
    return None if row is None else (row[0], row[1])


def villages_of(session: Session, agent_id: int) -> list[str]:
    return list(
        session.scalars(
            select(AgentVillage.village_code)
            .where(AgentVillage.agent_id == agent_id)
            .order_by(AgentVillage.village_code)
        )
    )


def set_villages(session: Session, agent_id: int, codes: Sequence[str]) -> None:
    session.execute(delete(AgentVillage).where(AgentVillage.agent_id == agent_id))
    if codes:
        session.execute(insert(AgentVillage), [{"agent_id": agent_id, "village_code": c} for c in sorted(set(codes))])


def agents_in(session: Session, scope: Iterable[str]) -> list[tuple[Agent, User, list[str]]]:
    """Agents with at least one village inside ``scope``, with their account and villages."""
    scope = tuple(scope)
    visible = select(AgentVillage.agent_id).where(scope_filter(AgentVillage.village_code, scope))
    rows = session.execute(
        select(Agent, User).join(User, User.id == Agent.user_id).where(Agent.id.in_(visible)).order_by(User.username)
    ).all()
    villages: dict[int, list[str]] = {}
    ids = [a.id for a, _ in rows]
    if ids:
        for agent_id, code in session.execute(
            select(AgentVillage.agent_id, AgentVillage.village_code)
            .where(AgentVillage.agent_id.in_(ids))
            .order_by(AgentVillage.village_code)
        ):
            villages.setdefault(agent_id, []).append(code)
    return [(a, u, villages.get(a.id, [])) for a, u in rows]


def field_accounts_without_profile(session: Session) -> list[tuple[User, tuple[str, ...]]]:
    """Active field-agent accounts with no agent profile, with their scope prefixes."""
    users = session.scalars(
        select(User)
        .where(User.role == "field_agent", User.is_active.is_(True), ~User.id.in_(select(Agent.user_id)))
        .order_by(User.username)
    ).all()
    scopes: dict[int, list[str]] = {}
    if users:
        rows = session.execute(
            select(UserScope.user_id, UserScope.region_prefix).where(UserScope.user_id.in_([u.id for u in users]))
        )
        for user_id, prefix in rows:
            scopes.setdefault(user_id, []).append(prefix)
    return [(u, tuple(scopes.get(u.id, []))) for u in users]


def last_visit_dates(session: Session, agent_ids: Sequence[int]) -> dict[int, dt.date]:
    """The date of each agent's latest recorded visit."""
    if not agent_ids:
        return {}
    rows = session.execute(
        select(Visit.agent_id, func.max(Visit.visited_on)).where(Visit.agent_id.in_(agent_ids)).group_by(Visit.agent_id)
    )
    return {int(a): d for a, d in rows if d is not None}


def agents_by_username(session: Session) -> dict[str, tuple[Agent, User]]:
    rows = session.execute(select(Agent, User).join(User, User.id == Agent.user_id)).all()
    return {u.username: (a, u) for a, u in rows}


# --- campaigns ---------------------------------------------------------------------------------------------


def campaign(session: Session, campaign_id: int) -> Campaign | None:
    return session.get(Campaign, campaign_id)


def campaigns(session: Session) -> Sequence[Campaign]:
    return session.scalars(select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc())).all()


def campaigns_in(session: Session, scope: Iterable[str], limit: int) -> Sequence[Campaign]:
    """The latest campaigns with at least one target inside ``scope``."""
    with_target = select(Target.campaign_id).where(scope_filter(Target.region_code, tuple(scope)))
    return session.scalars(
        select(Campaign)
        .where(Campaign.id.in_(with_target))
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
        .limit(limit)
    ).all()


def add_targets(session: Session, campaign_id: int, targets: dict[str, int]) -> None:
    if targets:
        session.execute(
            insert(Target), [{"campaign_id": campaign_id, "region_code": c, "target": n} for c, n in targets.items()]
        )


def upsert_targets(session: Session, campaign_id: int, targets: dict[str, int]) -> dict[str, int]:
    """Set ``targets`` on a campaign (insert new regions, update the others); returns the old numbers changed."""
    existing = {
        t.region_code: t
        for t in session.scalars(
            select(Target).where(Target.campaign_id == campaign_id, Target.region_code.in_(list(targets)))
        )
    } if targets else {}  # fmt: skip
    before = {code: t.target for code, t in existing.items() if t.target != targets[code]}
    for code, target in existing.items():
        target.target = targets[code]
    add_targets(session, campaign_id, {c: n for c, n in targets.items() if c not in existing})
    session.flush()
    return before


def targets_of(session: Session, campaign_id: int, scope: Iterable[str]) -> Sequence[Target]:
    return session.scalars(
        select(Target)
        .where(Target.campaign_id == campaign_id, scope_filter(Target.region_code, scope))
        .order_by(Target.region_code)
    ).all()


def active_campaign_targets(session: Session, on: dt.date, regions: Sequence[str]) -> list[tuple[Campaign, Target]]:
    """Targets of campaigns running on ``on`` for the given regions (an agent's villages or their districts)."""
    if not regions:
        return []
    rows = session.execute(
        select(Campaign, Target)
        .join(Target, Target.campaign_id == Campaign.id)
        .where(Campaign.starts_on <= on, Campaign.ends_on >= on, Target.region_code.in_(regions))
        .order_by(Campaign.id, Target.region_code)
    ).all()
    return [(c, t) for c, t in rows]


# --- prospects ---------------------------------------------------------------------------------------------


def prospect_by_key(session: Session, key: str) -> Prospect | None:
    return session.scalars(select(Prospect).where(Prospect.dedupe_key == key)).first()


def prospect_in_scope(session: Session, prospect_id: int, scope: Iterable[str]) -> Prospect | None:
    return session.scalars(
        select(Prospect).where(Prospect.id == prospect_id, scope_filter(Prospect.village_code, scope))
    ).first()


def prospects_by_ids(session: Session, ids: Iterable[int]) -> dict[int, Prospect]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {p.id: p for p in session.scalars(select(Prospect).where(Prospect.id.in_(wanted)))}


def persons_by_ids(session: Session, ids: Iterable[int]) -> dict[int, Person]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}


def work_candidates(session: Session, scope: Iterable[str], limit: int) -> Sequence[Prospect]:
    """Open and interested prospects in scope, follow-ups first, then by village and RT."""
    return session.scalars(
        select(Prospect)
        .where(scope_filter(Prospect.village_code, scope), Prospect.status.in_(("open", "interested")))
        .order_by(
            Prospect.follow_up_on.is_(None),
            Prospect.follow_up_on,
            Prospect.village_code,
            Prospect.rt,
            Prospect.full_name,
            Prospect.id,
        )
        .limit(limit)
    ).all()


def list_prospects(
    session: Session, scope: Iterable[str], page: PageRequest, village: str | None, status: str | None
) -> Page[Prospect]:
    conditions = [scope_filter(Prospect.village_code, scope)]
    if village:
        conditions.append(scope_filter(Prospect.village_code, [village]))
    if status:
        conditions.append(Prospect.status == status)
    total = session.scalar(select(func.count()).select_from(Prospect).where(*conditions)) or 0
    rows = session.scalars(
        select(Prospect)
        .where(*conditions)
        .order_by(Prospect.village_code, Prospect.rt, Prospect.full_name, Prospect.id)
        .offset(page.offset)
        .limit(page.size)
    ).all()
    return Page.of(list(rows), total, page)


def person_id_by_nik(session: Session, nik: str) -> int | None:
    return session.scalar(select(Person.id).where(Person.nik == nik))


def person_ids_by_niks(session: Session, niks: Sequence[str]) -> dict[str, int]:
    if not niks:
        return {}
    return {str(n): int(i) for n, i in session.execute(select(Person.nik, Person.id).where(Person.nik.in_(set(niks))))}


def open_bpu_membership(session: Session, person_id: int) -> int | None:
    return session.scalar(
        select(Membership.id)
        .where(
            Membership.person_id == person_id,
            Membership.status.in_(("pending", "active", "lapsed")),
        )
        .order_by(Membership.id.desc())
        .limit(1)
    )


def lapsed_memberships(session: Session, scope: Iterable[str], limit: int) -> list[tuple[Person, Membership]]:
    """Memberships the funding lapse job marked ``lapsed`` or ``ended``, in scope, by village and RT."""
    rows = session.execute(
        select(Person, Membership)
        .join(Membership, Membership.person_id == Person.id)
        .where(scope_filter(Person.village_code, scope), Membership.status.in_(("lapsed", "ended")))
        .order_by(Person.village_code, Person.rt, Person.full_name, Membership.id)
        .limit(limit)
    ).all()
    return [(p, m) for p, m in rows]


# --- visits ------------------------------------------------------------------------------------------------


def visit_by_client_key(session: Session, key: str) -> Visit | None:
    return session.scalars(select(Visit).where(Visit.client_key == key)).first()


def visits_between(
    session: Session, scope: Iterable[str], first: dt.date, last: dt.date, agent_id: int | None = None
) -> list[tuple[Visit, Prospect, str]]:
    """Visits in the period inside ``scope`` with their prospect and the agent's username."""
    conditions = [scope_filter(Visit.village_code, scope), Visit.visited_on >= first, Visit.visited_on <= last]
    if agent_id is not None:
        conditions.append(Visit.agent_id == agent_id)
    rows = session.execute(
        select(Visit, Prospect, User.username)
        .join(Prospect, Prospect.id == Visit.prospect_id)
        .join(Agent, Agent.id == Visit.agent_id)
        .join(User, User.id == Agent.user_id)
        .where(*conditions)
        .order_by(Visit.visited_on, Visit.id)
    ).all()
    return [(v, p, u) for v, p, u in rows]


# --- events ------------------------------------------------------------------------------------------------


def event_in_scope(session: Session, event_id: int, scope: Iterable[str]) -> Event | None:
    return session.scalars(select(Event).where(Event.id == event_id, scope_filter(Event.region_code, scope))).first()


def events_in(session: Session, scope: Iterable[str], kind: str | None) -> Sequence[Event]:
    conditions = [scope_filter(Event.region_code, scope)]
    if kind:
        conditions.append(Event.kind == kind)
    return session.scalars(select(Event).where(*conditions).order_by(Event.held_on.desc(), Event.id.desc())).all()


def attendance_of(session: Session, event_id: int) -> Sequence[Attendance]:
    return session.scalars(select(Attendance).where(Attendance.event_id == event_id).order_by(Attendance.id)).all()


def registrations_after(session: Session, person_ids: Sequence[int], first: dt.date, last: dt.date) -> set[int]:
    """Which of the persons had a membership starting between ``first`` and ``last``."""
    if not person_ids:
        return set()
    return set(
        session.scalars(
            select(Membership.person_id).where(
                Membership.person_id.in_(person_ids), Membership.start_date >= first, Membership.start_date <= last
            )
        )
    )


# --- partnerships ------------------------------------------------------------------------------------------


def partnership_in_scope(session: Session, partnership_id: int, scope: Iterable[str]) -> Partnership | None:
    return session.scalars(
        select(Partnership).where(Partnership.id == partnership_id, scope_filter(Partnership.region_code, scope))
    ).first()


def partnerships_in(session: Session, scope: Iterable[str]) -> Sequence[Partnership]:
    return session.scalars(
        select(Partnership)
        .where(scope_filter(Partnership.region_code, scope))
        .order_by(Partnership.partner, Partnership.kind.desc(), Partnership.id)
    ).all()


def documents_of(session: Session, partnership_ids: Sequence[int]) -> dict[int, list[PartnershipDocument]]:
    out: dict[int, list[PartnershipDocument]] = {pid: [] for pid in partnership_ids}
    if partnership_ids:
        for doc in session.scalars(
            select(PartnershipDocument)
            .where(PartnershipDocument.partnership_id.in_(partnership_ids))
            .order_by(PartnershipDocument.id)
        ):
            out[doc.partnership_id].append(doc)
    return out


def document(session: Session, document_id: int) -> PartnershipDocument | None:
    return session.get(PartnershipDocument, document_id)


def followups_due_by_agent(session: Session, day: dt.date) -> list[tuple[int, int, str, int]]:
    """Active agents (active account too) with open or interested prospects in their villages whose follow-up is
    due on or before ``day`` (the "follow-ups due" of today's work): ``(agent id, user id, first village, count)``."""
    rows = session.execute(
        select(Agent.id, Agent.user_id, func.min(AgentVillage.village_code), func.count(func.distinct(Prospect.id)))
        .join(User, User.id == Agent.user_id)
        .join(AgentVillage, AgentVillage.agent_id == Agent.id)
        .join(Prospect, Prospect.village_code == AgentVillage.village_code)
        .where(
            Agent.status == "active",
            User.is_active,
            Prospect.status.in_(("open", "interested")),
            Prospect.follow_up_on.is_not(None),
            Prospect.follow_up_on <= day,
        )
        .group_by(Agent.id, Agent.user_id)
        .order_by(Agent.id)
    ).all()
    return [(int(a), int(u), str(v), int(n)) for a, u, v, n in rows]


def full_names(session: Session, user_ids: Sequence[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {u.id: u.full_name for u in session.scalars(select(User).where(User.id.in_(user_ids)))}


def visits_of_person(session: Session, person_id: int, limit: int = 50) -> list[tuple[Visit, str]]:
    """The visits made to a registered person (through any prospect of theirs), newest first, with the agent's
    username."""
    rows = session.execute(
        select(Visit, User.username)
        .join(Prospect, Prospect.id == Visit.prospect_id)
        .join(Agent, Agent.id == Visit.agent_id)
        .join(User, User.id == Agent.user_id)
        .where(Prospect.person_id == person_id)
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
        .limit(limit)
    ).all()
    return [(v, u) for v, u in rows]
