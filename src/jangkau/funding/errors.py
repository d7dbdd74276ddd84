"""Funding's named refusals: one class per refusal, a stable code, the text written once in English for the catalog.

:func:`field_refusal` builds the message pair and the per-field error of a refusal about one input field (claims
and compliance, above funding, use it too).
"""

from __future__ import annotations

from typing import ClassVar

from jangkau.errors import N_, Conflict, FieldError, InvalidInput, JangkauError, NotFound, bilingual


def field_refusal(field: str, msgid: str, /, **params: object) -> tuple[str, str, list[FieldError]]:
    """``(message, message_id, fields)`` of a refusal about one field: both messages name the field."""
    english, indonesian = bilingual(msgid, **params)
    return f"{field}: {english}", f"{field}: {indonesian}", [FieldError(field, english, indonesian)]


class FieldInvalid(InvalidInput):
    """One input field breaks a rule (the message names the field and says why)."""

    refusal_code: ClassVar[str] = "invalid_input"

    def __init__(self, field: str, msgid: str, /, **params: object) -> None:
        message, message_id, fields = field_refusal(field, msgid, **params)
        super().__init__(message, message_id, code=self.refusal_code, fields=fields)


class MonthInvalid(FieldInvalid):
    """A month that is not written YYYY-MM."""

    def __init__(self, field: str, text: str, detail: str) -> None:
        super().__init__(
            field, N_("%(detail)s; write the month as YYYY-MM, not %(value)s"), detail=detail, value=repr(text)
        )


class DateInvalid(FieldInvalid):
    """A date that is not written YYYY-MM-DD."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(field, N_("expected YYYY-MM-DD, got %(value)s"), value=repr(text))


class SponsorNotFound(NotFound):
    """No sponsor with this id."""

    def __init__(self, payer_id: int) -> None:
        super().__init__(*bilingual(N_("No sponsor %(id)s"), id=payer_id), code="sponsor_not_found")


class ProgrammeNotFound(NotFound):
    """No sponsorship programme with this id (or the caller may not read its sponsor)."""

    def __init__(self, programme_id: int) -> None:
        super().__init__(*bilingual(N_("No programme %(id)s"), id=programme_id), code="programme_not_found")


class UserNotFound(NotFound):
    """No user with this name."""

    def __init__(self, username: str) -> None:
        super().__init__(*bilingual(N_("No user %(name)s"), name=repr(username)), code="user_not_found")


class NotASponsorUser(Conflict):
    """Only users with the sponsor role are tied to a sponsor."""

    def __init__(self, username: str, role: str) -> None:
        text = N_("%(user)s has role %(role)s; only sponsor users are tied to a sponsor")
        super().__init__(*bilingual(text, user=username, role=role), code="not_a_sponsor_user")


class MembershipNotFound(NotFound):
    """No membership with this id in the caller's territory."""

    def __init__(self, membership_id: int) -> None:
        super().__init__(*bilingual(N_("No membership %(id)s"), id=membership_id), code="membership_not_found")


class BpuMembershipNotFound(NotFound):
    """No BPU membership with this id."""

    def __init__(self, membership_id: int) -> None:
        super().__init__(*bilingual(N_("No BPU membership %(id)s"), id=membership_id))


class PayerNotFound(NotFound):
    """No payer with this id."""

    def __init__(self, payer_id: int) -> None:
        super().__init__(*bilingual(N_("No payer %(id)s"), id=payer_id), code="payer_not_found")


class BillNotFound(NotFound):
    """No bill with this reference."""

    def __init__(self, reference: str, *, code: str = "bill_not_found") -> None:
        super().__init__(*bilingual(N_("No bill with reference %(ref)s"), ref=reference), code=code)


class PaymentNotFound(NotFound):
    """No payment with this id in the caller's territory."""

    def __init__(self, payment_id: int) -> None:
        super().__init__(*bilingual(N_("No payment %(id)s"), id=payment_id), code="payment_not_found")


class ReversalNotReversible(FieldInvalid):
    """A reversal cannot itself be reversed."""

    def __init__(self) -> None:
        super().__init__("payment_id", N_("a reversal cannot be reversed"))


class PaymentAlreadyReversed(Conflict):
    """The payment was already reversed."""

    def __init__(self, payment_id: int) -> None:
        text = N_("Payment %(id)s was already reversed")
        super().__init__(*bilingual(text, id=payment_id), code="payment_already_reversed")


class SponsorRegionInvalid(FieldInvalid):
    """A sponsor's region is unknown, or missing where the kind of sponsor needs one."""

    UNKNOWN = N_("unknown region %(region)s")
    VILLAGE_NEEDED = N_("a village budget needs the village code")
    REGION_NEEDED = N_("a regional budget needs its region")

    def __init__(self, msgid: str, /, **params: object) -> None:
        super().__init__("region_code", msgid, **params)


class ProgrammeInvalid(InvalidInput):
    """The programme has errors: a package that is not BPU, unknown occupations or ages the wrong way round."""

    NOT_BPU = N_("a BPU package is JKK + JKM, optionally JHT")
    UNKNOWN_OCCUPATIONS = N_("unknown occupations %(names)s")
    AGES = N_("below the minimum age")

    def __init__(self, fields: list[FieldError]) -> None:
        errors = "; ".join(f"{f.field}: {f.message}" for f in fields)
        super().__init__(*bilingual(N_("The programme has errors: %(errors)s"), errors=errors), fields=fields)

    @staticmethod
    def field(name: str, msgid: str, /, **params: object) -> FieldError:
        return FieldError(name, *bilingual(msgid, **params))


class BudgetTooSmall(FieldInvalid):
    """The budget does not cover one worker for the programme's period."""

    def __init__(self, budget: int, months: int) -> None:
        text = N_("Rp%(budget)s does not cover one worker for %(months)s months")
        super().__init__("budget", text, budget=f"{budget:,}", months=months)


class ProgrammeEnded(FieldInvalid):
    """The programme has ended."""

    def __init__(self, end: object) -> None:
        super().__init__("programme_id", N_("the programme ended in %(end)s"), end=end)


class CriteriaNotMet(InvalidInput):
    """The worker does not meet the programme's criteria (each failed criterion is named)."""

    def __init__(self, name: str, reasons: str) -> None:
        text = N_("%(name)s does not meet the programme's criteria: %(reasons)s")
        super().__init__(
            *bilingual(text, name=name, reasons=reasons),
            code="criteria_not_met",
            fields=[FieldError("membership_id", reasons)],
        )


class AlreadySponsored(Conflict):
    """The worker is already sponsored for part of the period."""

    def __init__(self, name: str, first: object, end: object) -> None:
        text = N_("%(name)s is already sponsored for part of %(first)s..%(end)s")
        super().__init__(*bilingual(text, name=name, first=first, end=end), code="already_sponsored")


class QuotaFull(Conflict):
    """The programme's quota of workers is full."""

    def __init__(self, quota: int) -> None:
        text = N_("The programme's quota of %(quota)s workers is full")
        super().__init__(*bilingual(text, quota=quota), code="quota_full")


class BudgetExceeded(Conflict):
    """Enrolling would overrun the programme's budget (``details``: cost, remaining, months)."""

    def __init__(self, months: int, cost: int, remaining: int) -> None:
        text = N_("Enrolling would overrun the budget: %(months)s months cost Rp%(cost)s, Rp%(remaining)s is left")
        super().__init__(
            *bilingual(text, months=months, cost=f"{cost:,}", remaining=f"{remaining:,}"),
            code="budget_exceeded",
            details={"cost": cost, "remaining": remaining, "months": months},
        )


class PrepayInvalid(FieldInvalid):
    """BPU prepays 1, 3, 6 or 12 months."""

    def __init__(self) -> None:
        super().__init__("prepay_months", N_("BPU prepays 1, 3, 6 or 12 months"))


class AmountNotPositive(FieldInvalid):
    """A payment's amount must be positive."""

    def __init__(self, amount: int) -> None:
        super().__init__("amount", N_("must be positive, got %(amount)s"), amount=f"{amount:,}")


class CorrectionInvalid(FieldInvalid):
    """A bill correction needs a non-zero amount and a reason."""

    def __init__(self) -> None:
        super().__init__("amount", N_("a correction needs a non-zero amount and a reason"))


class StatementInvalid(InvalidInput):
    """The statement file cannot be read: encoding, spreadsheet, CSV, header, or an empty file."""

    SPREADSHEET = N_("not a readable spreadsheet: %(detail)s")
    NOT_UTF8 = N_("the file is not UTF-8 text (save the statement as CSV UTF-8)")
    CSV = N_("not a readable CSV file (%(detail)s); save it again as CSV UTF-8")
    EMPTY = N_("the file is empty")
    HEADER = N_("wrong header: missing %(missing)s; found %(found)s; expected reference, amount, date")

    def __init__(self, msgid: str, /, **params: object) -> None:
        message, message_id, fields = field_refusal("file", msgid, **params)
        InvalidInput.__init__(self, message, message_id, code="statement_invalid", fields=fields)


class StatementCellInvalid(FieldInvalid):
    """A statement line's amount or date cannot be read."""

    AMOUNT = N_("%(detail)s; the amount cannot be read: %(value)s")
    DATE = N_("%(detail)s; the date cannot be read: %(value)s")

    def __init__(self, field: str, msgid: str, detail: str, cell: str) -> None:
        super().__init__(field, msgid, detail=detail, value=repr(cell))


class InputInvalid(InvalidInput):
    """Input that does not fit the command's schema (each bad field is named)."""

    def __init__(self, fields: list[FieldError]) -> None:
        errors = "; ".join(f"{f.field}: {f.message}" for f in fields)
        super().__init__(*bilingual(N_("Invalid input: %(errors)s"), errors=errors), fields=fields)


class BillOutsideTerritory(FieldInvalid):
    """The bill is for workers outside the caller's territory (another office records it)."""

    def __init__(self, reference: str) -> None:
        super().__init__("reference", N_("bill %(ref)s is outside your territory"), ref=reference)


class PaymentFormInvalid(InvalidInput):
    """A page form about money has errors (each bad field is named, with what to type instead)."""

    REQUIRED = N_("required")
    AMOUNT = N_("write a whole Rupiah amount, e.g. 150.000")
    AMOUNT_POSITIVE = N_("must be more than zero")
    DATE = N_("write the date as DD/MM/YYYY, e.g. 4/12/2026")
    FUTURE = N_("cannot be in the future")
    CHANNEL = N_("choose a channel from the list")
    NO_BILL = N_("no bill with this reference")
    NO_MEMBER = N_("no member with this NIK in your territory")
    NO_MEMBER_BILL = N_("this member has no bill yet")
    TRANSACTION_SEEN = N_("this transaction was already recorded")
    WHOLE_NUMBER = N_("write a whole number")
    KIND = N_("choose a kind of sponsor from the list")
    MONTH = N_("write the month as YYYY-MM, e.g. 2026-12")
    BUDGET_BELOW_COMMITTED = N_("cannot be less than the Rp%(committed)s already committed")
    QUOTA_BELOW_ENROLLED = N_("cannot be less than the %(enrolled)s workers already enrolled")
    AGE = N_("an age between 0 and 120")
    REGION = N_("%(region)s is outside your territory")
    TOO_LARGE = N_("the file is larger than %(megabytes)s MB")

    def __init__(self, fields: list[FieldError]) -> None:
        english, indonesian = bilingual(N_("Please correct the fields marked below."))
        super().__init__(english, indonesian, code="form_invalid", fields=fields)

    @staticmethod
    def field(name: str, msgid: str, /, **params: object) -> FieldError:
        return FieldError(name, *bilingual(msgid, **params))


class PersonNotInTerritory(NotFound):
    """No person with this id inside the caller's territory."""

    def __init__(self, person_id: int) -> None:
        super().__init__(*bilingual(N_("No person %(id)s"), id=person_id), code="person_not_found")


class StatementNotFound(NotFound):
    """No imported statement with this id."""

    def __init__(self, statement_id: int) -> None:
        super().__init__(*bilingual(N_("No statement %(id)s"), id=statement_id), code="statement_not_found")


class NotProgrammeStaff(JangkauError):
    """Only the programme's staff (officers in its territory) or its sponsor enrol workers into it directly (403);
    anyone else's enrolment charged to it is a request the sponsor's officer decides."""

    status: ClassVar[int] = 403

    def __init__(self, programme: str) -> None:
        text = N_(
            "Only the staff of %(programme)s or its sponsor may enrol workers into it directly; "
            "an enrolment from anyone else waits for the sponsor's approval"
        )
        super().__init__(*bilingual(text, programme=programme), code="not_programme_staff", http_status=403)


class RequestNotFound(NotFound):
    """No sponsorship request with this id (or not one of the caller's programmes)."""

    def __init__(self, request_id: int) -> None:
        super().__init__(*bilingual(N_("No request %(id)s"), id=request_id), code="request_not_found")


class RequestDecided(Conflict):
    """The request was already approved or rejected (a second click, or another officer was first)."""

    def __init__(self, request_id: int, status: str) -> None:
        text = N_("Request %(id)s was already decided (%(status)s)")
        super().__init__(*bilingual(text, id=request_id, status=status), code="request_decided")


class RejectionReasonMissing(FieldInvalid):
    """A rejection tells the requester why: the reason is required."""

    def __init__(self) -> None:
        super().__init__("reason", N_("write the reason the requester will read"))


class ChannelInvalid(FieldInvalid):
    """A payment channel's field breaks a rule (named, with the reason)."""

    REQUIRED = N_("this field is required")
    TOO_LONG = N_("at most %(limit)s characters")
    NOT_A_NUMBER = N_("write a whole number")


class ChannelNotFound(NotFound):
    """No payment channel with this id."""

    def __init__(self, channel_id: int) -> None:
        super().__init__(*bilingual(N_("No payment channel %(id)s"), id=channel_id), code="channel_not_found")
