"""Agents (villages drive the scope, the Perisai deactivation rule) and campaigns (paid registrations count)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.errors import Conflict, InvalidInput
from jangkau.outreach import service
from jangkau.outreach.schemas import AgentIn, AgentStatusIn, CampaignIn
from jangkau.registry.schemas import Registrar

from .conftest import OTHER_VILLAGE, OUTSIDE, VILLAGE, FieldAgent, enrol, make_agent, pay

MANAGER = Principal(user_id=None, username="disnaker", role=Role.REGION_OFFICER, scope=("12.71.01",))


def test_villages_become_the_agents_scope(session: Session, perisai: FieldAgent) -> None:
    assert perisai.principal(session).scope == (VILLAGE, OTHER_VILLAGE)
    service.save_agent(
        session, AgentIn(username="perisai.satu", institution_kind="wadah", institution="Koperasi Maju",
                         villages=[OTHER_VILLAGE]), OPERATOR,
    )  # fmt: skip
    assert perisai.principal(session).scope == (OTHER_VILLAGE,)


def test_bad_villages_are_each_named(session: Session, perisai: FieldAgent) -> None:
    data = AgentIn(username="perisai.satu", institution_kind="wadah", institution="Koperasi Maju",
                   villages=[VILLAGE, "12.71.01.1999", OUTSIDE, "12.71.01"])  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        service.save_agent(session, data, MANAGER)
    messages = {f.field: f.message for f in caught.value.fields}
    assert "does not exist" in messages["villages[1]"]
    assert "outside your territory" in messages["villages[2]"]
    assert "village" in messages["villages[3]"]
    assert "villages[0]" not in messages
    assert perisai.principal(session).scope == (VILLAGE, OTHER_VILLAGE), "nothing changed"


def test_deactivation_rule_cuts_off_an_idle_community_agent(session: Session, perisai: FieldAgent) -> None:
    busy = make_agent(session, "perisai.dua", [VILLAGE])
    for agent in (perisai.agent, busy.agent):
        agent.created_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        agent.status_changed_on = None
    membership = enrol(session, Registrar("agent", "perisai.dua"), dt.date(2025, 5, 3))
    pay(session, membership, [dt.date(2025, 5, 1)], paid_on=dt.date(2025, 5, 3))
    decisions = {d["username"]: d for d in service.review_agents(session, dt.date(2025, 7, 20), OPERATOR)}
    assert decisions["perisai.satu"]["deactivate"] is True
    assert decisions["perisai.satu"]["reactivation_from"] == dt.date(2026, 1, 20)
    assert decisions["perisai.satu"]["rules"][0]["id"] == "perisai_deactivation"
    assert decisions["perisai.dua"]["deactivate"] is False
    assert perisai.principal(session).scope == (), "an inactive agent sees no village"
    early = AgentStatusIn(status="active", reason="kembali", on=dt.date(2025, 12, 1))
    with pytest.raises(Conflict) as caught:
        service.set_agent_status(session, perisai.agent.id, early, OPERATOR)
    assert caught.value.code == "agent_reactivation_wait"
    back = AgentStatusIn(status="active", reason="kembali", on=dt.date(2026, 1, 20))
    service.set_agent_status(session, perisai.agent.id, back, OPERATOR)
    assert perisai.principal(session).scope == (VILLAGE, OTHER_VILLAGE)


def test_campaign_progress_counts_only_paid_registrations(session: Session) -> None:
    campaign = service.create_campaign(
        session,
        CampaignIn(name="1 desa 100 pekerja rentan", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31),
                   regions=["12.71.01"], target_per_region=100),
        MANAGER,
    )  # fmt: skip
    agent = Registrar("agent", "perisai.satu")
    paid = enrol(session, agent, dt.date(2026, 2, 10))
    pay(session, paid, [dt.date(2026, 2, 1)], dt.date(2026, 2, 10))
    enrol(session, agent, dt.date(2026, 2, 11))  # registered, never paid
    late_payer = enrol(session, agent, dt.date(2026, 3, 5))
    pay(session, late_payer, [dt.date(2026, 4, 1)], dt.date(2026, 4, 2))  # first month (March) not paid
    before = enrol(session, agent, dt.date(2025, 12, 1))
    pay(session, before, [dt.date(2025, 12, 1)], dt.date(2025, 12, 1))  # before the campaign
    enrol(session, agent, dt.date(2026, 2, 12), village=OUTSIDE)  # another district
    progress = service.campaign_progress(session, campaign.id, MANAGER)
    village = next(r for r in progress["regions"] if r["region_code"] == VILLAGE)
    assert (village["target"], village["registered"], village["paid"]) == (100, 3, 1)
    assert progress["paid"] == 1
    assert len(progress["regions"]) > 5, "one target per village of the district"


def test_campaign_on_a_region_that_does_not_exist(session: Session) -> None:
    data = CampaignIn(name="X", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30),
                      regions=["12.71.01", "12.71.99"], target_per_region=10)  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        service.create_campaign(session, data, MANAGER)
    assert caught.value.fields[0].field == "regions[1]"
    assert "12.71.99 does not exist" in caught.value.message
