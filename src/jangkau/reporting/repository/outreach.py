"""The SQL of the outreach summary: outreach per village and month, rolled up to district ... country, and each
campaign's target and progress per region. Built by the full rebuild, kept fresh by the same outbox refresh.

Definitions are outreach's, not new ones (``outreach/README.md`` "Definitions", ``outreach.funnel_sql``):

- prospects: prospects added (``outreach_prospect.created_at``) in the month, by the prospect's village;
- visited: distinct prospects visited in the month, by the prospect's village (the funnel's "visited");
- registered: memberships an agent registered (``registered_by_kind = 'agent'``) that started in the month, by the
  worker's village; paid: of those, the first contribution month is paid (a ``funding_paid_month`` row on or
  before the start date);
- campaign progress: ``outreach.service.campaign_progress`` itself, as of the day of the rebuild or refresh.

Outreach data is small next to the register (visits and agents' registrations, not every member), so this is plain
SQL on the app database, set-based, one statement per source for the whole window.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, literal, literal_column, select
from sqlalchemy.orm import Session

from jangkau.auth.principal import OPERATOR
from jangkau.funding.models import PaidMonth
from jangkau.kit.months import Month
from jangkau.outreach import service as outreach
from jangkau.outreach.models import Campaign, Prospect, Target, Visit
from jangkau.outreach.repository.funnel import AGENT_KIND
from jangkau.registry.models import Membership, Person
from jangkau.reporting.models import CampaignProgress, OutreachSummary
from jangkau.reporting.repository.summary import CODE_LENGTH, COUNTRY

OUTREACH_MEASURES = ("prospects", "visited", "registered", "paid")
_CHUNK = 500


def _villages(column: object, villages: Sequence[str] | None) -> list[object]:
    """Conditions restricting ``column`` to ``villages`` (one chunk each); ``None``: every village."""
    if villages is None:
        return [literal(True)]
    return [column.in_(villages[i : i + _CHUNK]) for i in range(0, len(villages), _CHUNK)]  # type: ignore[attr-defined]


def village_rows(
    session: Session, first: Month, last: Month, villages: Sequence[str] | None = None
) -> dict[tuple[str, dt.date], dict[str, int]]:
    """Outreach counts per (village, month) in ``first``..``last`` (only villages with some outreach)."""
    start, end = first.first_day(), last.next().first_day()
    out: dict[tuple[str, dt.date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(OUTREACH_MEASURES, 0))
    for condition in _villages(Prospect.village_code, villages):
        # prospects added: created_at is a timestamp (UTC); one count per month keeps it dialect-neutral
        month = first
        while month <= last:
            lo = dt.datetime.combine(month.first_day(), dt.time(), dt.UTC)
            hi = dt.datetime.combine(month.next().first_day(), dt.time(), dt.UTC)
            rows = session.execute(
                select(Prospect.village_code, func.count())
                .where(condition, Prospect.created_at >= lo, Prospect.created_at < hi)  # type: ignore[arg-type]
                .group_by(Prospect.village_code)
            ).all()
            for village, count in rows:
                out[(str(village), month.first_day())]["prospects"] += int(count)
            month = month.next()
        visited = session.execute(
            select(Prospect.village_code, Visit.visited_on, Visit.prospect_id)
            .join(Prospect, Prospect.id == Visit.prospect_id)
            .where(condition, Visit.visited_on >= start, Visit.visited_on < end)  # type: ignore[arg-type]
            .distinct()
        ).all()
        seen: set[tuple[str, dt.date, int]] = set()
        for village, day, prospect in visited:
            key = (str(village), Month.of(day).first_day(), int(prospect))
            if key not in seen:
                seen.add(key)
                out[key[:2]]["visited"] += 1
    first_paid = (
        select(PaidMonth.membership_id)
        .where(PaidMonth.membership_id == Membership.id, PaidMonth.month <= Membership.start_date)
        .exists()
    )
    for condition in _villages(Person.village_code, villages):
        registrations = session.execute(
            select(Person.village_code, Membership.start_date, func.count(), func.sum(case((first_paid, 1), else_=0)))
            .join(Person, Person.id == Membership.person_id)
            .where(
                condition,  # type: ignore[arg-type]
                Membership.registered_by_kind == AGENT_KIND,
                Membership.start_date >= start,
                Membership.start_date < end,
            )
            .group_by(Person.village_code, Membership.start_date)
        ).all()
        for village, day, registered, paid in registrations:
            counts = out[(str(village), Month.of(day).first_day())]
            counts["registered"] += int(registered)
            counts["paid"] += int(paid or 0)
    return dict(out)


def delete_villages(session: Session, first: dt.date, last: dt.date, villages: Sequence[str] | None) -> None:
    months = and_(OutreachSummary.month >= first, OutreachSummary.month <= last)
    if villages is None:
        session.execute(delete(OutreachSummary).where(months))
        return
    for condition in _villages(OutreachSummary.region_code, villages):
        session.execute(delete(OutreachSummary).where(months, condition))  # type: ignore[arg-type]


def write_villages(session: Session, rows: dict[tuple[str, dt.date], dict[str, int]]) -> int:
    values = [
        {"region_code": v, "month": m, "level": 4, "parent_code": v[: CODE_LENGTH[3]], **counts}
        for (v, m), counts in sorted(rows.items())
    ]
    for i in range(0, len(values), 5000):
        session.execute(insert(OutreachSummary), values[i : i + 5000])
    return len(values)


def roll_up(session: Session, first: dt.date, last: dt.date, villages: Sequence[str] | None) -> None:
    """Re-sum districts, regencies, provinces and the country from the level below (only the ancestors of
    ``villages``; ``None``: every region)."""
    o = OutreachSummary
    months = and_(o.month >= first, o.month <= last)
    for level in (3, 2, 1, 0):
        if level == 0:
            codes: list[str] | None = [COUNTRY]
            code: Any = literal_column(f"'{COUNTRY}'")
        else:
            codes = None if villages is None else sorted({v[: CODE_LENGTH[level]] for v in villages})
            code = func.substr(o.region_code, literal_column("1"), literal_column(str(CODE_LENGTH[level])))
        parent: Any = (
            literal(None)
            if level == 0
            else literal(COUNTRY)
            if level == 1
            else func.substr(code, literal_column("1"), literal_column(str(CODE_LENGTH[level - 1])))
        )
        scopes = [literal(True)] if codes is None else [o.region_code.in_(codes[i : i + _CHUNK]) for i in
                                                         range(0, len(codes), _CHUNK)]  # fmt: skip
        for scope in scopes:
            session.execute(delete(o).where(months, o.level == level, scope))
        children = (
            [literal(True)]
            if codes is None or level == 0
            else [code.in_(codes[i : i + _CHUNK]) for i in range(0, len(codes), _CHUNK)]
        )
        for child_scope in children:
            query = (
                select(code, o.month, literal(level), parent, *[func.sum(getattr(o, m)) for m in OUTREACH_MEASURES])
                .where(months, o.level == level + 1, child_scope)
                .group_by(*([o.month] if level == 0 else [code, o.month]))
            )
            columns = ["region_code", "month", "level", "parent_code", *OUTREACH_MEASURES]
            session.execute(insert(o).from_select(columns, query))


def rebuild_outreach(session: Session, first: Month, last: Month, villages: Sequence[str] | None = None) -> int:
    """Recompute the outreach summary of ``villages`` (``None``: all) for ``first``..``last`` and the rollups above."""
    rows = village_rows(session, first, last, villages)
    delete_villages(session, first.first_day(), last.first_day(), villages)
    written = write_villages(session, rows)
    roll_up(session, first.first_day(), last.first_day(), villages)
    return written


# --- campaigns ---------------------------------------------------------------------------------------------


def campaigns_touching(session: Session, first: Month, last: Month, villages: Sequence[str] | None) -> list[int]:
    """Campaigns running in ``first``..``last`` with a target on (or around) one of ``villages`` (``None``: any)."""
    query = select(Campaign.id).where(
        Campaign.starts_on < last.next().first_day(), Campaign.ends_on >= first.first_day()
    )
    ids = [int(i) for i in session.scalars(query.order_by(Campaign.id)).all()]
    if villages is None:
        return ids
    wanted = set(villages) | {v[: CODE_LENGTH[n]] for v in villages for n in (1, 2, 3)}
    hit = set(
        session.scalars(
            select(Target.campaign_id).where(Target.campaign_id.in_(ids or [-1]), Target.region_code.in_(wanted))
        ).all()
    )
    return [i for i in ids if i in hit]


def rebuild_campaigns(session: Session, campaign_ids: Sequence[int], today: dt.date) -> int:
    """Recompute the progress rows of these campaigns (their target regions and every region above) as of today."""
    written = 0
    for campaign_id in campaign_ids:
        session.execute(delete(CampaignProgress).where(CampaignProgress.campaign_id == campaign_id))
        progress = outreach.campaign_progress(session, campaign_id, OPERATOR, as_of=today)
        as_of = min(progress["ends_on"], today)
        rows: dict[str, dict[str, object]] = {}
        for target in progress["regions"]:
            code = str(target["region_code"])
            level = code.count(".") + 1
            ancestors = [(COUNTRY, 0)] + [(code[: CODE_LENGTH[n]], n) for n in range(1, level)]
            for region, lv in [(code, level), *ancestors]:
                row = rows.setdefault(
                    region,
                    {"level": lv, "is_target": False, "target": 0, "registered": 0, "paid": 0},
                )
                row["target"] = int(row["target"]) + int(target["target"])  # type: ignore[call-overload]
                row["registered"] = int(row["registered"]) + int(target["registered"])  # type: ignore[call-overload]
                row["paid"] = int(row["paid"]) + int(target["paid"])  # type: ignore[call-overload]
                if region == code:
                    row["is_target"] = True
        values = [
            {
                "campaign_id": campaign_id,
                "region_code": region,
                "name": progress["name"],
                "starts_on": progress["starts_on"],
                "ends_on": progress["ends_on"],
                "as_of": as_of,
                **row,
            }
            for region, row in sorted(rows.items())
        ]
        if values:
            session.execute(insert(CampaignProgress), values)
        written += len(values)
    return written
