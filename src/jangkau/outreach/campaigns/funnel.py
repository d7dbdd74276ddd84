"""The outreach funnel (visited, interested, registered, paid, still active after 3 months), leaderboards and the
community agent's incentive.

Visits count distinct prospects; registrations are memberships an agent registered (``registered_by`` agent) that
started in the period, grouped by the worker's village (or the registering agent for ``by=agent``/``institution``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.kit.months import Month
from jangkau.outreach import errors as refusals
from jangkau.outreach import repository as repo
from jangkau.outreach.repository import funnel as funnel_sql
from jangkau.outreach.rules.incentive import INCENTIVE_RULE, applies_to, load_rule, monthly_incentive
from jangkau.regions import repository as regions

INTERESTED = ("interested", "registered", "paid")
STAGES = ("visited", "interested", "registered", "paid", "active_3m")


class GroupBy(StrEnum):
    AGENT = "agent"
    VILLAGE = "village"
    DISTRICT = "district"
    INSTITUTION = "institution"


def _district(village: str) -> str:
    return village.rsplit(".", 1)[0]


def funnel(
    session: Session, by: Principal, group: GroupBy, first: dt.date, last: dt.date, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The funnel per agent, village, district or institution, inside the caller's territory.

    Raises:
        InvalidInput: the period ends before it starts.
    """
    if last < first:
        raise refusals.PeriodInvalid()
    agents = repo.agents_by_username(session)
    agent_by_id = {a.id: (a, u) for a, u in agents.values()}
    groups: dict[str, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(STAGES, 0))
    visited: dict[str, set[int]] = defaultdict(set)
    interested: dict[str, set[int]] = defaultdict(set)
    for fact in funnel_sql.visit_facts(session, by.scope, first, last):
        key = _key(group, fact.village_code, agent_by_id.get(fact.agent_id))
        visited[key].add(fact.prospect_id)
        if fact.outcome in INTERESTED:
            interested[key].add(fact.prospect_id)
    for key, ids in visited.items():
        groups[key]["visited"] = len(ids)
        groups[key]["interested"] = len(interested[key])
    for m in funnel_sql.membership_facts(session, by.scope, first, last, agents_only=True):
        key = _key(group, m.village_code, agents.get(m.registered_by or ""))
        groups[key]["registered"] += 1
        groups[key]["paid"] += int(m.first_month_paid)
        groups[key]["active_3m"] += int(m.active_after(3))
    labels = _labels(session, group, list(groups), agents)
    rows = [{"key": k, "label": labels.get(k, k), **v, **_rates(v)} for k, v in groups.items()]
    rows.sort(key=lambda r: (-r["paid"], -r["registered"], -r["visited"], r["key"]))
    return {"by": group.value, "from": first, "to": last, "as_of": as_of, "rows": rows,
            "total": {s: sum(r[s] for r in rows) for s in STAGES}}  # fmt: skip


def _key(group: GroupBy, village: str, agent: tuple[Any, Any] | None) -> str:
    if group is GroupBy.VILLAGE:
        return village
    if group is GroupBy.DISTRICT:
        return _district(village)
    if agent is None:
        return "(tanpa petugas)"
    return str(agent[1].username) if group is GroupBy.AGENT else str(agent[0].institution)


def _rates(stages: dict[str, int]) -> dict[str, float | None]:
    registered = stages["registered"]
    return {
        "paid_rate": round(100 * stages["paid"] / registered, 1) if registered else None,
        "interest_rate": round(100 * stages["interested"] / stages["visited"], 1) if stages["visited"] else None,
    }


def _labels(session: Session, group: GroupBy, keys: list[str], agents: dict[str, tuple[Any, Any]]) -> dict[str, str]:
    if group in (GroupBy.VILLAGE, GroupBy.DISTRICT):
        return regions.names(session, keys)
    if group is GroupBy.AGENT:
        return {k: f"{agents[k][1].full_name} ({agents[k][0].institution})" for k in keys if k in agents}
    return {}


def leaderboard(
    session: Session, by: Principal, group: GroupBy, first: dt.date, last: dt.date, top: int = 20
) -> dict[str, Any]:
    """The funnel rows ranked by paid registrations, then registrations, then visits."""
    result = funnel(session, by, group, first, last)
    ranked = [{"rank": i, **row} for i, row in enumerate(result["rows"][:top], start=1)]
    return {**result, "rows": ranked}


def agent_incentive(session: Session, by: Principal, username: str, month: Month) -> dict[str, Any]:
    """A community agent's incentive for ``month`` from the rule data (UNCONFIRMED, so the answer says so).

    Raises:
        NotFound: no such agent in the caller's territory.
        InvalidInput: the agent is not of a kind the incentive rule covers.
    """
    found = repo.agents_by_username(session).get(username)
    villages = repo.villages_of(session, found[0].id) if found else []
    if found is None or not (by.scope == ("",) or by.username == username or any(by.sees(v) for v in villages)):
        raise refusals.AgentNotFound(username)
    agent, user = found
    rule = load_rule(INCENTIVE_RULE)
    if not applies_to(rule, agent.kind):
        raise refusals.NoIncentiveForKind(agent.kind, rule.ref.id)
    collected = funnel_sql.collected_from_recruits(session, user.username, month)
    new = funnel_sql.new_paid_recruits(session, user.username, month)
    try:
        result = monthly_incentive(month, collected, new)
    except ValueError as exc:
        raise refusals.MonthOutsideRule(str(exc)) from exc
    return {"agent": user.username, "umbrella": agent.umbrella, **result.as_dict()}
