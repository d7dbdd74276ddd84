"""Demo outreach: the demo field agents at work in the last months, so the outreach pages and dashboards show some.

The demo agents (Bhabinkamtibmas of Medan Kota, Babinsa of Medan Sunggal, a kepling) get their agent profiles;
a "1 desa 100 pekerja rentan" campaign targets every village of their two districts for the year; each agent
gets prospects among the unregistered working-age people of their villages and visits most of them in the last
five months. About a third of the visits end in a BPU registration by the agent, dated on the visit, which
``demo history`` then bills and pays like any other membership (so run this first). The city also gets a
coverage target for the year. Everything goes through the outreach, registry and reporting services, in one
transaction, with a seeded random generator: the same seed gives the same demo.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.auth import repository as auth_repo
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.demo.users import ensure_demo_users
from jangkau.outreach.fieldwork.service import add_prospects, record_visit
from jangkau.outreach.models import Campaign, Prospect
from jangkau.outreach.schemas import AgentIn, CampaignIn, ProspectIn, VisitIn
from jangkau.outreach.service import create_campaign, save_agent
from jangkau.regions import repository as regions
from jangkau.registry.models import Membership, Person
from jangkau.registry.schemas import MembershipIn, Registrar
from jangkau.registry.service import open_membership
from jangkau.reporting.estimates import set_target


@dataclass(frozen=True)
class DemoAgent:
    username: str
    institution_kind: str
    institution: str
    prospects: int


AGENTS = (
    DemoAgent("bhabin.medankota", "polsek", "Polsek Medan Kota", 60),
    DemoAgent("babinsa.sunggal", "koramil", "Koramil Sunggal", 50),
    DemoAgent("kepling.demo", "kelurahan", "Kelurahan", 15),
)
# outcome of a visit, with its weight: demo assumptions, not measured
OUTCOMES = (("registered", 35), ("interested", 25), ("not_home", 25), ("refused", 15))
VISITED_SHARE = 0.75
MONTHS_BACK = 5
TARGET_PER_VILLAGE = 100  # "1 desa 100 pekerja rentan" (REFERENCE.md §5.2)
COVERAGE_TARGET_SHARE = 0.3  # the city's active-member target for the year: 30 % of the people in the demo


@dataclass
class OutreachReport:
    agents: int = 0
    campaign_id: int | None = None
    village_targets: int = 0
    prospects: int = 0
    visits: int = 0
    registered_by_agents: int = 0
    coverage_target: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def has_outreach(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Campaign)) != 0


def seed_outreach(
    session: Session, region: str = "12.71", seed: int = 1, today: dt.date | None = None
) -> OutreachReport:
    """Agents, a campaign with targets, prospects, visits and registrations by agents in the demo city.

    Without ``demo seed`` first there is no one to visit: the report then counts agents and targets only.
    """
    today = today or dt.date.today()
    rng = random.Random(seed)
    report = OutreachReport()
    ensure_demo_users(session, region)
    agents: list[tuple[DemoAgent, Principal]] = []
    for demo in AGENTS:
        user = auth_repo.user_by_username(session, demo.username)
        if user is None:
            continue
        scope = auth_repo.scope_of(session, user.id)
        villages = [r.code for r in regions.villages_in(session, scope, 500)]
        if not villages:
            continue
        save_agent(session, AgentIn(username=demo.username, institution_kind=demo.institution_kind,
                                    institution=demo.institution, villages=villages), OPERATOR)  # fmt: skip
        agents.append((demo, Principal(user.id, demo.username, Role.FIELD_AGENT, tuple(villages))))
        report.agents += 1
    districts = sorted({code for _demo, agent in agents for code in _districts(agent.scope)})
    if districts:
        campaign = create_campaign(
            session,
            CampaignIn(
                name=f"1 Desa {TARGET_PER_VILLAGE} Pekerja Rentan {today.year}",
                starts_on=dt.date(today.year, 1, 1),
                ends_on=dt.date(today.year, 12, 31),
                regions=districts,
                target_per_region=TARGET_PER_VILLAGE,
                per_village=True,
                note="Kampanye demo (data contoh).",
            ),
            OPERATOR,
        )
        report.campaign_id = campaign.id
        report.village_targets = sum(len(regions.villages_in(session, (d,), 500)) for d in districts)
    for demo, agent in agents:
        _work(session, rng, demo, agent, today, report)
    people = session.scalar(select(func.count()).select_from(Person).where(Person.village_code.like(region + ".%")))
    report.coverage_target = max(10, round((people or 0) * COVERAGE_TARGET_SHARE / 10) * 10)
    set_target(session, OPERATOR, region, today.year, report.coverage_target, "Target demo (data contoh)")
    return report


def _districts(villages: tuple[str, ...]) -> set[str]:
    return {code.rsplit(".", 1)[0] for code in villages}


def _work(
    session: Session, rng: random.Random, demo: DemoAgent, agent: Principal, today: dt.date, report: OutreachReport
) -> None:
    """Prospects among the unregistered working-age people of the agent's villages, and the visits to them."""
    born_after, born_before = today.replace(year=today.year - 59), today.replace(year=today.year - 18)
    registered = select(Membership.person_id)
    candidates = session.scalars(
        select(Person)
        .where(
            Person.village_code.in_(agent.scope),
            Person.id.not_in(registered),
            Person.birth_date.between(born_after, born_before),
        )
        .order_by(Person.id)
        .limit(demo.prospects * 4)
    ).all()
    chosen = sorted(rng.sample(list(candidates), min(demo.prospects, len(candidates))), key=lambda p: p.id)
    added = add_prospects(session, [ProspectIn(person_id=p.id) for p in chosen], "manual")
    report.prospects += added.added
    prospects = _prospects_of(session, [p.id for p in chosen])
    first_day = today - dt.timedelta(days=30 * MONTHS_BACK)
    for person in chosen:
        if person.id not in prospects:
            continue
        visited_on = first_day + dt.timedelta(days=rng.randrange((today - first_day).days - 20))
        prospect = session.get(Prospect, prospects[person.id])
        assert prospect is not None
        prospect.created_at = dt.datetime.combine(  # put on the list a few days before the visit
            visited_on - dt.timedelta(days=rng.randrange(1, 15)), dt.time(9), tzinfo=dt.UTC
        )
        if rng.random() > VISITED_SHARE:
            continue
        outcome = rng.choices([o for o, _w in OUTCOMES], weights=[w for _o, w in OUTCOMES])[0]
        if outcome == "registered":
            open_membership(
                session,
                MembershipIn(
                    person_id=person.id,
                    segment="bpu",
                    programs=["jkk", "jkm"],
                    start_date=visited_on,
                    declared_income=1_000_000,
                ),
                Registrar("agent", demo.username),
            )
            report.registered_by_agents += 1
        follow_up = visited_on + dt.timedelta(days=14) if outcome in ("interested", "not_home") else None
        record_visit(
            session,
            VisitIn(prospect_id=prospects[person.id], visited_on=visited_on, outcome=outcome, follow_up_on=follow_up),
            agent,
            today,
        )
        report.visits += 1


def _prospects_of(session: Session, person_ids: list[int]) -> dict[int, int]:
    rows = session.execute(select(Prospect.person_id, Prospect.id).where(Prospect.person_id.in_(person_ids))).all()
    return {int(person_id): int(prospect_id) for person_id, prospect_id in rows if person_id is not None}
