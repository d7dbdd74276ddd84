"""Pure rules: contributions, benefits, lapse and budgets (standard library and ``jangkau.kit`` only).

Import the public API from here; see ``README.md`` beside this file for signatures and conventions.
"""

from jangkau.rules.allocation import Allocation, Reversal, Slot, allocate, allocation_unit, reverse
from jangkau.rules.benefits.common import Benefit, BenefitItem
from jangkau.rules.benefits.jht import JhtTrigger, jht_claim, jht_projection
from jangkau.rules.benefits.jht_account import JhtAccount, JhtYear, MonthlyReturn, jht_account, monthly_returns
from jangkau.rules.benefits.jkk import JkkOutcome, jkk_benefit
from jangkau.rules.benefits.jkm import jkm_benefit
from jangkau.rules.benefits.jkp import jkp_benefit
from jangkau.rules.benefits.jp import JpReason, jp_benefit, pension_age
from jangkau.rules.bpu import BASIC_PACKAGE, IncomeBand, bpu_band, bpu_contribution
from jangkau.rules.budget import BudgetCapacity, BudgetCost, budget_capacity, budget_cost
from jangkau.rules.coverage import Cover, CoverageStatus, MembershipStatus, coverage_status
from jangkau.rules.jakon import jakon_contribution
from jangkau.rules.model import Finding, Program, RuleRef, Segment, Status, Trail, parse_programs
from jangkau.rules.payment import DueDate, LateFine, due_date, late_fine
from jangkau.rules.pmi import Placement, pmi_contribution
from jangkau.rules.pu import jp_wage_cap, pu_contribution
from jangkau.rules.relaxations import BpuSector
from jangkau.rules.results import Contribution, ContributionLine, MonthAmount
from jangkau.rules.wages import MinWage, min_wage, monthly_wage_from_daily

__all__ = [
    "BASIC_PACKAGE",
    "Allocation",
    "Benefit",
    "BenefitItem",
    "BpuSector",
    "BudgetCapacity",
    "BudgetCost",
    "Contribution",
    "ContributionLine",
    "Cover",
    "CoverageStatus",
    "DueDate",
    "Finding",
    "IncomeBand",
    "JhtAccount",
    "JhtTrigger",
    "JhtYear",
    "JkkOutcome",
    "JpReason",
    "LateFine",
    "MembershipStatus",
    "MinWage",
    "MonthAmount",
    "MonthlyReturn",
    "Placement",
    "Program",
    "Reversal",
    "RuleRef",
    "Segment",
    "Slot",
    "Status",
    "Trail",
    "allocate",
    "allocation_unit",
    "bpu_band",
    "bpu_contribution",
    "budget_capacity",
    "budget_cost",
    "coverage_status",
    "due_date",
    "jakon_contribution",
    "jht_account",
    "jht_claim",
    "jht_projection",
    "jkk_benefit",
    "jkm_benefit",
    "jkp_benefit",
    "jp_benefit",
    "jp_wage_cap",
    "late_fine",
    "min_wage",
    "monthly_returns",
    "monthly_wage_from_daily",
    "parse_programs",
    "pension_age",
    "pmi_contribution",
    "pu_contribution",
    "reverse",
]
