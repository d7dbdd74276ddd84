"""Eligibility and amount of a claim from the ledger: each reason shown to the officer, the itemised benefit from
the rules engine, the heirs' shares and the documents checklist. Pure (the service reads the ledger).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jangkau.claims.errors import EventInFuture, HeirsNotApplicable
from jangkau.claims.rules.amounts import benefit_for
from jangkau.claims.rules.facts import ClaimFacts, Ledger
from jangkau.claims.rules.heirs import HeirAllocation, allocate
from jangkau.claims.rules.kinds import TO_HEIRS
from jangkau.claims.rules.ruledata import DocumentSpec, checklist, heir_rules
from jangkau.i18n import N_, bilingual
from jangkau.kit.money import Rupiah, format_rupiah
from jangkau.kit.months import Month
from jangkau.rules import Benefit, Cover, Program, Segment, Trail, coverage_status

_COVER_NEEDED = frozenset({Program.JKM, Program.JKK})
_SEGMENTS = {"pu": Segment.PU, "bpu": Segment.BPU}


@dataclass(frozen=True)
class Reason:
    """One check: passed (True), failed (False) or for the officer to decide (None)."""

    code: str
    ok: bool | None
    message: str
    message_id: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "ok": self.ok, "message": self.message, "message_id": self.message_id}


@dataclass
class Assessment:
    """Whether the claim is payable, why, how much (itemised), to whom, and the documents it needs."""

    kind: str
    membership_id: int
    contribution_months: int
    reasons: list[Reason]
    benefit: Benefit
    heirs: HeirAllocation | None
    documents: list[DocumentSpec]
    trail: Trail = field(default_factory=Trail)

    @property
    def eligible(self) -> bool | None:
        if any(r.ok is False for r in self.reasons):
            return False
        return None if any(r.ok is None for r in self.reasons) else True

    @property
    def amount(self) -> Rupiah:
        """The benefit's cash total (what is paid if the claim is approved)."""
        return self.benefit.total

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "eligible": self.eligible,
            "membership_id": self.membership_id,
            "contribution_months": self.contribution_months,
            "reasons": [r.as_dict() for r in self.reasons],
            "amount": self.amount,
            "benefit": self.benefit.as_dict(),
            "heirs": None if self.heirs is None else self.heirs.as_dict(),
            "documents": [d.as_dict() for d in self.documents],
            **self.trail.as_dict(),
        }


def refuse_future(facts: ClaimFacts) -> None:
    """Raises InvalidInput when the event date is after the filing date."""
    if facts.event_date > facts.filed_on:
        raise EventInFuture(facts.event_date.isoformat(), facts.filed_on.isoformat())


def _programme(facts: ClaimFacts, ledger: Ledger) -> Reason:
    name = facts.program.value.upper()
    if facts.program is Program.JKP:
        ok = ledger.segment == "pu"
        if ok:
            return Reason("programme", ok, *bilingual(N_("JKP covers wage earners (PU)")))
        text = N_("JKP covers wage earners (PU); this membership is %(segment)s")
        return Reason("programme", ok, *bilingual(text, segment=ledger.segment.upper()))
    ok = facts.program in ledger.programs
    text = N_("the membership includes %(programme)s") if ok else N_("the membership does not include %(programme)s")
    return Reason("programme", ok, *bilingual(text, programme=name))


def _cover(facts: ClaimFacts, ledger: Ledger, trail: Trail) -> Reason:
    segment = _SEGMENTS.get(ledger.segment)
    if segment is None:
        text = N_("no lapse rule on file for %(segment)s: check cover on %(date)s by hand")
        return Reason("cover", None, *bilingual(text, segment=ledger.segment.upper(), date=facts.event_date))
    status = coverage_status(
        segment, Month.of(ledger.start_date), ledger.paid_months, facts.filed_on, event_date=facts.event_date
    )
    trail.merge(status.trail)
    until = status.protected_until.isoformat() if status.protected_until else "-"
    ok = {Cover.COVERED: True, Cover.NOT_COVERED: False}.get(status.event_cover or Cover.UNCONFIRMED)
    text = {
        True: N_("covered on %(date)s: %(note)s (protected until %(until)s)"),
        False: N_("not covered on %(date)s: %(note)s (protected until %(until)s)"),
        None: N_("cover to be decided by the officer on %(date)s: %(note)s (protected until %(until)s)"),
    }[ok]
    params = {"date": facts.event_date.isoformat(), "note": status.event_note, "until": until}
    return Reason("cover", ok, *bilingual(text, **params))


def _months_reason(facts: ClaimFacts, months: int, benefit: Benefit) -> Reason | None:
    if facts.program is Program.JKM:
        scholarship = benefit.details["scholarship"]
        yes = bool(scholarship["eligible"])
        text = (
            N_("%(months)s contribution months: scholarship included (%(rule)s), up to %(max)s")
            if yes
            else N_("%(months)s contribution months: scholarship not included (%(rule)s), up to %(max)s")
        )
        params = {"months": months, "rule": scholarship["rule"], "max": format_rupiah(scholarship["max_total"])}
        return Reason("scholarship", True, *bilingual(text, **params))
    if facts.program is Program.JP:
        text = (
            N_("%(months)s contribution months: monthly pension (180 months for a monthly pension)")
            if months >= 180
            else N_("%(months)s contribution months: lump sum or as if 15 years (180 months for a monthly pension)")
        )
        return Reason("masa_iur", True, *bilingual(text, months=months))
    return None


def assess(facts: ClaimFacts, ledger: Ledger, *, require_heirs: bool = True) -> Assessment:
    """Check a claim against the ledger and compute its amount.

    Args:
        facts: the claim (type, benefit, event date, filing date, heirs and benefit inputs).
        ledger: the membership used and its paid contribution months.
        require_heirs: a death benefit must name its heirs (filing); a quote may leave them out.

    Returns:
        The reasons (each passed, failed or for the officer), the itemised benefit with its rules and
        warnings, the heirs' shares and the documents checklist.

    Raises:
        InvalidInput: an event in the future, heirs outside the legal order, heirs on a benefit not paid to
            heirs, or a missing input the benefit needs.
    """
    refuse_future(facts)
    trail = Trail()
    reasons = [_programme(facts, ledger)]
    if facts.program in _COVER_NEEDED:
        reasons.append(_cover(facts, ledger, trail))
    benefit = benefit_for(facts, ledger)
    trail.merge(benefit.trail)
    months = len(ledger.paid_until(facts.event_date))
    extra = _months_reason(facts, months, benefit)
    reasons += [extra] if extra else []
    if benefit.details.get("claim_deadline"):
        deadline = dt.date.fromisoformat(str(benefit.details["claim_deadline"]))
        reasons.append(
            Reason(
                "deadline",
                facts.filed_on <= deadline,
                f"claim deadline {deadline.isoformat()}; filed {facts.filed_on.isoformat()}",
                f"batas pengajuan {deadline.isoformat()}; diajukan {facts.filed_on.isoformat()}",
            )
        )
    reasons += [Reason("rule", False, r, r) for r in benefit.reasons if "claim filed after" not in r]
    heirs = _heirs(facts, benefit, require_heirs, reasons, trail)
    return Assessment(facts.kind, ledger.membership_id, months, reasons, benefit, heirs, checklist(facts.kind), trail)


def _heirs(
    facts: ClaimFacts, benefit: Benefit, required: bool, reasons: list[Reason], trail: Trail
) -> HeirAllocation | None:
    if (facts.program, facts.benefit) not in TO_HEIRS:
        if facts.heirs:
            raise HeirsNotApplicable(facts.kind)
        return None
    if not facts.heirs and not required:
        reasons.append(Reason("heirs", None, *bilingual(N_("heirs not given yet"))))
        return None
    allocation = allocate(facts.heirs, benefit.items, heir_rules(facts.program.value))
    trail.merge(allocation.trail)
    return allocation
