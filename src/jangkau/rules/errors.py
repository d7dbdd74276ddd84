"""Named refusals of the pure rules: each names the input field and says what is wrong, in the message catalog.

Every class is an ``InvalidInput`` (HTTP 422, code ``invalid_input``) about one field; the rules raise them instead
of writing the texts at the raise site. ``rules/`` stays pure: this module imports only the kit and the catalogs.
"""

from __future__ import annotations

from jangkau.i18n import N_, bilingual
from jangkau.kit.errors import FieldRefusal


class UnknownBillKind(FieldRefusal):
    """A bill kind without an allocation unit."""

    def __init__(self, kind: str) -> None:
        super().__init__("kind", bilingual(N_("no allocation unit for bill kind %(kind)s"), kind=repr(kind)))


class NotPositive(FieldRefusal):
    """An amount that must be positive is not."""

    def __init__(self, field: str, amount: int) -> None:
        super().__init__(field, bilingual(N_("must be positive, got %(value)s"), value=f"{amount:,}"))


class CreditNegative(FieldRefusal):
    """A payer's credit below zero."""

    def __init__(self, credit: int) -> None:
        super().__init__("credit", bilingual(N_("must not be negative, got %(value)s"), value=f"{credit:,}"))


class ReversalAboveHoldings(FieldRefusal):
    """A reversal larger than what the payer holds."""

    def __init__(self, available: int, amount: int) -> None:
        super().__init__(
            "amount",
            bilingual(
                N_("the payer holds only Rp%(available)s (credit and allocations), cannot reverse Rp%(amount)s"),
                available=f"{available:,}",
                amount=f"{amount:,}",
            ),
        )


class OutOfRange(FieldRefusal):
    """A number outside its allowed range."""

    def __init__(self, field: str, low: object, high: object, value: object) -> None:
        super().__init__(
            field, bilingual(N_("must be between %(low)s and %(high)s, got %(value)s"), low=low, high=high, value=value)
        )


class NoContributions(FieldRefusal):
    """A JHT projection without any contribution month."""

    def __init__(self) -> None:
        super().__init__("contributions", bilingual(N_("give at least one contribution month")))


class AnnualReturnOutOfRange(FieldRefusal):
    """A JHT yearly return outside 0-30 %."""

    def __init__(self) -> None:
        super().__init__("annual_return", bilingual(N_("must be between 0 and 30 %")))


class UntilBeforeFirstMonth(FieldRefusal):
    """A projection end before the first contribution month."""

    def __init__(self, first: object) -> None:
        super().__init__("until", bilingual(N_("is before the first contribution month %(first)s"), first=first))


class Negative(FieldRefusal):
    """A value that must not be negative is."""

    def __init__(self, field: str) -> None:
        super().__init__(field, bilingual(N_("must not be negative")))


class StartAfterEvent(FieldRefusal):
    """A membership that starts after the event it claims for."""

    def __init__(self) -> None:
        super().__init__("membership_start", bilingual(N_("is after the event date")))


class NegativeAmountInMonth(FieldRefusal):
    """A negative amount in one month of a history."""

    def __init__(self, field: str, month: object) -> None:
        super().__init__(field, bilingual(N_("negative amount in %(month)s"), month=month))


class BirthDateNeeded(FieldRefusal):
    """An age claim without a birth date."""

    def __init__(self) -> None:
        super().__init__("birth_date", bilingual(N_("is needed for an age claim")))


class WithdrawalAboveBalance(FieldRefusal):
    """A JHT withdrawal larger than the balance."""

    def __init__(self, out: int, month: object, balance: int) -> None:
        super().__init__(
            "withdrawals",
            bilingual(
                N_("Rp%(out)s taken in %(month)s is more than the balance Rp%(balance)s"),
                out=f"{out:,}",
                month=month,
                balance=f"{balance:,}",
            ),
        )


class DisabilityPercentMissing(FieldRefusal):
    """A permanent disability without its percentage."""

    def __init__(self) -> None:
        super().__init__(
            "disability_percent",
            bilingual(N_("give the disability percentage from the table (more than 0, at most 100)")),
        )


class NoPensionAge(FieldRefusal):
    """A date before the first pension age on file."""

    def __init__(self, valid_from: object) -> None:
        super().__init__("date", bilingual(N_("no pension age before %(day)s"), day=valid_from))


class NoBpuIncomeBand(FieldRefusal):
    """An income that no BPU band covers."""

    def __init__(self, income: int) -> None:
        super().__init__("income", bilingual(N_("no BPU income band covers Rp%(income)s"), income=f"{income:,}"))


class BpuProgramsNotOpen(FieldRefusal):
    """Programmes that BPU workers cannot join."""

    def __init__(self, names: str) -> None:
        super().__init__("programs", bilingual(N_("BPU workers cannot join %(names)s"), names=names))


class BpuBasicPackageMissing(FieldRefusal):
    """A BPU choice without the basic package (JKK + JKM)."""

    def __init__(self, names: str) -> None:
        super().__init__(
            "programs", bilingual(N_("the BPU basic package needs %(names)s (JKK + JKM; JHT is optional)"), names=names)
        )


class NotOneOf(FieldRefusal):
    """A value that is not one of the allowed ones."""

    def __init__(self, field: str, allowed: object, value: object) -> None:
        super().__init__(
            field, bilingual(N_("must be one of %(allowed)s, got %(value)s"), allowed=allowed, value=value)
        )


class BudgetBpuOnly(FieldRefusal):
    """The budget planner was asked about a segment other than BPU."""

    def __init__(self) -> None:
        super().__init__("segment", bilingual(N_("the budget planner covers BPU packages only")))


class OptionRequired(FieldRefusal):
    """A command-line option that this calculation needs is missing."""

    def __init__(self, field: str) -> None:
        super().__init__(field, bilingual(N_("%(option)s is required here"), option="--" + field.replace("_", "-")))


class NotRupiahAmount(FieldRefusal):
    """Text that is not a Rupiah amount."""

    def __init__(self, field: str, value: str) -> None:
        super().__init__(field, bilingual(N_("%(value)s is not a Rupiah amount"), value=repr(value)))


class MonthFormatInvalid(FieldRefusal):
    """A month that is not YYYY-MM."""

    def __init__(self, field: str, value: object) -> None:
        super().__init__(field, bilingual(N_("expected YYYY-MM, got %(value)s"), value=repr(value)))


class DateFormatInvalid(FieldRefusal):
    """A date that is not YYYY-MM-DD."""

    def __init__(self, field: str, value: object) -> None:
        super().__init__(field, bilingual(N_("expected YYYY-MM-DD, got %(value)s"), value=repr(value)))


class NotKnownValue(FieldRefusal):
    """A value that is not one of the known names."""

    def __init__(self, field: str, value: object, known: str) -> None:
        super().__init__(field, bilingual(N_("%(value)s is not one of %(known)s"), value=repr(value), known=known))


class NotANumber(FieldRefusal):
    """Text that is not a number."""

    def __init__(self, field: str) -> None:
        super().__init__(field, bilingual(N_("not a number")))


class NoLapseRule(FieldRefusal):
    """A segment without a lapse rule on file (Jakon, PMI)."""

    def __init__(self, segment: str) -> None:
        super().__init__("segment", bilingual(N_("no lapse rule on file for %(segment)s"), segment=segment))


class JakonBasisMissing(FieldRefusal):
    """A Jakon contribution without a contract value or wages."""

    def __init__(self) -> None:
        super().__init__("contract_value", bilingual(N_("give either the contract value or the known monthly wages")))


class ContractValueOutOfRange(FieldRefusal):
    """A Jakon contract value outside Rp1 .. the maximum."""

    def __init__(self, maximum: int, value: int) -> None:
        super().__init__(
            "contract_value",
            bilingual(N_("must be between Rp1 and Rp%(max)s, got %(value)s"), max=f"{maximum:,}", value=f"{value:,}"),
        )


class NoProgramme(FieldRefusal):
    """No programme chosen."""

    def __init__(self) -> None:
        super().__init__("programs", bilingual(N_("choose at least one programme")))


class UnknownProgramme(FieldRefusal):
    """A programme name that is not JKK, JKM, JHT, JP or JKP."""

    def __init__(self, name: str, known: str) -> None:
        super().__init__(
            "programs", bilingual(N_("unknown programme %(name)s (known: %(known)s)"), name=repr(name), known=known)
        )


class PaidTooLate(FieldRefusal):
    """A payment date more than 100 years after the due date."""

    def __init__(self) -> None:
        super().__init__("paid_on", bilingual(N_("more than 100 years after the due date")))


class NoPaymentRule(FieldRefusal):
    """A segment without due-date or fine rules (only PU and BPU have them)."""

    def __init__(self, segment: str) -> None:
        super().__init__(
            "segment",
            bilingual(
                N_("no due-date or fine rule on file for segment %(segment)s (only pu and bpu)"), segment=segment
            ),
        )


class AmountDueNegative(FieldRefusal):
    """A negative amount due."""

    def __init__(self, value: int) -> None:
        super().__init__("amount_due", bilingual(N_("must not be negative, got %(value)s"), value=value))


class PmiContractMonthsOutOfRange(FieldRefusal):
    """A PMI contract length outside 1 .. the maximum months."""

    def __init__(self, maximum: int, value: int) -> None:
        super().__init__(
            "contract_months", bilingual(N_("must be 1 to %(max)s months, got %(value)s"), max=maximum, value=value)
        )


class PmiJhtAmountOutOfRange(FieldRefusal):
    """A PMI JHT amount outside its range."""

    def __init__(self, low: int, high: int, value: int) -> None:
        super().__init__(
            "jht_amount",
            bilingual(
                N_("must be between Rp%(low)s and Rp%(high)s, got Rp%(value)s"),
                low=f"{low:,}",
                high=f"{high:,}",
                value=f"{value:,}",
            ),
        )


class RiskGroupOutOfRange(FieldRefusal):
    """A JKK risk group outside 1-5."""

    def __init__(self, value: int) -> None:
        super().__init__(
            "risk_group", bilingual(N_("must be 1 (very low) to 5 (very high), got %(value)s"), value=value)
        )


class WageBasisMissing(FieldRefusal):
    """Neither a monthly nor a daily wage."""

    def __init__(self) -> None:
        super().__init__("wage", bilingual(N_("give either the monthly wage or the daily wage")))


class CapNotPositive(FieldRefusal):
    """A previous JP wage cap that is not positive."""

    def __init__(self) -> None:
        super().__init__("previous_cap", bilingual(N_("must be a positive amount in Rupiah")))


class GrowthImplausible(FieldRefusal):
    """A yearly GDP growth outside the plausible range."""

    def __init__(self, value: object, low: object, high: object) -> None:
        super().__init__(
            "gdp_growth",
            bilingual(
                N_(
                    "%(value)s %% is not a plausible yearly GDP growth (expected %(low)s to %(high)s); check the number"
                ),
                value=value,
                low=low,
                high=high,
            ),
        )


class BoundsNotIncreasing(FieldRefusal):
    """JP benefit bounds that are not positive and increasing."""

    def __init__(self) -> None:
        super().__init__("min", bilingual(N_("the minimum must be positive and below the maximum")))


class InflationImplausible(FieldRefusal):
    """A yearly inflation outside the plausible range."""

    def __init__(self, value: object, low: object, high: object) -> None:
        super().__init__(
            "inflation",
            bilingual(
                N_("%(value)s %% is not a plausible yearly inflation (expected %(low)s to %(high)s); check the number"),
                value=value,
                low=low,
                high=high,
            ),
        )


class NoRuleInForce(FieldRefusal):
    """No version of a rule is in force on the day asked for."""

    def __init__(self, field: str, rule_id: str, day: object, spans: str) -> None:
        super().__init__(
            field,
            bilingual(
                N_("no '%(rule)s' rule is in force on %(day)s (versions on file: %(spans)s)"),
                rule=rule_id,
                day=day,
                spans=spans,
            ),
        )


class WageNotPositive(FieldRefusal):
    """A wage that is not a positive amount."""

    def __init__(self, field: str, value: object) -> None:
        super().__init__(field, bilingual(N_("must be a positive amount in Rupiah, got %(value)s"), value=value))


class WageImplausible(FieldRefusal):
    """A monthly wage above the plausible limit."""

    def __init__(self, field: str, value: int, limit: int) -> None:
        super().__init__(
            field,
            bilingual(
                N_("Rp%(value)s a month is not plausible (limit Rp%(max)s); check the number"),
                value=f"{value:,}",
                max=f"{limit:,}",
            ),
        )


class RegionCodeInvalid(FieldRefusal):
    """Text that is not a Kemendagri region code."""

    def __init__(self, code: str) -> None:
        super().__init__(
            "region", bilingual(N_("%(code)s is not a Kemendagri region code like 12.71"), code=repr(code))
        )


class NoMinimumWageData(FieldRefusal):
    """A province without minimum wage data on file."""

    def __init__(self, province: str) -> None:
        super().__init__(
            "region", bilingual(N_("no minimum wage data on file for province %(province)s"), province=province)
        )
