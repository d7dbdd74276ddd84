"""The named refusals of the registry: each with a stable code, its HTTP status and a text in the catalog."""

from __future__ import annotations

from jangkau.errors import Conflict, FieldError, InvalidInput, JangkauError, NotFound
from jangkau.i18n import N_, bilingual, gettext


def _field(field: str, text: str, **params: object) -> tuple[str, str, FieldError]:
    en, id_ = bilingual(text, **params)
    return f"{field}: {en}", f"{field}: {id_}", FieldError(field, en, id_)


def _joined(errors: list[FieldError], lang: str) -> str:
    return "; ".join(f"{e.field}: {e.message if lang == 'en' else e.message_id or e.message}" for e in errors)


class PersonNotFound(NotFound):
    """No such person, or the person is outside the caller's territory (the two are not told apart)."""

    code = "person_not_found"

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("No such person")), code="person_not_found")


class NikNotFound(NotFound):
    """No person with this NIK, or the person is outside the caller's territory (code ``person_not_found``)."""

    code = "person_not_found"

    def __init__(self, nik: str | None = None) -> None:
        if nik is None:
            super().__init__(*bilingual(N_("No person with that NIK")), code="person_not_found")
        else:
            super().__init__(*bilingual(N_("No person with NIK %(nik)s"), nik=nik), code="person_not_found")


class MembershipNotFound(NotFound):
    """No such membership, or its person is outside the caller's territory."""

    code = "membership_not_found"

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("No such membership")), code="membership_not_found")


class NikInAddress(InvalidInput):
    """A NIK was put in a URL (query string); it must be posted to ``/persons/lookup`` instead."""

    code = "nik_in_url"

    def __init__(self, field: str = "q") -> None:
        message, message_id, error = _field(
            field, N_("a NIK does not belong in an address; POST it to /api/v1/persons/lookup")
        )
        super().__init__(message, message_id, code="nik_in_url", fields=[error])


class OutsideTerritory(InvalidInput):
    """The village is outside the caller's territory."""

    code = "outside_scope"

    def __init__(
        self, village_code: str | None = None, scope: tuple[str, ...] = (), field: str = "village_code"
    ) -> None:
        if village_code is None:
            en, id_ = bilingual(N_("outside your territory"))
        else:
            text = N_("%(village)s is outside your territory (%(scope)s)")
            en = gettext(text, "en", village=village_code, scope=", ".join(scope))
            id_ = gettext(text, "id", village=village_code, scope=", ".join(scope))
        super().__init__(f"{field}: {en}", f"{field}: {id_}", code="outside_scope", fields=[FieldError(field, en, id_)])


class PersonInvalid(InvalidInput):
    """A person's registration breaks a rule: ``fields`` says which field and why."""

    code = "person_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        text = N_("The registration has errors: %(errors)s")
        super().__init__(
            gettext(text, "en", errors=_joined(errors, "en")),
            gettext(text, "id", errors=_joined(errors, "id")),
            code="person_invalid",
            fields=errors,
        )


class MembershipInvalid(InvalidInput):
    """A membership breaks a rule (programmes, wage, employer): ``fields`` says which field and why."""

    code = "membership_invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        text = N_("The membership has errors: %(errors)s")
        super().__init__(
            gettext(text, "en", errors=_joined(errors, "en")),
            gettext(text, "id", errors=_joined(errors, "id")),
            code="membership_invalid",
            fields=errors,
        )


class UnknownPersonId(InvalidInput):
    """The membership names a person id that does not exist (or is outside the caller's territory)."""

    def __init__(self, person_id: int) -> None:
        message, message_id, error = _field("person_id", N_("no person %(id)s"), id=person_id)
        super().__init__(message, message_id, fields=[error])


class NikAlreadyRegistered(Conflict):
    """The NIK is registered already: ``details.person_id`` names the record to open instead."""

    code = "nik_already_registered"

    def __init__(self, nik: str, person_id: int | None) -> None:
        if person_id is None:  # the registration that held it was removed in between (a retry goes through)
            text = N_("NIK %(nik)s was being registered by someone else at this moment; try again")
            super().__init__(*bilingual(text, nik=nik), code="nik_already_registered")
            return
        text = N_("NIK %(nik)s is already registered (person %(id)s); open that record instead of registering again")
        super().__init__(
            *bilingual(text, nik=nik, id=person_id), code="nik_already_registered", details={"person_id": person_id}
        )


class EmployerAlreadyRegistered(Conflict):
    """An employer with this registration number exists."""

    code = "employer_already_registered"

    def __init__(self, number: str) -> None:
        text = N_("Employer number %(number)s is already registered")
        super().__init__(*bilingual(text, number=number), code="employer_already_registered")


class MembershipExists(Conflict):
    """The person already has an open membership of this segment (with this employer)."""

    code = "membership_exists"

    def __init__(self, full_name: str, segment: str) -> None:
        text = N_("%(name)s already has an open %(segment)s membership")
        super().__init__(*bilingual(text, name=full_name, segment=segment.upper()), code="membership_exists")


class ProgramsInvalid(InvalidInput):
    """The programmes do not fit the segment: unknown ones, ones it cannot hold, or required ones missing."""

    code = "programs_invalid"

    def __init__(self, problems: str) -> None:
        id_ = gettext(N_("programmes do not fit: %(problems)s"), "id", problems=problems)
        super().__init__(
            f"programs: {problems}",
            f"programs: {id_}",
            code="programs_invalid",
            fields=[FieldError("programs", problems, id_)],
        )


class NikInvalid(InvalidInput):
    """The NIK is not valid: wrong length, digits, region or birth date (the reasons are listed)."""

    code = "nik_invalid"

    def __init__(self, field: str, nik: str, reason: str) -> None:
        message = N_("invalid NIK %(nik)s: %(reason)s")
        en = gettext(message, "en", nik=repr(nik), reason=reason)
        id_ = gettext(message, "id", nik=repr(nik), reason=reason)
        field_id = gettext(N_("invalid NIK: %(reason)s"), "id", reason=reason)
        super().__init__(
            f"{field}: {en}", f"{field}: {id_}", code="nik_invalid", fields=[FieldError(field, reason, field_id)]
        )


class DateInvalid(InvalidInput):
    """A date that is not YYYY-MM-DD (command line)."""

    def __init__(self, field: str, text: str) -> None:
        en = f"{text!r} is not a date (YYYY-MM-DD)"
        id_ = gettext(N_("date format YYYY-MM-DD"), "id")
        super().__init__(f"{field}: {en}", f"{field}: {id_}", fields=[FieldError(field, en, id_)])


class SexInvalid(InvalidInput):
    """Sex is L (laki-laki) or P (perempuan) (command line)."""

    def __init__(self, text: str) -> None:
        en = f"{text!r} must be L or P"
        id_ = gettext(N_("sex must be L or P"), "id")
        super().__init__(f"sex: {en}", f"sex: {id_}", fields=[FieldError("sex", en, id_)])


class ChallengeFailed(JangkauError):
    """A wrong, expired or used-up code (HTTP 400); the same answer for a NIK that is not registered."""

    status = 400
    code = "code_invalid"

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("The code is wrong or has expired. Ask for a new code.")), "code_invalid", 400)


class SearchResultNotFound(NotFound):
    """No such kept search answer, another user's, or expired (the three are not told apart)."""

    code = "search_result_not_found"

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("This search result has expired; search again")), code=self.code)
