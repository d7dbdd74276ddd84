"""The amount of each kind of claim, from the rules engine, chosen by an explicit table keyed by programme."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from jangkau.claims.errors import JhtAmountTooHigh, JhtTriggerMissing, WageMissing
from jangkau.claims.rules.facts import ClaimFacts, Ledger
from jangkau.claims.rules.kinds import ClaimBenefit
from jangkau.kit.money import Rupiah
from jangkau.kit.months import Month
from jangkau.rules import (
    Benefit,
    BenefitItem,
    JhtTrigger,
    JkkOutcome,
    JpReason,
    Program,
    jht_account,
    jht_claim,
    jkk_benefit,
    jkm_benefit,
    jkp_benefit,
    jp_benefit,
)

_JKK_OUTCOME = {
    ClaimBenefit.TEMPORARY_DISABILITY: JkkOutcome.TEMPORARY_DISABILITY,
    ClaimBenefit.PARTIAL_DISABILITY: JkkOutcome.PARTIAL_DISABILITY,
    ClaimBenefit.TOTAL_PERMANENT_DISABILITY: JkkOutcome.TOTAL_PERMANENT_DISABILITY,
    ClaimBenefit.DEATH: JkkOutcome.DEATH,
}
_JP_REASON = {
    ClaimBenefit.OLD_AGE: JpReason.OLD_AGE,
    ClaimBenefit.DISABILITY: JpReason.DISABILITY,
    ClaimBenefit.SURVIVOR: JpReason.DEATH,
}
_JHT_PARTIAL = {
    ClaimBenefit.PARTIAL_HOUSING: JhtTrigger.PARTIAL_HOUSING,
    ClaimBenefit.PARTIAL_OTHER: JhtTrigger.PARTIAL_OTHER,
}


def _wage(facts: ClaimFacts, ledger: Ledger) -> Rupiah:
    wage = facts.wage or ledger.wage
    if not wage:
        raise WageMissing()
    return wage


def membership_months(ledger: Ledger, facts: ClaimFacts) -> int:
    start, end = ledger.start_date, facts.event_date
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - 1 if end.day < start.day else months)


def _jkm(facts: ClaimFacts, ledger: Ledger) -> Benefit:
    children = facts.children
    if children is None:
        children = sum(1 for h in facts.heirs if h.relationship == "child")
    benefit = jkm_benefit(facts.event_date, len(ledger.paid_until(facts.event_date)), children)
    benefit.trail.warn("UNCONFIRMED: the JKM limitation period is not known (REFERENCE 2.3, 7.2); none is applied")
    return benefit


def _jkk(facts: ClaimFacts, ledger: Ledger) -> Benefit:
    wage = _wage(facts, ledger)
    if facts.benefit is not ClaimBenefit.MEDICAL:
        return jkk_benefit(
            facts.event_date,
            wage,
            _JKK_OUTCOME[facts.benefit],
            months_unable=facts.months_unable,
            disability_percent=facts.disability_percent,
            claim_date=facts.filed_on,
        )
    # Medical care has no cash formula: the provider's invoice is paid in full (no ceiling). The rule version and
    # the 5-year claim limit come from the same JKK rule.
    base = jkk_benefit(
        facts.event_date, wage, JkkOutcome.TEMPORARY_DISABILITY, months_unable=1, claim_date=facts.filed_on
    )
    cost = facts.medical_cost or 0
    item = BenefitItem("medical", "Medical care as medically needed (provider invoice, no ceiling)", cost)
    details = {"outcome": "medical", "claim_deadline": base.details["claim_deadline"]}
    if facts.medical_cost is None:
        base.trail.warn("medical care: give the provider's invoice amount to compute what is paid")
    return Benefit(Program.JKK, facts.event_date, [item], base.eligible, list(base.reasons), details, [], base.trail)


def _jht(facts: ClaimFacts, ledger: Ledger) -> Benefit:
    """The JHT claim on the account's balance at the end of the event's month, itemised by year.

    Raises:
        InvalidInput: a full claim without its reason, or a partial claim asking more than the allowed share.
    """
    trigger = _JHT_PARTIAL.get(facts.benefit, facts.jht_trigger)
    if trigger is None:
        raise JhtTriggerMissing()
    month = Month.of(facts.event_date)
    account = jht_account(ledger.jht_paid, month, ledger.jht_withdrawals)
    earlier = sum(1 for m, _a in ledger.jht_withdrawals if m <= month)
    benefit = jht_claim(
        trigger,
        facts.event_date,
        ledger.start_date,
        account.balance,
        birth_date=ledger.birth_date,
        previous_partial_claims=max(facts.previous_partial_claims, earlier),
    )
    benefit.trail.merge(account.trail)
    for note in ledger.jht_notes:
        benefit.trail.warn(note)
    allowed = benefit.total
    if facts.jht_amount is not None and trigger in _JHT_PARTIAL.values():
        if facts.jht_amount > allowed:
            raise JhtAmountTooHigh(facts.jht_amount, allowed)
        benefit.items = [replace(benefit.items[0], amount=facts.jht_amount)]
    benefit.schedule = [y.as_dict() for y in account.years]
    benefit.details.update(
        balance=account.balance,
        balance_month=str(month),
        balance_after=account.balance - benefit.total,
        contributions=account.contributions,
    )
    return benefit


def _jp(facts: ClaimFacts, ledger: Ledger) -> Benefit:
    paid = len(ledger.paid_until(facts.event_date))
    months = membership_months(ledger, facts)
    density = paid * 10_000 // months if months else 0
    benefit = jp_benefit(
        paid,
        _wage(facts, ledger),
        facts.event_date,
        reason=_JP_REASON[facts.benefit],
        membership_months=months,
        density_bp=density,
        accumulated=facts.accumulated,
    )
    benefit.trail.warn("the average indexed wage is approximated by the reported wage on file (wage history not kept)")
    return benefit


def _jkp(facts: ClaimFacts, ledger: Ledger) -> Benefit:
    return jkp_benefit(facts.event_date, _wage(facts, ledger), ledger.paid_months, claim_date=facts.filed_on)


CALCULATORS: dict[Program, Callable[[ClaimFacts, Ledger], Benefit]] = {
    Program.JKM: _jkm,
    Program.JKK: _jkk,
    Program.JHT: _jht,
    Program.JP: _jp,
    Program.JKP: _jkp,
}


def benefit_for(facts: ClaimFacts, ledger: Ledger) -> Benefit:
    """The itemised benefit for the claim, with the rules the engine used.

    Raises:
        InvalidInput: an input the benefit needs is missing or out of range.
    """
    return CALCULATORS[facts.program](facts, ledger)
