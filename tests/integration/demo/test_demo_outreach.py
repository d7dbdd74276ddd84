"""Demo outreach: the demo agents' profiles, a campaign with village targets, prospects, visits and registrations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import sessionmaker
from tests.conftest import build_database

from jangkau.db.uow import unit_of_work
from jangkau.demo.outreach import has_outreach, seed_outreach
from jangkau.demo.seed import seed_demo
from jangkau.outreach.models import Agent, Prospect, Target, Visit
from jangkau.registry.models import Membership
from jangkau.reporting.models import CoverageTarget

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = build_database(request.param, Path(tmp_path_factory.mktemp("outreach")), "demo_outreach")
    seed_demo(sessionmaker(bind=engine, expire_on_commit=False), "12.71", "small", 5)
    return engine


def test_the_demo_agents_work_their_villages(city: Engine) -> None:
    factory = sessionmaker(bind=city, expire_on_commit=False)
    with unit_of_work(factory) as session:
        assert not has_outreach(session)
        report = seed_outreach(session, "12.71", 1, TODAY)
    with unit_of_work(factory) as session:
        assert has_outreach(session)
        assert session.scalar(select(func.count()).select_from(Agent)) == report.agents == 3
        targets = session.scalars(select(Target)).all()
        assert {t.target for t in targets} == {100}, "one hundred workers per village"
        assert len(targets) == report.village_targets
        assert session.scalar(select(func.count()).select_from(Prospect)) == report.prospects > 0
        visits = session.scalars(select(Visit)).all()
        assert len(visits) == report.visits > report.prospects // 2
        assert all(TODAY - dt.timedelta(days=151) <= v.visited_on < TODAY for v in visits), "visits are in the past"
        by_agents = session.scalars(select(Membership).where(Membership.registered_by_kind == "agent")).all()
        assert len(by_agents) == report.registered_by_agents > 0
        registered_visits = {v.membership_id for v in visits if v.outcome == "registered"}
        assert registered_visits == {m.id for m in by_agents}, "each registration is linked to its visit"
        target = session.get(CoverageTarget, ("12.71", TODAY.year))
        assert target is not None
        assert target.target_active == report.coverage_target
