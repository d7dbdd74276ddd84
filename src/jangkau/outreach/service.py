"""Agents and campaigns: profiles whose villages drive the account's scope, the Perisai rule, targets per region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth import repository as auth_repo
from jangkau.auth.principal import Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.db import outbox
from jangkau.db.base import utcnow
from jangkau.errors import FieldError, InvalidInput, JangkauError
from jangkau.kit.months import Month
from jangkau.notify import consent as notify_consent
from jangkau.notify.addresses import normalise_phone
from jangkau.notify.errors import InvalidAddress
from jangkau.outreach import errors as refusals
from jangkau.outreach import repository as repo
from jangkau.outreach.models import INSTITUTION_KINDS, Agent, Campaign
from jangkau.outreach.repository import funnel as funnel_sql
from jangkau.outreach.rules.incentive import DEACTIVATION_RULE, applies_to, deactivation_check, load_rule
from jangkau.outreach.schemas import AgentIn, AgentRead, AgentRegistrationIn, AgentStatusIn, CampaignIn
from jangkau.regions import repository as regions
from jangkau.regions.codes import Level, parse_region_code
from jangkau.regions.service import require_region


def _village_errors(session: Session, codes: Sequence[str], by: Principal, level: Level | None) -> list[FieldError]:
    """Errors for region codes that are malformed, unknown, at the wrong level or outside the caller's scope."""
    errors: list[FieldError] = []
    for index, text in enumerate(codes):
        name = f"regions[{index}]"
        try:
            code = require_region(session, text, name, level)
        except InvalidInput as exc:
            errors.extend(exc.fields)
            continue
        if not by.sees(code):
            errors.append(refusals.outside_territory(name, code))
    return errors


def save_agent(session: Session, data: AgentIn, by: Principal) -> Agent:
    """Create or update the agent profile of a field-agent account; its villages become the account's scope.

    Raises:
        InvalidInput: unknown account or not a field agent, unknown institution kind, a village that does not exist,
            is not a village, or lies outside the caller's territory (every bad village is named).
    """
    user = repo.user_by_username(session, data.username.strip().lower())
    errors: list[FieldError] = []
    if user is None or user.role != Role.FIELD_AGENT.value:
        errors.append(refusals.unknown_account_field())
    if data.institution_kind not in INSTITUTION_KINDS:
        errors.append(refusals.institution_kind_field(INSTITUTION_KINDS))
    errors += [
        FieldError(e.field.replace("regions", "villages"), e.message, e.message_id)
        for e in _village_errors(session, data.villages, by, Level.VILLAGE)
    ]
    if errors:
        raise refusals.AgentInvalid(errors)
    assert user is not None
    villages = sorted({parse_region_code(v).code for v in data.villages})
    agent = repo.agent_of_user(session, user.id)
    before = None if agent is None else {"villages": repo.villages_of(session, agent.id), "status": agent.status}
    if agent is None:
        agent = Agent(user_id=user.id, kind=user.agent_kind or "community_agent", status="active")
    agent.institution_kind, agent.institution, agent.umbrella = data.institution_kind, data.institution, data.umbrella
    repo.add(session, agent)
    repo.set_villages(session, agent.id, villages)
    _sync_scope(session, agent, villages)
    audit.record(
        session, by, "save", "outreach_agent", agent.id, before=before,
        after={"username": user.username, "villages": villages, "institution": data.institution},
    )  # fmt: skip
    return agent


def register_agent(session: Session, data: AgentRegistrationIn, by: Principal) -> Agent:
    """Register a field agent: make their sign-in account (or take an existing field-agent account of the caller's
    territory) and the agent profile whose villages become the account's scope.

    Raises:
        InvalidInput: a village outside the caller's territory (each named), an unknown institution kind, a new
            account without name, kind or a long enough password, an existing account outside the territory.
        Conflict: a new account whose username is taken.
    """
    username = data.username.strip().lower()
    errors = [
        FieldError(e.field.replace("regions", "villages"), e.message, e.message_id)
        for e in _village_errors(session, data.villages, by, Level.VILLAGE)
    ]
    if data.institution_kind not in INSTITUTION_KINDS:
        errors.append(refusals.institution_kind_field(INSTITUTION_KINDS))
    existing = repo.user_by_username(session, username)
    if data.new_account:
        if not data.full_name:
            errors.append(refusals.agent_name_field())
        if data.agent_kind not in {k.value for k in AgentKind}:
            errors.append(refusals.agent_kind_field())
    elif existing is not None and not _account_inside(session, existing.id, by):
        errors.append(refusals.account_outside_field())
    errors += _phone_errors(data.phone, data.followups_channel)
    if errors:
        raise refusals.AgentInvalid(errors)
    if data.new_account:
        villages = tuple(sorted({parse_region_code(v).code for v in data.villages}))
        create_user(
            session,
            NewUser(username, data.full_name or "", Role.FIELD_AGENT, data.password or "", villages,
                    AgentKind(data.agent_kind or ""), data.institution),
            by,
        )  # fmt: skip
    profile = AgentIn(username=username, institution_kind=data.institution_kind, institution=data.institution,
                      villages=data.villages, umbrella=data.umbrella)  # fmt: skip
    agent = save_agent(session, profile, by)
    if data.phone and data.followups_channel:
        notify_consent.grant_user(
            session, agent.user_id, data.followups_channel, data.phone, notify_consent.Via.AGENT_FORM
        )
    return agent


def _phone_errors(phone: str | None, channel: str | None) -> list[FieldError]:
    """The agent's phone and their consent to the daily list of follow-ups go together (both or neither); the
    phone must be a valid Indonesian mobile number."""
    if not phone and not channel:
        return []
    if not phone:
        return [refusals.phone_needed_field()]
    if not channel:
        return [refusals.channel_needed_field()]
    try:
        normalise_phone(phone)
    except InvalidAddress as exc:
        return [FieldError("phone", f.message, f.message_id) for f in exc.fields]
    return []


def _account_inside(session: Session, user_id: int, by: Principal) -> bool:
    """Whether an account's scope and its agent profile's villages (an inactive agent has an empty scope but keeps
    them) all lie in the caller's territory."""
    agent = repo.agent_of_user(session, user_id)
    places = [*auth_repo.scope_of(session, user_id), *(repo.villages_of(session, agent.id) if agent else [])]
    return all(by.sees(p) for p in places)


def unassigned_accounts(session: Session, by: Principal) -> list[dict[str, str]]:
    """Field-agent accounts of the caller's territory that have no agent profile yet (for the register form)."""
    return [
        {"username": u.username, "full_name": u.full_name, "agent_kind": u.agent_kind or ""}
        for u, scope in repo.field_accounts_without_profile(session)
        if scope and all(by.sees(p) for p in scope)
    ]


def _sync_scope(session: Session, agent: Agent, villages: Sequence[str]) -> None:
    """An active agent sees exactly their villages; an inactive or terminated one sees nothing."""
    auth_repo.set_scope(session, agent.user_id, list(villages) if agent.status == "active" else [])
    session.flush()


def set_agent_status(
    session: Session, agent_id: int, data: AgentStatusIn, by: Principal, today: dt.date | None = None
) -> Agent:
    """Activate, deactivate or terminate an agent (and give or take away their villages' scope).

    Raises:
        NotFound: no such agent in the caller's territory.
        Conflict: reactivating before the wait of the deactivation rule is over, or a terminated agent.
    """
    today = data.on or today or dt.date.today()
    agent = agent_in_scope(session, agent_id, by)
    if data.status == "active" and agent.status == "terminated":
        raise refusals.AgentTerminated()
    if data.status == "active" and agent.reactivation_from and today < agent.reactivation_from:
        raise refusals.AgentReactivationWait(agent.reactivation_from, DEACTIVATION_RULE)
    before = {"status": agent.status}
    agent.status, agent.status_reason, agent.status_changed_on = data.status, data.reason, today
    if data.status == "active":
        agent.reactivation_from = None
    _sync_scope(session, agent, repo.villages_of(session, agent.id))
    audit.record(session, by, "status", "outreach_agent", agent.id, before=before, after=data.model_dump(mode="json"))
    return agent


def agent_in_scope(session: Session, agent_id: int, by: Principal) -> Agent:
    found = repo.agent_with_user(session, agent_id)
    villages = repo.villages_of(session, agent_id) if found else []
    if found is None or not (by.scope == ("",) or any(by.sees(v) for v in villages)):
        raise refusals.AgentNotFound(agent_id)
    return found[0]


def review_agents(session: Session, as_of: dt.date, by: Principal, apply: bool = True) -> list[dict[str, Any]]:
    """Apply the Perisai deactivation rule (data) to every active agent it covers; returns each decision.

    Deactivated agents lose their scope until reactivated; the decision names the rule version used.

    Args:
        apply: ``False`` only says what the rule would do (the page's preview): nothing is changed.
    """
    rule = load_rule(DEACTIVATION_RULE)
    out: list[dict[str, Any]] = []
    for agent, user, _villages in repo.agents_in(session, by.scope):
        if agent.status != "active" or not applies_to(rule, agent.kind):
            continue
        active_since = (agent.status_changed_on or agent.created_at.date()) if agent.created_at else as_of
        months = funnel_sql.activity_months(session, user.username, as_of - dt.timedelta(days=190))
        decision = deactivation_check(as_of, active_since, months)
        if decision.deactivate and apply:
            agent.status, agent.status_changed_on = "inactive", as_of
            agent.status_reason = f"no acquisition or contribution since {decision.idle_since} ({rule.ref.id})"
            agent.reactivation_from = decision.reactivation_from
            _sync_scope(session, agent, [])
            audit.record(session, by, "deactivate", "outreach_agent", agent.id, after=decision.as_dict())
        out.append({"agent_id": agent.id, "username": user.username, "full_name": user.full_name,
                    "last_activity": str(max(months)) if months else None, **decision.as_dict()})  # fmt: skip
    return out


def list_agents(session: Session, by: Principal) -> list[dict[str, Any]]:
    """Agents with a village in the caller's territory, with the date of their last recorded visit."""
    rows = repo.agents_in(session, by.scope)
    last = repo.last_visit_dates(session, [a.id for a, _u, _v in rows])
    return [
        AgentRead.of(a, u.username, u.full_name, v).model_dump() | {"last_visit": last.get(a.id)} for a, u, v in rows
    ]


def import_agents(session: Session, rows: Sequence[dict[str, str]], by: Principal) -> list[dict[str, Any]]:
    """Save many agent profiles (CSV rows: username, institution_kind, institution, villages ``;``-separated).

    Each row is saved on its own savepoint: a bad row gets its message, the others are kept.
    """
    results: list[dict[str, Any]] = []
    for line, row in enumerate(rows, start=2):
        try:
            data = AgentIn(
                username=row.get("username", ""),
                institution_kind=row.get("institution_kind", ""),
                institution=row.get("institution", ""),
                villages=[v for v in (row.get("villages") or "").replace(",", ";").split(";") if v.strip()],
                umbrella=row.get("umbrella") or None,
            )
            with session.begin_nested():
                agent = save_agent(session, data, by)
            results.append({"line": line, "username": data.username, "status": "ok", "agent_id": agent.id})
        except JangkauError as exc:
            results.append({"line": line, "username": row.get("username"), "status": "error", "error": exc.as_dict()})
        except ValueError as exc:  # pydantic validation
            results.append({"line": line, "username": row.get("username"), "status": "error", "error": str(exc)})
    return results


# --- campaigns ---------------------------------------------------------------------------------------------


def create_campaign(session: Session, data: CampaignIn, by: Principal) -> Campaign:
    """Create a campaign with one target per region (or per village inside each region with ``per_village``).

    Raises:
        InvalidInput: an end before the start, or a region that is malformed, does not exist or is outside the
            caller's territory (each one named).
    """
    errors = _village_errors(session, data.regions, by, None)
    if data.ends_on < data.starts_on:
        errors.append(refusals.campaign_dates_field())
    if errors:
        raise refusals.CampaignInvalid(errors)
    targets: dict[str, int] = {}
    for text in data.regions:
        code = parse_region_code(text)
        if data.per_village and code.level is not Level.VILLAGE:
            for village in regions.descendants(session, code.code, Level.VILLAGE.value):
                targets[village.code] = data.target_per_region
        else:
            targets[code.code] = data.target_per_region
    campaign = repo.add(
        session,
        Campaign(
            name=data.name,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            vulnerable_only=data.vulnerable_only,
            note=data.note,
            created_by=by.username,
        ),
    )
    repo.add_targets(session, campaign.id, targets)
    _mark_campaign_regions(session, list(targets), data.starts_on)  # campaign progress on the dashboards
    audit.record(
        session, by, "create", "outreach_campaign", campaign.id, after={"name": data.name, "targets": len(targets)}
    )
    return campaign


def campaign_in_scope(session: Session, campaign_id: int, by: Principal) -> Campaign:
    """A campaign with at least one target inside the caller's territory (or any, for a country-wide caller).

    Raises:
        NotFound: no such campaign, or none of its targets lies in the caller's territory.
    """
    campaign = repo.campaign(session, campaign_id)
    if campaign is None or not (by.scope == ("",) or repo.targets_of(session, campaign.id, by.scope)):
        raise refusals.CampaignNotFound(campaign_id)
    return campaign


def set_targets(
    session: Session, campaign_id: int, targets: Mapping[str, int], by: Principal, per_village: bool = False
) -> int:
    """Set the targets of a campaign: new regions are added, existing ones get the new number.

    Args:
        targets: region code -> target (a positive number of paid registrations).
        per_village: a district or city code sets the same number for every village inside it.

    Returns:
        How many region targets were set.

    Raises:
        NotFound: the campaign is not in the caller's territory.
        InvalidInput: a region that is malformed, unknown or outside the territory, a target under 1 (each named).
    """
    campaign = campaign_in_scope(session, campaign_id, by)
    errors = _village_errors(session, list(targets), by, None)
    errors += [refusals.target_field(code) for code, n in targets.items() if not 1 <= n <= 1_000_000]
    if errors:
        raise refusals.TargetsInvalid(errors)
    wanted: dict[str, int] = {}
    for text, number in targets.items():
        code = parse_region_code(text)
        if per_village and code.level is not Level.VILLAGE:
            wanted.update({v.code: number for v in regions.descendants(session, code.code, Level.VILLAGE.value)})
        else:
            wanted[code.code] = number
    before = repo.upsert_targets(session, campaign.id, wanted)
    _mark_campaign_regions(session, list(wanted), campaign.starts_on)  # campaign progress on the dashboards
    audit.record(session, by, "targets", "outreach_campaign", campaign.id, before={"changed": before},
                 after={"targets": len(wanted), "regions": sorted(wanted)[:50]})  # fmt: skip
    return len(wanted)


def campaign_progress(
    session: Session, campaign_id: int, by: Principal, as_of: dt.date | None = None
) -> dict[str, Any]:
    """Targets of a campaign inside the caller's territory with registrations and paid registrations so far.

    A registration counts once its first contribution month is paid (``funding_paid_month``).

    Raises:
        NotFound: no such campaign.
    """
    campaign = repo.campaign(session, campaign_id)
    if campaign is None:
        raise refusals.CampaignNotFound(campaign_id)
    targets = repo.targets_of(session, campaign.id, by.scope)
    last = min(campaign.ends_on, as_of or campaign.ends_on)
    facts = funnel_sql.membership_facts(
        session, [t.region_code for t in targets], campaign.starts_on, last, vulnerable_only=campaign.vulnerable_only
    )
    names = regions.names(session, [t.region_code for t in targets])
    per_village: dict[str, list[int]] = {}  # village -> [registered, paid]
    for fact in facts:
        counts = per_village.setdefault(fact.village_code, [0, 0])
        counts[0] += 1
        counts[1] += int(fact.first_month_paid)
    rows = []
    for target in targets:
        inside = [
            c for v, c in per_village.items() if v == target.region_code or v.startswith(target.region_code + ".")
        ]
        registered, paid = sum(c[0] for c in inside), sum(c[1] for c in inside)
        rows.append(
            {
                "region_code": target.region_code,
                "region": names.get(target.region_code, ""),
                "target": target.target,
                "registered": registered,
                "paid": paid,
                "percent": round(100 * paid / target.target, 1),
            }
        )
    return {
        "id": campaign.id,
        "name": campaign.name,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "vulnerable_only": campaign.vulnerable_only,
        "target": sum(r["target"] for r in rows),
        "paid": sum(r["paid"] for r in rows),
        "registered": sum(r["registered"] for r in rows),
        "regions": rows,
    }


def my_targets(session: Session, villages: Sequence[str], on: dt.date, by: Principal) -> list[dict[str, Any]]:
    """For an agent's home page: running campaigns with targets on their villages (or their districts)."""
    regions_of_interest = sorted(set(villages) | {v.rsplit(".", 1)[0] for v in villages})
    out = []
    seen: set[int] = set()
    for campaign, _target in repo.active_campaign_targets(session, on, regions_of_interest):
        if campaign.id in seen:
            continue
        seen.add(campaign.id)
        progress = campaign_progress(session, campaign.id, by, as_of=on)
        mine = [r for r in progress["regions"] if r["region_code"] in regions_of_interest]
        out.append({**progress, "regions": mine, "target": sum(r["target"] for r in mine),
                    "paid": sum(r["paid"] for r in mine)})  # fmt: skip
    return out


def _mark_campaign_regions(session: Session, region_codes: Iterable[str], month: Month | dt.date) -> None:
    """Tell reporting (the outbox) that every village of the campaign's regions changed in ``month``, or in the
    current month if that is earlier (a campaign starting next month is refreshed today)."""
    day = month.first_day() if isinstance(month, Month) else month.replace(day=1)
    day = min(day, utcnow().date().replace(day=1))
    villages = regions.villages_in(session, sorted(set(region_codes)), 1_000_000)
    outbox.mark_changed_many(session, [(v.code, day) for v in villages])


def visits_of_person(session: Session, person_id: int) -> list[dict[str, Any]]:
    """The door-to-door visits made to a person, newest first (the person page; the caller decided the person is
    theirs to see)."""
    return [
        {
            "visited_on": visit.visited_on,
            "outcome": visit.outcome,
            "agent": agent,
            "follow_up_on": visit.follow_up_on,
            "note": visit.note,
        }
        for visit, agent in repo.visits_of_person(session, person_id)
    ]


def running_campaigns(session: Session, by: Principal, on: dt.date, limit: int = 5) -> list[dict[str, Any]]:
    """Campaigns running on ``on`` with targets in the caller's territory, with their progress (the home page of a
    region officer; the same figures as ``/outreach``)."""
    out = []
    for campaign in repo.campaigns(session):
        if campaign.starts_on <= on <= campaign.ends_on:
            progress = campaign_progress(session, campaign.id, by, as_of=on)
            if progress["regions"]:
                out.append(progress)
        if len(out) >= limit:
            break
    return out
