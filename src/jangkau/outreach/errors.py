"""The outreach domain's named refusals: one class per refusal, with a stable code and its text in the catalog.

Field-level texts (one bad field among several) are built by the ``*_field`` helpers so that a refusal naming
several fields at once (``AgentInvalid``, ``CampaignInvalid``, ...) carries each field's text in both languages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jangkau.errors import N_, Conflict, FieldError, InvalidInput, NotFound, bilingual


def field_error(name: str, text: str, **params: object) -> FieldError:
    """One field's error, its English ``text`` (a catalog msgid) and its Indonesian translation."""
    return FieldError(name, *bilingual(text, **params))


def outside_territory(name: str, code: str) -> FieldError:
    return field_error(name, N_("%(code)s is outside your territory"), code=code)


class _OneField(InvalidInput):
    """A refusal about one input field: ``field: text`` in both languages, with the field named."""

    def __init__(self, name: str, text: str, code: str = "invalid_input", **params: object) -> None:
        error = field_error(name, text, **params)
        super().__init__(f"{name}: {error.message}", f"{name}: {error.message_id}", code=code, fields=[error])


class _Fields(InvalidInput):
    """A refusal naming every bad field at once: ``summary: field: text; field: text``."""

    def __init__(self, summary: str, errors: list[FieldError], code: str, with_fields_id: bool = True) -> None:
        en, idn = bilingual(summary)
        text = "; ".join(f"{e.field}: {e.message}" for e in errors)
        text_id = "; ".join(f"{e.field}: {e.message_id or e.message}" for e in errors)
        super().__init__(f"{en}: {text}", f"{idn}: {text_id}" if with_fields_id else idn, code=code, fields=errors)


# --- agents --------------------------------------------------------------------------------------------------


class AgentInvalid(_Fields):
    """The agent profile or registration has errors (each field named)."""

    code = "agent_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(N_("The agent has errors"), errors, code="agent_invalid")


class AgentNotFound(NotFound):
    """No such agent in the caller's territory."""

    code = "agent_not_found"

    def __init__(self, agent: int | str) -> None:
        super().__init__(*bilingual(N_("No agent %(agent)s"), agent=agent), code="agent_not_found")


class AgentTerminated(Conflict):
    """A terminated agent cannot be reactivated."""

    code = "conflict"

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("A terminated agent cannot be reactivated")), code="conflict")


class AgentReactivationWait(Conflict):
    """The deactivation rule's wait is not over yet."""

    code = "agent_reactivation_wait"

    def __init__(self, reactivation_from: dt.date, rule: str) -> None:
        text = N_("The agent can be reactivated from %(day)s (%(rule)s)")
        super().__init__(*bilingual(text, day=reactivation_from.isoformat(), rule=rule), code="agent_reactivation_wait")


def unknown_account_field() -> FieldError:
    return field_error("username", N_("no field-agent account with this name"))


def institution_kind_field(kinds: tuple[str, ...]) -> FieldError:
    return field_error("institution_kind", N_("one of %(kinds)s"), kinds=", ".join(kinds))


def agent_name_field() -> FieldError:
    return field_error("full_name", N_("the agent's name is needed"))


def agent_kind_field() -> FieldError:
    return field_error("agent_kind", N_("choose the kind of agent"))


def account_outside_field() -> FieldError:
    return field_error("username", N_("this account works outside your territory"))


def phone_needed_field() -> FieldError:
    return field_error("phone", N_("the daily list needs the agent's mobile number"))


def channel_needed_field() -> FieldError:
    return field_error(
        "followups_channel",
        N_("choose WhatsApp or SMS for the daily list (the agent agreed), or leave the phone empty"),
    )


# --- campaigns -----------------------------------------------------------------------------------------------


class CampaignInvalid(_Fields):
    """The campaign has errors: an end before the start, or regions unknown or outside the territory."""

    code = "campaign_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(N_("The campaign has errors"), errors, code="campaign_invalid")


class TargetsInvalid(_Fields):
    """The targets have errors: regions unknown or outside the territory, a target under 1."""

    code = "targets_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(N_("The targets have errors"), errors, code="targets_invalid")


class CampaignNotFound(NotFound):
    """No such campaign, or none of its targets lies in the caller's territory."""

    code = "campaign_not_found"

    def __init__(self, campaign_id: int) -> None:
        super().__init__(*bilingual(N_("No campaign %(id)s"), id=campaign_id), code="campaign_not_found")


def campaign_dates_field() -> FieldError:
    return field_error("ends_on", N_("the campaign ends before it starts"))


def target_field(code: str) -> FieldError:
    return field_error(f"target[{code}]", N_("a target of at least 1"))


# --- prospects and visits ------------------------------------------------------------------------------------


class ProspectSourceInvalid(_OneField):
    """The prospects' source is not manual, lapse or linkage:<list id>."""

    def __init__(self, sources: tuple[str, ...]) -> None:
        super().__init__("source", N_("one of %(sources)s (linkage:<list id>)"), sources=", ".join(sources))


class ProspectPersonNotFound(_OneField):
    """The prospect names a person who is not registered in the caller's territory."""

    def __init__(self, person_id: int) -> None:
        super().__init__("person_id", N_("no person %(id)s"), id=person_id)


class ProspectInvalid(_Fields):
    """A prospect row has errors (name, village, NIK)."""

    code = "prospect_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(N_("Prospect rejected"), errors, code="prospect_invalid", with_fields_id=False)


def prospect_name_field() -> FieldError:
    return field_error("full_name", N_("a name or a person_id is needed"))


def nik_field() -> FieldError:
    return field_error("nik", N_("not a valid NIK"))


def village_needed_field() -> FieldError:
    return field_error("village_code", N_("the village is needed"))


class VillageNotFound(NotFound):
    """The village is not in the caller's territory."""

    code = "not_found"

    def __init__(self, code: str) -> None:
        super().__init__(*bilingual(N_("No village %(code)s in your territory"), code=code), code="not_found")


class NoAgentProfile(InvalidInput):
    """Only a field agent with an agent profile can record visits."""

    code = "no_agent_profile"

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("Only a field agent with an agent profile can record visits")), code="no_agent_profile"
        )


class AgentNotActive(InvalidInput):
    """The caller's agent account is inactive or terminated."""

    code = "agent_not_active"

    def __init__(self, status: str, reason: str | None) -> None:
        en, idn = bilingual(N_("Your agent account is %(status)s: %(reason)s"), status=status, reason=reason or "")
        super().__init__(en.strip(), idn.strip(), code="agent_not_active")


class ClientKeyReused(_OneField):
    """The visit's client_key was used by another agent."""

    code = "client_key_reused"

    def __init__(self) -> None:
        super().__init__("client_key", N_("already used"), code="client_key_reused")


class ProspectOutsideScope(_OneField):
    """The prospect is not in the agent's villages."""

    code = "outside_scope"

    def __init__(self, prospect_id: int) -> None:
        super().__init__(
            "prospect_id", N_("prospect %(id)s is not in your villages"), code="outside_scope", id=prospect_id
        )


class VisitInvalid(InvalidInput):
    """The visit's dates are wrong (in the future, or a follow-up before the visit)."""

    code = "visit_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(*bilingual(N_("The visit has errors")), code="visit_invalid", fields=errors)


def visit_future_field() -> FieldError:
    return field_error("visited_on", N_("the visit date is in the future"))


def follow_up_field() -> FieldError:
    return field_error("follow_up_on", N_("follow-up before the visit"))


class SyncBatchTooLarge(_OneField):
    """More records than one sync batch takes."""

    def __init__(self, most: int) -> None:
        super().__init__("records", N_("at most %(n)s per batch"), n=most)


class RecordInvalid(InvalidInput):
    """A synced record does not have the shape of a visit (the input check's message, in English)."""

    def __init__(self, name: str, message: str) -> None:
        idn = bilingual(N_("invalid entry"))[1]
        super().__init__(f"{name}: {message}", f"{name}: {idn}", fields=[FieldError(name, message, idn)])


# --- funnel and incentive ------------------------------------------------------------------------------------


class PeriodInvalid(_OneField):
    """The period ends before it starts."""

    def __init__(self) -> None:
        super().__init__("to", N_("the period ends before it starts"))


class MonthInvalid(InvalidInput):
    """The month is not YYYY-MM."""

    def __init__(self, message: str) -> None:
        idn = bilingual(N_("month format YYYY-MM"))[1]
        super().__init__(f"month: {message}", f"month: {idn}", fields=[FieldError("month", message, idn)])


class MonthOutsideRule(InvalidInput):
    """The month lies outside the incentive rule's validity."""

    def __init__(self, message: str) -> None:
        idn = bilingual(N_("month outside the rule's validity"))[1]
        super().__init__(f"month: {message}", f"month: {idn}", fields=[FieldError("month", message, idn)])


class NoIncentiveForKind(InvalidInput):
    """The agent's kind gets no incentive under the rule."""

    def __init__(self, kind: str, rule: str) -> None:
        en, idn = bilingual(N_("%(kind)s agents get no incentive under %(rule)s"), kind=kind, rule=rule)
        super().__init__(f"agent: {en}", f"agent: {idn}", fields=[FieldError("agent", en, idn)])


# --- events --------------------------------------------------------------------------------------------------


class EventInvalid(_Fields):
    """The event has errors (region, topics)."""

    code = "event_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(N_("The event has errors"), errors, code="event_invalid", with_fields_id=False)


def topics_field(unknown: list[str], topics: tuple[str, ...]) -> FieldError:
    return field_error("topics", N_("unknown %(unknown)s; use %(topics)s"), unknown=unknown, topics=", ".join(topics))


class EventNotFound(NotFound):
    """No such event in the caller's territory."""

    code = "event_not_found"

    def __init__(self, event_id: int) -> None:
        super().__init__(*bilingual(N_("No event %(id)s"), id=event_id), code="event_not_found")


def attendee_rejected(row: int, text: str, **params: object) -> dict[str, Any]:
    """A rejected attendee row: its index and why, in both languages."""
    message, message_id = bilingual(text, **params)
    return {"row": row, "message": message, "message_id": message_id}


NO_SUCH_AGENT = N_("no agent %(username)s")
ATTENDEE_NEEDS_NAME = N_("username, NIK or name needed")


# --- partnerships --------------------------------------------------------------------------------------------


class PartnershipInvalid(_Fields):
    """The agreement has errors (region, parent MoU, signing date, validity)."""

    code = "partnership_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(N_("The agreement has errors"), errors, code="partnership_invalid", with_fields_id=False)


class PartnershipNotFound(NotFound):
    """No such agreement in the caller's territory."""

    code = "partnership_not_found"

    def __init__(self, partnership_id: int) -> None:
        super().__init__(*bilingual(N_("No partnership %(id)s"), id=partnership_id), code="partnership_not_found")


class SigningDateMissing(InvalidInput):
    """A signed or expired agreement needs its signing date."""

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("signed_on is needed")), fields=[signing_date_field()])


def signing_date_field() -> FieldError:
    return field_error("signed_on", N_("a signed agreement needs its signing date"))


def pks_parent_field() -> FieldError:
    return field_error("parent_id", N_("a PKS follows an MoU: give its id"))


def mou_parent_field() -> FieldError:
    return field_error("parent_id", N_("an MoU has no parent"))


def validity_field() -> FieldError:
    return field_error("valid_to", N_("ends before it starts"))


class DocumentNotFound(NotFound):
    """No such document (or outside the territory, or the file is missing)."""

    code = "document_not_found"

    def __init__(self, document_id: int) -> None:
        super().__init__(*bilingual(N_("No document %(id)s"), id=document_id), code="document_not_found")


# --- pages and CLI -------------------------------------------------------------------------------------------


class NotAWholeNumber(_OneField):
    """A form field that must be a whole number."""

    def __init__(self, name: str) -> None:
        super().__init__(name, N_("a whole number, e.g. 100"))


class TargetsNotNumbers(InvalidInput):
    """Targets typed on the page that are not whole numbers (each named)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(*bilingual(N_("Targets must be whole numbers")), fields=errors)


class ChooseRegion(_OneField):
    """The page's form needs a district or village."""

    def __init__(self) -> None:
        super().__init__("region_code", N_("choose a district or village"))


class ChooseVillage(_OneField):
    """The page's form needs a village."""

    def __init__(self) -> None:
        super().__init__("village_code", N_("choose a village"))


class AttendeesNeeded(_OneField):
    """The attendee list is empty."""

    def __init__(self) -> None:
        super().__init__("attendees", N_("one attendee a line"))


class NotUtf8Csv(_OneField):
    """The uploaded file is not UTF-8 text."""

    def __init__(self) -> None:
        super().__init__("file", N_("not a UTF-8 CSV file"))


class CsvHeaderInvalid(_OneField):
    """The CSV header names a column that is not known, or lacks full_name."""

    code = "csv_header"

    def __init__(self, columns: tuple[str, ...], unknown: list[str]) -> None:
        super().__init__(
            "file",
            N_("the header must name columns of %(columns)s (with full_name); unknown: %(unknown)s"),
            code="csv_header",
            columns=", ".join(columns),
            unknown=unknown,
        )


class CsvRowCount(_OneField):
    """Too few or too many CSV rows."""

    def __init__(self, most: int) -> None:
        super().__init__("file", N_("1 to %(n)s rows"), n=most)


class DateInvalid(_OneField):
    """A date typed on the command line that is not YYYY-MM-DD."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(name, N_("expected YYYY-MM-DD, got %(value)s"), value=repr(text))


class FileMissing(_OneField):
    """The file named on the command line does not exist."""

    def __init__(self, path: str) -> None:
        super().__init__("file", N_("%(path)s does not exist"), path=path)


class CampaignInputInvalid(InvalidInput):
    """The campaign given on the command line does not pass the input check (its messages, in English)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(*bilingual(N_("Invalid campaign")), fields=errors)
