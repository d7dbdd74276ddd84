"""Which yearly rule tables end soon or have ended (the tables in force: shipped and active versions)."""

from __future__ import annotations

import datetime as dt

from jangkau.ruleadmin.schemas import TableHealthRead
from jangkau.rules.tables import CARRIED_FORWARD_PREFIXES, all_tables

WARN_DAYS = 60


def check(today: dt.date, within: int = WARN_DAYS) -> list[TableHealthRead]:
    """Tables renewed yearly whose last version ends within ``within`` days of ``today``, or already ended."""
    out: list[TableHealthRead] = []
    for rule_id, rule_table in sorted(all_tables().items()):
        ends = rule_table.ends_on()
        if not rule_id.startswith(CARRIED_FORWARD_PREFIXES) or ends is None:
            continue
        days_left = (ends - today).days
        if days_left <= within:
            state = "ended" if days_left < 0 else "ending"
            out.append(TableHealthRead(rule_id=rule_id, ends_on=ends, state=state, days_left=days_left))
    return out
