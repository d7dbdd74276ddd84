"""Claims rules without a database: heirs' order and shares, the workflow table, the SLA clock, eligibility."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jangkau.claims.rules.eligibility import assess
from jangkau.claims.rules.facts import ClaimFacts, Ledger
from jangkau.claims.rules.heirs import Heir, allocate, split
from jangkau.claims.rules.kinds import ClaimBenefit, parse_kind
from jangkau.claims.rules.ruledata import checklist, heir_rules
from jangkau.claims.rules.sla import due_on, late_payment
from jangkau.claims.rules.workflow import Action, ClaimStatus, next_status
from jangkau.errors import Conflict, InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import BenefitItem, Program

JKM_ITEMS = [BenefitItem("lump_sum", "", 20_000_000), BenefitItem("periodic", "", 12_000_000),
             BenefitItem("funeral", "", 10_000_000)]  # fmt: skip


def ledger(first: Month, last: Month, segment: str = "bpu", wage: int = 1_000_000) -> Ledger:
    paid = tuple(first.plus(i) for i in range(last.minus(first) + 1))
    programs = frozenset({Program.JKK, Program.JKM} if segment == "bpu" else set(Program))
    return Ledger(1, segment, programs, first.first_day(), wage, paid, dt.date(1980, 5, 1))


@given(st.integers(0, 500_000_000), st.lists(st.integers(1, 5), min_size=1, max_size=8))
def test_shares_always_add_up_to_the_amount(total: int, weights: list[int]) -> None:
    parts = split(total, weights)
    assert sum(parts) == total
    assert min(parts) >= 0


def test_equal_shares_within_the_first_rank() -> None:
    heirs = [Heir("Siti", "spouse"), Heir("Rina", "child"), Heir("Dodi", "child")]
    allocation = allocate(heirs, JKM_ITEMS)
    assert [s.amount for s in allocation.shares] == [14_000_000, 14_000_000, 14_000_000]
    assert sum(s.share_bp for s in allocation.shares) == 10_000
    assert allocation.rank == 1
    assert any("same rank" in w for w in allocation.trail.warnings)


def test_lower_ranks_and_strangers_are_refused_with_the_reason() -> None:
    with pytest.raises(InvalidInput) as lower:
        allocate([Heir("Ibu", "parent"), Heir("Siti", "spouse")], JKM_ITEMS)
    assert lower.value.fields[0].field == "heirs[0].relationship"
    assert "rank 2" in lower.value.fields[0].message
    with pytest.raises(InvalidInput) as stranger:
        allocate([Heir("Pak RT", "neighbour")], JKM_ITEMS)
    assert "not in the legal order" in stranger.value.message


def test_jp_survivors_follow_pp45_not_the_jkk_order() -> None:
    jp = heir_rules("jp")
    pension = [BenefitItem("monthly", "JP survivor's pension", 1_000_000)]
    with pytest.raises(InvalidInput) as order:  # JKK pays spouse and children together; JP the spouse first
        allocate([Heir("Siti", "spouse"), Heir("Rina", "child")], pension, jp)
    assert "rank 1" in order.value.message
    with pytest.raises(InvalidInput, match="at most 2"):
        allocate([Heir("A", "child"), Heir("B", "child"), Heir("C", "child")], pension, jp)
    with pytest.raises(InvalidInput, match="not in the legal order"):
        allocate([Heir("Adik", "sibling")], pension, jp)
    children = allocate([Heir("A", "child"), Heir("B", "child")], pension, jp)
    assert [s.amount for s in children.shares] == [500_000, 500_000]
    assert children.trail.rules[0].citation.startswith("PP 45/2015 Ps 16")
    assert allocate([Heir("Ibu", "parent")], pension, jp).rank == 3


def test_without_a_will_only_the_funeral_cost_goes_to_who_arranged_it() -> None:
    allocation = allocate([Heir("Pak Lurah", "funeral_arranger")], JKM_ITEMS)
    assert allocation.shares[0].amount == 10_000_000
    assert allocation.to_djs == 32_000_000


def test_the_workflow_refuses_impossible_steps() -> None:
    assert next_status(ClaimStatus.SUBMITTED, Action.COMPLETE_DOCUMENTS) is ClaimStatus.DOCUMENTS_COMPLETE
    assert next_status(ClaimStatus.APPROVED, Action.REJECT) is ClaimStatus.REJECTED
    impossible = [
        (ClaimStatus.SUBMITTED, Action.PAY),
        (ClaimStatus.PAID, Action.REJECT),
        (ClaimStatus.DOCUMENTS_COMPLETE, Action.APPROVE),
        (ClaimStatus.REJECTED, Action.VERIFY),
    ]
    for status, action in impossible:
        with pytest.raises(Conflict) as refused:
            next_status(status, action)
        assert refused.value.code == "transition_refused"


def test_sla_counts_working_days_and_compensation_is_one_percent_a_day() -> None:
    assert due_on(dt.date(2026, 2, 2)) == dt.date(2026, 2, 11)  # Monday + 7 working days
    # over a weekend, cuti bersama (16 Feb) and Chinese New Year (17 Feb)
    assert due_on(dt.date(2026, 2, 6)) == dt.date(2026, 2, 19)
    on_time = late_payment(Program.JKK, 42_000_000, dt.date(2026, 2, 11), dt.date(2026, 2, 11))
    assert (on_time.days_late, on_time.compensation) == (0, 0)
    late = late_payment(Program.JKK, 3_333_333, dt.date(2026, 2, 11), dt.date(2026, 2, 16))
    assert (late.days_late, late.compensation) == (5, 166_667)  # 5 % rounded half up
    assert late.trail.rules[0].citation.startswith("PP 44/2015 Ps 37")
    assert not any("applied to" in w for w in late.trail.warnings)
    assert any(
        "applied to JKM" in w
        for w in late_payment(Program.JKM, 1, dt.date(2026, 1, 1), dt.date(2026, 1, 2)).trail.warnings
    )


def test_claim_types_are_checked() -> None:
    assert parse_kind("JKK", None) == (Program.JKK, ClaimBenefit.MEDICAL)
    with pytest.raises(InvalidInput):
        parse_kind("jkm", "old_age")
    with pytest.raises(InvalidInput):
        parse_kind("bpjs", None)


def test_jkm_scholarship_needs_36_contribution_months() -> None:
    heirs = (Heir("Siti", "spouse"), Heir("Rina", "child"))
    death = dt.date(2026, 1, 20)
    for months, included in ((35, False), (36, True)):
        facts = ClaimFacts(Program.JKM, ClaimBenefit.DEATH, death, dt.date(2026, 2, 2), heirs=heirs)
        result = assess(facts, ledger(Month(2026, 1).plus(1 - months), Month(2026, 1)))
        assert result.eligible is True
        assert result.benefit.details["scholarship"]["eligible"] is included


def test_jkk_claims_lapse_after_five_years_and_future_events_are_refused() -> None:
    member = ledger(Month(2019, 1), Month(2026, 1))
    old = ClaimFacts(Program.JKK, ClaimBenefit.TEMPORARY_DISABILITY, dt.date(2020, 3, 2), dt.date(2026, 2, 2),
                     months_unable=14)  # fmt: skip
    result = assess(old, member)
    assert result.eligible is False
    assert [r.code for r in result.reasons if r.ok is False] == ["deadline"]
    assert result.amount == 12 * 1_000_000 + 2 * 500_000  # STMB 100 % x 12 then 50 %
    future = ClaimFacts(Program.JKK, ClaimBenefit.MEDICAL, dt.date(2026, 3, 1), dt.date(2026, 2, 2))
    with pytest.raises(InvalidInput) as refused:
        assess(future, member)
    assert refused.value.code == "event_in_future"


def test_jkp_needs_twelve_of_twenty_four_months_and_a_wage_earner() -> None:
    facts = ClaimFacts(Program.JKP, ClaimBenefit.JOB_LOSS, dt.date(2025, 12, 31), dt.date(2026, 2, 2), wage=4_000_000)
    assert assess(facts, ledger(Month(2025, 1), Month(2025, 12), segment="pu")).eligible is True
    short = assess(facts, ledger(Month(2025, 2), Month(2025, 12), segment="pu"))
    assert short.eligible is False
    assert any("11 contribution months" in r.message for r in short.reasons)
    informal = assess(facts, ledger(Month(2024, 1), Month(2025, 12), segment="bpu"))
    assert next(r for r in informal.reasons if r.code == "programme").ok is False


def _jht_ledger(first: Month, last: Month, withdrawals: tuple[tuple[Month, int], ...] = ()) -> Ledger:
    paid = tuple(first.plus(i) for i in range(last.minus(first) + 1))
    programs = frozenset({Program.JKK, Program.JKM, Program.JHT})
    return Ledger(1, "pu", programs, first.first_day(), 4_000_000, paid, dt.date(1980, 5, 1),
                  tuple((m, 228_000) for m in paid), withdrawals)  # fmt: skip


def _jht_facts(benefit: ClaimBenefit, on: dt.date, amount: int | None = None) -> ClaimFacts:
    return ClaimFacts(Program.JHT, benefit, on, on, jht_amount=amount)


def test_partial_jht_takes_the_share_of_the_account_and_says_what_it_leaves() -> None:
    ledger = _jht_ledger(Month(2014, 1), Month(2025, 12))
    result = assess(_jht_facts(ClaimBenefit.PARTIAL_HOUSING, dt.date(2026, 1, 20)), ledger)
    details = result.benefit.details
    assert result.amount == details["balance"] * 3 // 10  # 30 % for housing, rounded down [S-PASAL-PP46-22]
    assert details["balance_after"] == details["balance"] - result.amount
    with pytest.raises(InvalidInput, match="the most this partial claim may take"):
        assess(_jht_facts(ClaimBenefit.PARTIAL_HOUSING, dt.date(2026, 1, 20), result.amount + 1), ledger)


def test_partial_jht_before_ten_years_or_a_second_time_is_not_payable() -> None:
    young = assess(
        _jht_facts(ClaimBenefit.PARTIAL_OTHER, dt.date(2026, 1, 20)), _jht_ledger(Month(2020, 1), Month(2025, 12))
    )
    assert young.eligible is False
    second = _jht_ledger(Month(2014, 1), Month(2025, 12), ((Month(2025, 3), 5_000_000),))
    again = assess(_jht_facts(ClaimBenefit.PARTIAL_OTHER, dt.date(2026, 1, 20)), second)
    assert again.eligible is False
    assert again.benefit.schedule[-1]["withdrawals"] == 0  # 2026 itemised; the 2025 withdrawal is in 2025's row
    assert any(y["withdrawals"] == 5_000_000 for y in again.benefit.schedule)


def test_each_checklist_document_cites_its_source_or_says_unconfirmed() -> None:
    for kind in ("jkm.death", "jht.full", "jkp.job_loss", "jp.survivor"):
        for spec in checklist(kind):
            body = spec.as_dict()
            assert body["confirmed"] or body["source"].startswith("UNCONFIRMED"), (kind, spec.code)
    sources = {s.code: s.as_dict()["source"] for s in checklist("jkp.job_loss")}
    assert "S-PTGASI-PP6" in sources["surat_phk"]
    assert sources["ktp"].startswith("UNCONFIRMED")
