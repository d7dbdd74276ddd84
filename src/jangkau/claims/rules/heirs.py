"""Heirs of a death benefit: the legal order (PP 44/2015 Ps 37(5); the JP survivor's pension: PP 45/2015 Ps 16,
``data/heirs_jp.toml``) and each heir's share. Pure.

Only the highest rank present receives, and no more heirs than the rank allows (e.g. two children for JP);
listing a lower-ranked heir beside a higher one is refused, as is a relationship outside the order. The split
inside a rank is data (``data/heirs.toml``, UNCONFIRMED: equal weights). Amounts are split by the largest
remainder, so the shares always add up to the amount paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jangkau.claims.errors import HeirsNotInOrder, heir_error
from jangkau.claims.rules.ruledata import heir_rules
from jangkau.errors import FieldError
from jangkau.kit.money import Rupiah
from jangkau.rules import BenefitItem, Trail
from jangkau.rules.tables import Version


@dataclass(frozen=True)
class Heir:
    """An heir as reported: name, relationship to the worker, NIK if known."""

    full_name: str
    relationship: str
    nik: str | None = None
    birth_date: dt.date | None = None


@dataclass(frozen=True)
class HeirShare:
    heir: Heir
    rank: int
    share_bp: int
    amount: Rupiah

    def as_dict(self) -> dict[str, Any]:
        return {
            "full_name": self.heir.full_name,
            "relationship": self.heir.relationship,
            "nik": self.heir.nik,
            "rank": self.rank,
            "share_bp": self.share_bp,
            "amount": self.amount,
        }


@dataclass
class HeirAllocation:
    """Who receives what: the rank that receives, each heir's share, and what goes to the fund (DJS)."""

    rank: int
    rank_label: str
    shares: list[HeirShare]
    to_djs: Rupiah = 0
    trail: Trail = field(default_factory=Trail)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "rank_label": self.rank_label,
            "shares": [s.as_dict() for s in self.shares],
            "to_djs": self.to_djs,
            **self.trail.as_dict(),
        }


def ranks(version: Version | None = None) -> dict[str, tuple[int, str]]:
    """Relationship -> (rank, label of the rank), from the data."""
    out: dict[str, tuple[int, str]] = {}
    for row in (version or heir_rules()).data["rank"]:
        for relationship in row["relationships"]:
            out[relationship] = (int(row["rank"]), str(row["label"]))
    return out


def split(total: Rupiah, weights: Sequence[int]) -> list[Rupiah]:
    """Split ``total`` in proportion to ``weights`` (largest remainder; ties go to the earlier entry)."""
    whole = sum(weights)
    exact = [total * w for w in weights]
    parts = [e // whole for e in exact]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] % whole), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def _refuse(errors: list[FieldError]) -> HeirsNotInOrder:
    return HeirsNotInOrder(errors)


def _too_many(version: Version, rank: int, label: str, count: int) -> list[FieldError]:
    row = next(r for r in version.data["rank"] if int(r["rank"]) == rank)
    most = row.get("max_heirs")
    if most is None or count <= int(most):
        return []
    return [heir_error("heirs", HeirsNotInOrder.TOO_MANY, most=most, rank=rank, label=label, count=count)]


def check_order(heirs: Sequence[Heir], version: Version | None = None) -> tuple[int, str]:
    """The rank that receives; refuses unknown relationships, heirs ranked below another heir listed, and more
    heirs of the receiving rank than it allows.

    Raises:
        InvalidInput: no heir, a relationship outside the order, an heir of a lower rank than another, too many.
    """
    version = version or heir_rules()
    if not heirs:
        raise _refuse([heir_error("heirs", HeirsNotInOrder.NONE)])
    known = ranks(version)
    unknown = [
        heir_error(
            f"heirs[{i}].relationship",
            HeirsNotInOrder.UNKNOWN,
            relationship=repr(h.relationship),
            known=", ".join(known),
        )
        for i, h in enumerate(heirs)
        if h.relationship not in known
    ]
    if unknown:
        raise _refuse(unknown)
    top = min(known[h.relationship][0] for h in heirs)
    label = next(known[h.relationship][1] for h in heirs if known[h.relationship][0] == top)
    below = [
        heir_error(
            f"heirs[{i}].relationship",
            HeirsNotInOrder.BELOW,
            name=h.full_name,
            relationship=h.relationship,
            rank=known[h.relationship][0],
            top=top,
            label=label,
        )
        for i, h in enumerate(heirs)
        if known[h.relationship][0] != top
    ]
    if below:
        raise _refuse(below)
    too_many = _too_many(version, top, label, len(heirs))
    if too_many:
        raise _refuse(too_many)
    return top, label


def allocate(heirs: Sequence[Heir], items: Sequence[BenefitItem], version: Version | None = None) -> HeirAllocation:
    """Share the cash items of a death benefit among the heirs of the highest rank listed.

    Args:
        heirs: the heirs reported.
        items: the benefit's cash items (from the rules engine).
        version: the order to follow (default PP 44/2015's; ``heir_rules("jp")`` for the JP survivor's pension).

    Returns:
        The receiving rank, each heir's share (basis points and Rupiah) and what goes to the fund (DJS).

    Raises:
        InvalidInput: see :func:`check_order`.
    """
    version = version or heir_rules()
    trail = Trail()
    version.record(trail)
    rank, label = check_order(heirs, version)
    total = sum(item.amount for item in items)
    payable = total
    if rank == int(version.data["funeral_only_rank"]):
        funeral = set(version.data["funeral_items"])
        payable = sum(item.amount for item in items if item.code in funeral)
    weights = [int(version.data["weights"][h.relationship]) for h in heirs]
    amounts = split(payable, weights)
    bps = split(10_000, weights)
    shares = [HeirShare(h, rank, bp, a) for h, bp, a in zip(heirs, bps, amounts, strict=True)]
    return HeirAllocation(rank, label, shares, total - payable, trail)
