"""The jobs domain's named refusals: one class per refusal, with a stable code and its text in the catalog."""

from __future__ import annotations

from typing import ClassVar

from jangkau.auth.principal import Forbidden
from jangkau.errors import N_, Conflict, FieldError, InvalidInput, NotFound, bilingual
from jangkau.jobs.rules.errors import WageBelowMinimum

__all__ = ["WageBelowMinimum"]  # the pure wage rule's refusal, named here with the domain's others (re-exported)


class _OneField(InvalidInput):
    """A refusal about one input field: ``field: text`` in both languages, with the field named."""

    def __init__(self, name: str, text: str, code: str = "invalid_input", **params: object) -> None:
        message, message_id = bilingual(text, **params)
        super().__init__(
            f"{name}: {message}", f"{name}: {message_id}", code=code, fields=[FieldError(name, message, message_id)]
        )


# --- who acts for whom ---------------------------------------------------------------------------------------


class AccountNotLinked(_OneField):
    """The worker's account is not linked to a person in the register."""

    def __init__(self) -> None:
        super().__init__("nik", N_("your account is not linked to a person in the register"))


class NikNeeded(_OneField):
    """A helper acting for someone must give the person's NIK."""

    def __init__(self) -> None:
        super().__init__("nik", N_("give the person's NIK"))


class PersonNotRegistered(_OneField):
    """No person with this NIK in the register (in the caller's territory)."""

    code = "person_not_registered"

    def __init__(self, nik: str) -> None:
        super().__init__(
            "nik",
            N_("no person with NIK %(nik)s in the register (in your territory); register them first"),
            code="person_not_registered",
            nik=nik,
        )


class ActOnlyForSelf(Forbidden):
    """A worker may act only for themselves."""

    status: ClassVar[int] = 403

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("You can only act for yourself")))


class ActOnlyForOwnBusiness(Forbidden):
    """An employer account may act only for its own business."""

    status: ClassVar[int] = 403

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("You can only act for your own business")))


class EmployerNotLinked(_OneField):
    """The employer account is not linked to an employer."""

    def __init__(self) -> None:
        super().__init__("employer_id", N_("your account is not linked to an employer"))


class EmployerNeeded(_OneField):
    """The manpower office must name the employer."""

    def __init__(self) -> None:
        super().__init__("employer_id", N_("name the employer"))


class EmployerNotFound(NotFound):
    """No such employer in the caller's territory."""

    code = "employer_not_found"

    def __init__(self, employer_id: int) -> None:
        super().__init__(
            *bilingual(N_("No employer %(id)s in your territory"), id=employer_id), code="employer_not_found"
        )


class PersonNotFound(NotFound):
    """No such person in the caller's territory."""

    code = "person_not_found"

    def __init__(self, person_id: int | str) -> None:
        super().__init__(*bilingual(N_("No person %(id)s in your territory"), id=person_id), code="person_not_found")


class OutsideTerritory(_OneField):
    """The region is outside the caller's territory."""

    def __init__(self, name: str = "region_code") -> None:
        super().__init__(name, N_("is outside your territory"))


# --- seekers and vacancies -----------------------------------------------------------------------------------


class DistrictsInvalid(InvalidInput):
    """Districts that are malformed or unknown (each named)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(
            "; ".join(f"{e.field}: {e.message}" for e in errors),
            "; ".join(f"{e.field}: {e.message_id or e.message}" for e in errors),
            fields=errors,
        )


class SeekerNotFound(NotFound):
    """No such job seeker, or not one the caller may see."""

    code = "seeker_not_found"

    def __init__(self, seeker_id: int) -> None:
        super().__init__(*bilingual(N_("No job seeker %(id)s"), id=seeker_id), code="seeker_not_found")


class ClosingDateInPast(_OneField):
    """The vacancy's closing date is in the past."""

    def __init__(self) -> None:
        super().__init__("closes_on", N_("is in the past"))


class VacancyNotFound(NotFound):
    """No such vacancy, or not one the caller may manage."""

    code = "vacancy_not_found"

    def __init__(self, vacancy_id: int) -> None:
        super().__init__(*bilingual(N_("No vacancy %(id)s"), id=vacancy_id), code="vacancy_not_found")


# --- applications and hires ----------------------------------------------------------------------------------


class ProfileFirst(_OneField):
    """The worker has no job-seeker profile yet."""

    def __init__(self) -> None:
        super().__init__("seeker_id", N_("fill in your job-seeker profile first"))


class SeekerNeeded(_OneField):
    """A helper applying must name the job seeker."""

    def __init__(self) -> None:
        super().__init__("seeker_id", N_("name the job seeker"))


class VacancyClosed(_OneField):
    """The vacancy is closed (or past its closing date) and takes no more applications."""

    code = "vacancy_closed"

    def __init__(self, vacancy_id: int, title: str) -> None:
        super().__init__(
            "vacancy_id",
            N_("vacancy %(id)s (%(title)s) is closed and takes no more applications"),
            code="vacancy_closed",
            id=vacancy_id,
            title=title,
        )


class NotLooking(_OneField):
    """The seeker's profile says they are not looking for work."""

    def __init__(self) -> None:
        super().__init__("seeker_id", N_("the profile says 'not looking for work'; update it first"))


class AlreadyApplied(Conflict):
    """The seeker already applied to this vacancy."""

    code = "already_applied"

    def __init__(self, vacancy_id: int) -> None:
        super().__init__(*bilingual(N_("Already applied to vacancy %(id)s"), id=vacancy_id), code="already_applied")


class ApplicationTransitionRefused(InvalidInput):
    """An application cannot move to that status; the possible next ones are named."""

    code = "transition_refused"

    def __init__(self, current: str, wanted: str, allowed: list[str]) -> None:
        name = "status"
        en_next = ", ".join(allowed) or bilingual(N_("none (final)"))[0]
        id_next = ", ".join(bilingual(s)[1] for s in allowed) or bilingual(N_("none (final)"))[1]
        text = N_("an application that is %(current)s cannot become %(wanted)s; possible next: %(next)s")
        message = bilingual(text, current=current, wanted=wanted, next=en_next)[0]
        message_id = bilingual(text, current=bilingual(current)[1], wanted=bilingual(wanted)[1], next=id_next)[1]
        super().__init__(
            f"{name}: {message}",
            f"{name}: {message_id}",
            code="transition_refused",
            fields=[FieldError(name, message, message_id)],
        )


# the application statuses as words of the refusal above (id.po: melamar, wawancara, diterima, ditolak)
APPLICATION_STATUS_WORDS = (N_("applied"), N_("interviewed"), N_("hired"), N_("rejected"))


class ApplicationNotFound(NotFound):
    """No such application, or not one the caller may handle."""

    code = "not_found"

    def __init__(self, application_id: int) -> None:
        super().__init__(*bilingual(N_("No application %(id)s"), id=application_id), code="not_found")


class HireNotFound(NotFound):
    """No such hire, or not one of the caller's."""

    code = "hire_not_found"

    def __init__(self, hire_id: int) -> None:
        super().__init__(*bilingual(N_("No hire %(id)s"), id=hire_id), code="hire_not_found")


class HireRegistered(Conflict):
    """The hire is already registered."""

    code = "hire_registered"

    def __init__(self, hire_id: int, membership_id: int | None) -> None:
        text = N_("Hire %(id)s is already registered (membership %(membership)s)")
        super().__init__(*bilingual(text, id=hire_id, membership=membership_id), code="hire_registered")


# --- training and announcements ------------------------------------------------------------------------------


class TrainingDatesInvalid(_OneField):
    """The programme ends before it starts."""

    def __init__(self) -> None:
        super().__init__("ends_on", N_("is before the start"))


class TrainingNotFound(NotFound):
    """No such training programme (in the caller's territory)."""

    code = "training_not_found"

    def __init__(self, training_id: int) -> None:
        super().__init__(*bilingual(N_("No training %(id)s"), id=training_id), code="training_not_found")


class TrainingStarted(_OneField):
    """The programme has started; sign-up is closed."""

    def __init__(self) -> None:
        super().__init__("training_id", N_("has already started; sign-up is closed"))


class TrainingFull(_OneField):
    """Every seat of the programme is taken."""

    code = "training_full"

    def __init__(self, seats: int) -> None:
        super().__init__("training_id", N_("is full (%(seats)s seats taken)"), code="training_full", seats=seats)


class AlreadySignedUp(Conflict):
    """The person already has a seat in this programme."""

    code = "already_signed_up"

    def __init__(self, title: str) -> None:
        super().__init__(*bilingual(N_("Already signed up for %(title)s"), title=title), code="already_signed_up")


class VisibleBeforePublication(_OneField):
    """The announcement would stop being visible before it is published."""

    def __init__(self) -> None:
        super().__init__("visible_until", N_("is before publication"))


# --- labour-service requests ---------------------------------------------------------------------------------


class Ak1NeedsProfile(_OneField):
    """A job-seeker card (AK/1) needs a job-seeker profile first."""

    def __init__(self) -> None:
        super().__init__("kind", N_("a job-seeker card (AK/1) needs a job-seeker profile first"))


class ComplaintNeedsEmployer(_OneField):
    """A complaint must name a known employer."""

    def __init__(self) -> None:
        super().__init__("employer_id", N_("name the employer the complaint is about"))


class RequestNotFound(NotFound):
    """No such request (in the caller's territory)."""

    code = "request_not_found"

    def __init__(self, request_id: int) -> None:
        super().__init__(*bilingual(N_("No request %(id)s"), id=request_id), code="request_not_found")


class TrackingCodeNotFound(NotFound):
    """No request with this tracking code."""

    code = "request_not_found"

    def __init__(self, code: str) -> None:
        super().__init__(
            *bilingual(N_("No request with tracking code %(code)s"), code=repr(code)), code="request_not_found"
        )


class RequestTransitionRefused(_OneField):
    """A request cannot move to that status; the possible next ones are named."""

    code = "transition_refused"

    def __init__(self, current: str, wanted: str, allowed: str) -> None:
        super().__init__(
            "status",
            N_("a request that is %(current)s cannot become %(wanted)s; possible next: %(next)s"),
            code="transition_refused",
            current=current,
            wanted=wanted,
            next=allowed or bilingual(N_("none (final)"))[0],
        )


# --- pages and CLI -------------------------------------------------------------------------------------------


class NotAWholeNumber(_OneField):
    """A form field that must be a whole number."""

    def __init__(self, name: str) -> None:
        super().__init__(name, N_("must be a whole number"))


class CliInputInvalid(InvalidInput):
    """A command's input does not pass the check (the check's messages, in English)."""

    def __init__(self, text: str) -> None:
        super().__init__(*bilingual(N_("Invalid input: %(problems)s"), problems=text))
