"""Perisai rules as data (pure): the community agent's monthly incentive and the deactivation rule.

The figures are in ``data/*.toml`` in the rules engine's format (id, version, validity, citation, status,
open questions); every result names the rule version it used and carries its UNCONFIRMED warnings.
Source: REFERENCE.md §5.1. Imports only the standard library, ``kit`` and the rules engine's vocabulary.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from jangkau.kit.money import Rupiah, apply_bp
from jangkau.kit.months import Month
from jangkau.rules import RuleRef, Status, Trail

INCENTIVE_RULE = "perisai_incentive"
DEACTIVATION_RULE = "perisai_deactivation"


@dataclass(frozen=True)
class OutreachRule:
    """One version of an outreach rule read from its TOML file."""

    ref: RuleRef
    unconfirmed: tuple[str, ...]
    data: dict[str, Any]

    def record(self, trail: Trail) -> None:
        trail.use(self.ref, self.unconfirmed)

    def integer(self, key: str) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{self.ref.id}: {key} must be an integer, got {value!r}")
        return value


@cache
def load_rule(rule_id: str) -> OutreachRule:
    """The rule ``rule_id`` from ``data/<rule_id>.toml`` (read once)."""
    text = (resources.files("jangkau.outreach") / "data" / f"{rule_id}.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    meta = {"id", "version", "title", "valid_from", "valid_to", "citation", "status", "unconfirmed"}
    ref = RuleRef(
        id=str(raw["id"]),
        version=str(raw["version"]),
        valid_from=raw["valid_from"],
        valid_to=raw.get("valid_to"),
        citation=str(raw["citation"]),
        status=Status(raw["status"]),
    )
    return OutreachRule(
        ref, tuple(str(x) for x in raw.get("unconfirmed", [])), {k: v for k, v in raw.items() if k not in meta}
    )


def applies_to(rule: OutreachRule, agent_kind: str) -> bool:
    """Whether the rule covers agents of ``agent_kind`` (Perisai rules: community agents only)."""
    kinds = rule.data.get("agent_kinds", [])
    return isinstance(kinds, list) and agent_kind in kinds


@dataclass
class Incentive:
    """A community agent's incentive for one month and how it splits between the agent and the umbrella."""

    month: Month
    collected: Rupiah
    new_participants: int
    commission: Rupiah
    bonus: Rupiah
    umbrella_share: Rupiah
    trail: Trail = field(default_factory=Trail)

    @property
    def total(self) -> Rupiah:
        return self.commission + self.bonus

    @property
    def agent_share(self) -> Rupiah:
        return self.total - self.umbrella_share

    @property
    def status(self) -> str:
        weakest = Status.CONFIRMED
        for ref in self.trail.rules:
            weakest = weakest.weakest(ref.status)
        return weakest.value

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month),
            "collected": self.collected,
            "new_participants": self.new_participants,
            "commission": self.commission,
            "bonus": self.bonus,
            "total": self.total,
            "umbrella_share": self.umbrella_share,
            "agent_share": self.agent_share,
            "status": self.status,
            **self.trail.as_dict(),
        }


def monthly_incentive(month: Month, collected: Rupiah, new_participants: int) -> Incentive:
    """The incentive for ``month``: commission on ``collected`` plus the bonus at ``new_participants`` >= threshold.

    Args:
        month: the month the contributions were collected in.
        collected: contributions collected from the agent's recruits in that month (whole Rupiah).
        new_participants: recruits acquired in that month.

    Returns:
        The amounts with the rule version used; the rule is UNCONFIRMED, so ``status`` says so.

    Raises:
        ValueError: negative inputs, or a month before the rule's ``valid_from``.
    """
    if collected < 0 or new_participants < 0:
        raise ValueError("collected and new_participants must not be negative")
    rule = load_rule(INCENTIVE_RULE)
    if month.last_day() < rule.ref.valid_from:
        raise ValueError(f"no {INCENTIVE_RULE} rule before {rule.ref.valid_from.isoformat()}")
    trail = Trail()
    rule.record(trail)
    commission = apply_bp(collected, rule.integer("commission_bp"))
    bonus = rule.integer("bonus_amount") if new_participants >= rule.integer("bonus_min_new") else 0
    umbrella = apply_bp(commission + bonus, Decimal(rule.integer("umbrella_bp")))
    return Incentive(month, collected, new_participants, commission, bonus, umbrella, trail)


@dataclass
class Deactivation:
    """What the deactivation rule says about one agent on one day."""

    deactivate: bool
    idle_since: Month | None
    reactivation_from: dt.date | None
    trail: Trail

    def as_dict(self) -> dict[str, Any]:
        return {
            "deactivate": self.deactivate,
            "idle_since": str(self.idle_since) if self.idle_since else None,
            "reactivation_from": self.reactivation_from,
            **self.trail.as_dict(),
        }


def deactivation_check(as_of: dt.date, active_since: dt.date, activity_months: set[Month]) -> Deactivation:
    """Whether an agent with activity (an acquisition or a contribution received) in ``activity_months`` is cut off.

    The ``idle_months`` whole months before ``as_of``'s month are looked at; an agent active for less than that is
    never cut off. Reactivation is possible ``reactivation_wait_months`` after ``as_of``.
    """
    rule = load_rule(DEACTIVATION_RULE)
    trail = Trail()
    rule.record(trail)
    idle = rule.integer("idle_months")
    window = [Month.of(as_of).plus(-i) for i in range(idle, 0, -1)]
    if Month.of(active_since) > window[0] or any(m in activity_months for m in window):
        return Deactivation(False, None, None, trail)
    wait = rule.integer("reactivation_wait_months")
    back = Month.of(as_of).plus(wait)
    return Deactivation(True, window[0], back.day(as_of.day), trail)


def termination_reasons() -> tuple[str, ...]:
    """Reasons that end an agent's partnership at once (fraud, crime, gratification)."""
    reasons = load_rule(DEACTIVATION_RULE).data.get("termination_reasons", [])
    return tuple(str(r) for r in reasons)
