"""Vocabulary shared by every rule: programmes, segments, evidence status, rule references and the trail.

A :class:`Trail` collects the rule versions a calculation used and the warnings it raised, so that every result
can name its rules, versions, citations and statuses and flag anything UNCONFIRMED.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from jangkau.rules.errors import NoProgramme, UnknownProgramme


class Program(StrEnum):
    """BPJS Ketenagakerjaan programmes."""

    JKK = "jkk"  # Jaminan Kecelakaan Kerja, work accident
    JKM = "jkm"  # Jaminan Kematian, death
    JHT = "jht"  # Jaminan Hari Tua, old-age savings
    JP = "jp"  # Jaminan Pensiun, pension
    JKP = "jkp"  # Jaminan Kehilangan Pekerjaan, job loss


class Segment(StrEnum):
    """Membership segments."""

    PU = "pu"  # Penerima Upah, wage earners
    BPU = "bpu"  # Bukan Penerima Upah, informal / self-employed
    JAKON = "jakon"  # Jasa Konstruksi, construction projects
    PMI = "pmi"  # Pekerja Migran Indonesia, migrant workers


class Status(StrEnum):
    """Strength of the evidence behind a rule (REFERENCE.md, "How to read this file")."""

    CONFIRMED = "confirmed"
    SECONDARY = "secondary"
    DERIVED = "derived"
    UNCONFIRMED = "unconfirmed"

    @property
    def strength(self) -> int:
        return _STRENGTH[self]

    def weakest(self, other: Status) -> Status:
        """The weaker of two statuses (a result is only as strong as its weakest input)."""
        return self if self.strength <= other.strength else other


_STRENGTH = {Status.CONFIRMED: 3, Status.SECONDARY: 2, Status.DERIVED: 1, Status.UNCONFIRMED: 0}


@dataclass(frozen=True)
class RuleRef:
    """Which rule version a result used, and on what evidence."""

    id: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str
    status: Status

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "citation": self.citation,
            "status": self.status.value,
        }


@dataclass
class Trail:
    """Rules used and warnings raised while computing one result (ordered, without duplicates)."""

    rules: list[RuleRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def use(self, ref: RuleRef, notes: tuple[str, ...] = ()) -> None:
        """Record a rule version; an UNCONFIRMED version and each open question in ``notes`` become warnings."""
        if ref not in self.rules:
            self.rules.append(ref)
        if ref.status is Status.UNCONFIRMED and not notes:
            self.warn(f"UNCONFIRMED rule {ref.id} {ref.version} ({ref.citation}): verify before relying on it")
        for note in notes:
            self.warn(f"UNCONFIRMED ({ref.id} {ref.version}): {note}")

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def merge(self, other: Trail) -> None:
        for ref in other.rules:
            if ref not in self.rules:
                self.rules.append(ref)
        for message in other.warnings:
            self.warn(message)

    def as_dict(self) -> dict[str, Any]:
        return {"rules": [r.as_dict() for r in self.rules], "warnings": list(self.warnings)}


@dataclass(frozen=True)
class Finding:
    """Something a person should look at, e.g. a wage under the regional minimum (suspected PDS Upah)."""

    code: str
    message: str
    message_id: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "message_id": self.message_id, **self.details}


def parse_programs(
    values: str | list[str] | tuple[str, ...] | frozenset[Program] | set[Program],
) -> frozenset[Program]:
    """Read programmes from ``"jkk,jkm"`` or a collection of names or :class:`Program` values.

    Raises:
        InvalidInput: an unknown programme name, or none at all.
    """
    items: list[str | Program] = list(values.split(",") if isinstance(values, str) else values)
    out: set[Program] = set()
    for item in items:
        if isinstance(item, Program):
            out.add(item)
            continue
        name = item.strip().lower()
        if not name:
            continue
        try:
            out.add(Program(name))
        except ValueError:
            known = ", ".join(p.value for p in Program)
            raise UnknownProgramme(name, known) from None
    if not out:
        raise NoProgramme()
    return frozenset(out)
