"""Claims' named refusals: one class per refusal, a stable code, the text written once in English for the catalog."""

from __future__ import annotations

from jangkau.errors import N_, Conflict, FieldError, InvalidInput, NotFound, bilingual
from jangkau.funding.errors import FieldInvalid


def heir_error(field: str, msgid: str, /, **params: object) -> FieldError:
    """One heir's problem (collected into :class:`HeirsNotInOrder`)."""
    return FieldError(field, *bilingual(msgid, **params))


class ClaimNotFound(NotFound):
    """No claim with this reference among the claims the caller may see."""

    def __init__(self, reference: str) -> None:
        super().__init__(*bilingual(N_("No claim %(ref)s"), ref=reference), code="claim_not_found")


class PersonNotFound(NotFound):
    """No person with that NIK among the people the caller may see."""

    def __init__(self) -> None:
        text = N_("No person with that NIK among the people you may see")
        super().__init__(*bilingual(text), code="person_not_found")


class OwnPersonNotFound(NotFound):
    """The signed-in worker's own person record is missing."""

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("No such person")), code="person_not_found")


class NotAWorkerAccount(NotFound):
    """The JHT statement page is for a worker signed in to their own account."""

    def __init__(self) -> None:
        text = N_("The JHT statement page is for a worker signed in to their own account; officers use the API or CLI")
        super().__init__(*bilingual(text), code="no_person")


class AccountNotFound(NotFound):
    """No active account with this user name (``--user`` of the CLI)."""

    def __init__(self, username: str) -> None:
        super().__init__(*bilingual(N_("No active account %(name)s"), name=repr(username)))


class NoMembership(FieldInvalid):
    """The person has no membership: nothing can be claimed."""

    refusal_code = "no_membership"

    def __init__(self) -> None:
        super().__init__("nik", N_("this person has no membership: nothing can be claimed"))


class MembershipNotOfPerson(FieldInvalid):
    """The membership given is not one of the person's."""

    def __init__(self) -> None:
        super().__init__("membership_id", N_("is not a membership of this person"))


class NoJhtMembership(InvalidInput):
    """The person holds no membership with JHT."""

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("This person has no membership with JHT")), code="no_jht")


class YearInFuture(FieldInvalid):
    """The year asked is after the statement date."""

    def __init__(self, year: int) -> None:
        super().__init__("year", N_("is after %(year)s"), year=year)


class EventInFuture(FieldInvalid):
    """The event date is after the filing date."""

    refusal_code = "event_in_future"

    def __init__(self, event: object, today: object) -> None:
        super().__init__("event_date", N_("%(event)s is in the future (today is %(today)s)"), event=event, today=today)


class HeirsNotApplicable(FieldInvalid):
    """The benefit is paid to the participant, not to heirs."""

    refusal_code = "heirs_not_applicable"

    def __init__(self, kind: str) -> None:
        super().__init__("heirs", N_("%(kind)s is paid to the participant, not to heirs"), kind=kind)


class HeirsNotInOrder(InvalidInput):
    """The heirs do not fit the legal order: none listed, an unknown relationship, a lower rank, or too many."""

    NONE = N_("a death benefit needs at least one heir")
    UNKNOWN = N_("%(relationship)s is not in the legal order (known: %(known)s)")
    BELOW = N_(
        "%(name)s (%(relationship)s, rank %(rank)s) cannot receive while an heir of rank %(top)s (%(label)s) is listed"
    )
    TOO_MANY = N_("at most %(most)s heir(s) of rank %(rank)s (%(label)s) receive, %(count)s are listed")

    def __init__(self, errors: list[FieldError]) -> None:
        text = "; ".join(f"{e.field}: {e.message}" for e in errors)
        text_id = "; ".join(f"{e.field}: {e.message_id}" for e in errors)
        english = bilingual(N_("The heirs do not fit the legal order: %(errors)s"), errors=text)[0]
        indonesian = bilingual(N_("The heirs do not fit the legal order: %(errors)s"), errors=text_id)[1]
        super().__init__(english, indonesian, code="heirs_not_in_order", fields=errors)


class ClaimTypeUnknown(FieldInvalid):
    """The claim type is not a programme."""

    def __init__(self, program: str, known: str) -> None:
        super().__init__("type", N_("unknown claim type %(type)s (known: %(known)s)"), type=repr(program), known=known)


class BenefitNotOfProgramme(FieldInvalid):
    """The benefit asked is not one the programme pays."""

    def __init__(self, program: str, names: str, benefit: str) -> None:
        text = N_("%(program)s pays %(names)s; not %(benefit)s")
        super().__init__("benefit", text, program=program, names=names, benefit=repr(benefit))


class WageMissing(FieldInvalid):
    """The benefit is computed on the wage and none is on file."""

    def __init__(self) -> None:
        super().__init__("wage", N_("this benefit is computed on the wage; the membership has none on file, give it"))


class JhtTriggerMissing(FieldInvalid):
    """A full JHT claim needs its reason."""

    def __init__(self) -> None:
        super().__init__("jht_trigger", N_("a full JHT claim needs its reason (age, resignation, phk, death, ...)"))


class JhtAmountTooHigh(FieldInvalid):
    """A partial JHT claim asks more than the allowed share."""

    def __init__(self, asked: int, allowed: int) -> None:
        text = N_("asks Rp%(asked)s; the most this partial claim may take is Rp%(allowed)s")
        super().__init__("jht_amount", text, asked=f"{asked:,}", allowed=f"{allowed:,}")


class JhtPartialRefused(InvalidInput):
    """A partial JHT claim the rules do not allow (under 10 years of membership, or a second one)."""

    def __init__(self, why: str, why_id: str) -> None:
        msgid = N_("A partial JHT claim is not allowed: %(why)s")
        english, indonesian = bilingual(msgid, why=why)[0], bilingual(msgid, why=why_id)[1]
        super().__init__(english, indonesian, code="jht_partial_refused")


class DuplicateClaim(Conflict):
    """The same claim (person, type, benefit, event date) is already open or paid (``details``: its reference)."""

    def __init__(self, reference: str | None, status: str) -> None:
        text = N_("This claim was already filed as %(ref)s (%(status)s): same person, type and event date")
        super().__init__(
            *bilingual(text, ref=reference, status=status),
            code="duplicate_claim",
            details={"reference": reference, "status": status},
        )


class TransitionRefused(Conflict):
    """The action is impossible from the claim's status (e.g. paying a claim that was not approved)."""

    def __init__(self, action: str, current: str, needed: str, current_id: str, needed_id: str) -> None:
        msgid = N_("Cannot %(action)s a claim that is %(status)s (it must be: %(needed)s)")
        words = action.replace("_", " ")
        english = bilingual(msgid, action=words, status=current, needed=needed)[0]
        indonesian = bilingual(msgid, action=words, status=current_id, needed=needed_id)[1]
        details = {"status": current, "action": action}
        super().__init__(english, indonesian, code="transition_refused", details=details)


class DocumentNotOnChecklist(FieldInvalid):
    """The document code is not on this claim's checklist."""

    def __init__(self, known: str) -> None:
        super().__init__("code", N_("not on this claim's checklist (%(known)s)"), known=known)


class DateOutOfRange(FieldInvalid):
    """A date outside the window the step allows (e.g. a receipt in the future)."""

    RECEIVED = N_("must be between filing and today")
    REQUESTED = N_("must be between complete documents and today")
    ARRIVED = N_("must be between the request and today")
    PAID = N_("must be between %(complete)s (documents complete) and today")
    HELD = N_("is before the payment")

    def __init__(self, field: str, msgid: str, /, **params: object) -> None:
        super().__init__(field, msgid, **params)


class ClaimDecided(Conflict):
    """The claim is already decided (paid or rejected)."""

    def __init__(self, reference: str | None, status: str) -> None:
        super().__init__(*bilingual(N_("Claim %(ref)s is %(status)s"), ref=reference, status=status))


class ClockNotRunning(Conflict):
    """The service-level clock of the claim is not running."""

    def __init__(self, reference: str | None, status: str) -> None:
        text = N_("The service-level clock of %(ref)s is not running (%(status)s)")
        super().__init__(*bilingual(text, ref=reference, status=status), code="clock_not_running")


class NoClock(Conflict):
    """The claim has no service-level clock (its documents are not complete)."""

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("The claim has no service-level clock")))


class RequestOpen(Conflict):
    """Documents were already requested and have not arrived."""

    def __init__(self) -> None:
        text = N_("Documents were already requested and have not arrived: record their arrival first")
        super().__init__(*bilingual(text), code="request_open")


class NoOpenRequest(Conflict):
    """No documents are awaited."""

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("No documents are awaited")), code="no_open_request")


class WaitingDocuments(Conflict):
    """Documents asked from the claimant have not arrived: the claim cannot be paid yet."""

    def __init__(self) -> None:
        text = N_("Documents asked from the claimant have not arrived: record their arrival before paying")
        super().__init__(*bilingual(text), code="waiting_documents")


class NotEligible(Conflict):
    """The claim is not payable: it should be rejected."""

    def __init__(self, reference: str | None, why: str, why_id: str) -> None:
        msgid = N_("Claim %(ref)s is not payable: %(why)s. Reject it instead.")
        english, indonesian = (
            bilingual(msgid, ref=reference, why=why)[0],
            bilingual(msgid, ref=reference, why=why_id)[1],
        )
        super().__init__(english, indonesian, code="not_eligible")


class OpenPoints(Conflict):
    """Points the rules leave open are undecided."""

    def __init__(self, points: str, points_id: str) -> None:
        msgid = N_("Decide first: %(points)s")
        english, indonesian = bilingual(msgid, points=points)[0], bilingual(msgid, points=points_id)[1]
        super().__init__(english, indonesian, code="open_points")


class SameOfficer(Conflict):
    """The officer who verified a claim cannot approve it."""

    def __init__(self) -> None:
        text = N_("The officer who verified a claim cannot approve it: another officer must check it")
        super().__init__(*bilingual(text), code="same_officer")


class NotPaid(Conflict):
    """Only a paid benefit can be handed over."""

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("Only a paid benefit can be handed over")), code="not_paid")


class HandoverAmountTooHigh(FieldInvalid):
    """The amount handed over is more than what was paid."""

    def __init__(self, paid: int) -> None:
        super().__init__("amount", N_("is more than the Rp%(paid)s paid"), paid=f"{paid:,}")


class WitnessMissing(FieldInvalid):
    """A handover names at least one witness."""

    def __init__(self) -> None:
        super().__init__("witnesses", N_("name at least one witness"))


class HeirSpecInvalid(FieldInvalid):
    """An heir on the command line is written NAME:RELATIONSHIP[:NIK]."""

    def __init__(self, spec: str) -> None:
        super().__init__("heir", N_("write NAME:RELATIONSHIP[:NIK], not %(spec)s"), spec=repr(spec))


class DateFormatInvalid(FieldInvalid):
    """A date that is not written YYYY-MM-DD."""

    def __init__(self, field: str) -> None:
        super().__init__(field, N_("expected YYYY-MM-DD"))


class FormInvalid(InvalidInput):
    """Some fields of a page's form need fixing."""

    def __init__(self, fields: list[FieldError]) -> None:
        super().__init__(*bilingual(N_("Some fields need fixing")), fields=fields)

    @staticmethod
    def field(name: str, message: str) -> FieldError:
        return FieldError(name, message, bilingual(N_("invalid entry"))[1])


class StepUnknown(FieldInvalid):
    """The page asked for a workflow step that does not exist."""

    def __init__(self) -> None:
        super().__init__("step", N_("unknown step"))
