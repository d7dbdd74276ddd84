"""What can be claimed: programme x benefit, who reports a claim, and which benefits are paid to heirs."""

from __future__ import annotations

from enum import StrEnum

from jangkau.claims.errors import BenefitNotOfProgramme, ClaimTypeUnknown
from jangkau.rules import Program


class ClaimBenefit(StrEnum):
    """The benefit asked for, within a programme."""

    DEATH = "death"  # JKM, JKK (death from a work accident)
    MEDICAL = "medical"  # JKK medical care (paid on the provider's invoice, no ceiling)
    TEMPORARY_DISABILITY = "temporary_disability"  # JKK STMB
    PARTIAL_DISABILITY = "partial_disability"
    TOTAL_PERMANENT_DISABILITY = "total_permanent_disability"
    FULL = "full"  # JHT full balance
    PARTIAL_HOUSING = "partial_housing"  # JHT up to 30 %
    PARTIAL_OTHER = "partial_other"  # JHT up to 10 %
    OLD_AGE = "old_age"  # JP
    DISABILITY = "disability"  # JP
    SURVIVOR = "survivor"  # JP widow/widower/child/parent pension
    JOB_LOSS = "job_loss"  # JKP


class ReporterKind(StrEnum):
    """Who reports the claim."""

    WORKER = "worker"
    HEIR = "heir"
    EMPLOYER = "employer"
    AGENT = "agent"  # a field agent on behalf of a family
    OFFICER = "officer"


BENEFITS: dict[Program, tuple[ClaimBenefit, ...]] = {
    Program.JKM: (ClaimBenefit.DEATH,),
    Program.JKK: (
        ClaimBenefit.MEDICAL,
        ClaimBenefit.TEMPORARY_DISABILITY,
        ClaimBenefit.PARTIAL_DISABILITY,
        ClaimBenefit.TOTAL_PERMANENT_DISABILITY,
        ClaimBenefit.DEATH,
    ),
    Program.JHT: (ClaimBenefit.FULL, ClaimBenefit.PARTIAL_HOUSING, ClaimBenefit.PARTIAL_OTHER),
    Program.JP: (ClaimBenefit.OLD_AGE, ClaimBenefit.DISABILITY, ClaimBenefit.SURVIVOR),
    Program.JKP: (ClaimBenefit.JOB_LOSS,),
}

# Benefits paid to heirs in the legal order (the worker has died).
TO_HEIRS: frozenset[tuple[Program, ClaimBenefit]] = frozenset(
    {(Program.JKM, ClaimBenefit.DEATH), (Program.JKK, ClaimBenefit.DEATH), (Program.JP, ClaimBenefit.SURVIVOR)}
)


def default_benefit(program: Program) -> ClaimBenefit:
    """The benefit claimed when none is named (the first of the programme's list)."""
    return BENEFITS[program][0]


def parse_kind(program: str, benefit: str | None) -> tuple[Program, ClaimBenefit]:
    """Read a claim type and benefit, refusing a benefit the programme does not pay.

    Raises:
        InvalidInput: unknown programme, or a benefit that is not one of the programme's.
    """
    try:
        chosen = Program(program.strip().lower())
    except ValueError as exc:
        known = ", ".join(p.value for p in Program)
        raise ClaimTypeUnknown(program, known) from exc
    if not benefit:
        return chosen, default_benefit(chosen)
    allowed = BENEFITS[chosen]
    if benefit not in {b.value for b in allowed}:
        names = ", ".join(b.value for b in allowed)
        raise BenefitNotOfProgramme(chosen.value.upper(), names, benefit)
    return chosen, ClaimBenefit(benefit)


def kind_key(program: Program, benefit: ClaimBenefit) -> str:
    """``jkm.death``: the key of the document checklist and of the claim type shown to people."""
    return f"{program.value}.{benefit.value}"
