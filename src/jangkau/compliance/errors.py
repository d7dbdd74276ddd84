"""Compliance's named refusals: one class per refusal, a stable code, the text written once in English for the
catalog. Where a placeholder has its own Indonesian value (a step's name), the two languages get their own values.
"""

from __future__ import annotations

from collections.abc import Mapping

from jangkau.errors import N_, Conflict, FieldError, InvalidInput, NotFound, bilingual
from jangkau.funding.errors import FieldInvalid


def _pair(msgid: str, english: Mapping[str, object], indonesian: Mapping[str, object]) -> tuple[str, str]:
    return bilingual(msgid, **english)[0], bilingual(msgid, **indonesian)[1]


class _FieldPair(InvalidInput):
    """A refusal about one field whose placeholders differ between the two languages."""

    def __init__(
        self, field: str, msgid: str, english: Mapping[str, object], indonesian: Mapping[str, object], code: str
    ) -> None:
        message, message_id = _pair(msgid, english, indonesian)
        super().__init__(
            f"{field}: {message}", f"{field}: {message_id}", code=code, fields=[FieldError(field, message, message_id)]
        )


class EmployerNotFound(NotFound):
    """No employer with this id in the caller's territory."""

    def __init__(self, employer_id: int) -> None:
        text = N_("No employer %(id)s in your territory")
        super().__init__(*bilingual(text, id=employer_id), code="employer_not_found")


class CaseNotFound(NotFound):
    """No case with this id in the caller's territory."""

    def __init__(self, case_id: int) -> None:
        super().__init__(*bilingual(N_("No case %(id)s in your territory"), id=case_id), code="case_not_found")


class DocumentNotFound(NotFound):
    """No document with this id in the case."""

    def __init__(self, document_id: int) -> None:
        super().__init__(*bilingual(N_("No document %(id)s"), id=document_id), code="document_not_found")


class EvidenceNotFound(NotFound):
    """No evidence with this id."""

    def __init__(self, evidence_id: int) -> None:
        super().__init__(*bilingual(N_("No evidence %(id)s"), id=evidence_id), code="evidence_not_found")


class CaseOpen(Conflict):
    """The employer already has an open case (``details``: its id)."""

    def __init__(self, name: str, case_id: int) -> None:
        text = N_("%(name)s already has open case %(id)s; add steps to it")
        super().__init__(*bilingual(text, name=name, id=case_id), code="case_open", details={"case_id": case_id})


class FindingsUnusable(FieldInvalid):
    """The findings named cannot make a case: another employer's, closed or in a case, or none open."""

    NOT_OF_EMPLOYER = N_("not findings of this employer: %(ids)s")
    CLOSED = N_("already closed or in a case: %(ids)s")
    NONE_OPEN = N_("the employer has no open finding to build a case on")

    def __init__(self, msgid: str, /, **params: object) -> None:
        super().__init__("finding_ids", msgid, **params)


class StepOutOfOrder(_FieldPair):
    """The step cannot follow the case's current step (a fine before any warning, or a closed case)."""

    def __init__(self, case_id: int, kind: str, needed: str, status: str, names_id: dict[str, str]) -> None:
        msgid = N_("a %(kind)s can only follow the %(needed)s step (PP 86/2013 Ps 5(2)); case %(id)s is at %(status)s")
        english = {
            "kind": kind.replace("_", " "),
            "needed": needed.replace("_", " "),
            "status": status.replace("_", " "),
        }
        indonesian = {"kind": names_id[kind], "needed": names_id[needed], "status": names_id[status]}
        super().__init__("kind", msgid, {**english, "id": case_id}, {**indonesian, "id": case_id}, "step_out_of_order")


class CaseEnded(_FieldPair):
    """The case is resolved or closed: no step can follow."""

    def __init__(self, case_id: int, status: str, status_id: str) -> None:
        msgid = N_("case %(id)s is %(status)s; no step can follow")
        super().__init__(
            "kind", msgid, {"id": case_id, "status": status}, {"id": case_id, "status": status_id}, "step_out_of_order"
        )


class StepTooEarly(_FieldPair):
    """The step comes before the current step's deadline has passed."""

    def __init__(self, status: str, kind: str, deadline: object, first: object, names_id: dict[str, str]) -> None:
        msgid = N_("the %(status)s runs until %(deadline)s; the %(kind)s can be recorded from %(first)s")
        dates = {"deadline": deadline, "first": first}
        english = {"status": status.replace("_", " "), "kind": kind.replace("_", " "), **dates}
        indonesian = {"status": names_id[status], "kind": names_id[kind], **dates}
        super().__init__("on_date", msgid, english, indonesian, "step_too_early")


class StepDateInvalid(FieldInvalid):
    """A step dated in the future or before the case's last step."""

    FUTURE = N_("%(on)s is in the future")
    BEFORE_LAST = N_("is before the case's last step (%(last)s)")

    def __init__(self, msgid: str, /, **params: object) -> None:
        super().__init__("on_date", msgid, **params)


class StepFieldMissing(FieldInvalid):
    """A payment step needs its amount, a joint visit who joined it."""

    AMOUNT = N_("a payment step needs the amount recovered")
    PARTNER = N_("name who joined the visit (Disnaker, Kejaksaan...)")

    def __init__(self, field: str, msgid: str, /) -> None:
        super().__init__(field, msgid)


class NoLetter(_FieldPair):
    """No letter fits the case's step, or the letter kind is unknown."""

    def __init__(self, status: str, status_id: str, letters: str) -> None:
        msgid = N_("no letter for a case at %(status)s (letters: %(letters)s)")
        english = {"status": status, "letters": letters}
        super().__init__("kind", msgid, english, {**english, "status": status_id}, "invalid_input")


class KindInvalid(FieldInvalid):
    """A document or evidence kind outside the known ones."""

    UPLOAD = N_("one of %(kinds)s")
    EVIDENCE = N_("must be one of %(kinds)s")

    def __init__(self, msgid: str, /, kinds: str) -> None:
        super().__init__("kind", msgid, kinds=kinds)


class ImportHeaderInvalid(FieldInvalid):
    """A required column of the imported file is missing."""

    refusal_code = "import_header"

    def __init__(self, missing: list[str], found: list[str]) -> None:
        super().__init__("file", N_("wrong header: missing %(missing)s; found %(found)s"), missing=missing, found=found)


class EvidenceNotInReview(FieldInvalid):
    """The evidence is not waiting for review."""

    def __init__(self, status: str) -> None:
        super().__init__("evidence_id", N_("is %(status)s, not waiting for review"), status=status)


class PeriodInvalid(FieldInvalid):
    """The period's start is after its end."""

    def __init__(self) -> None:
        super().__init__("from", N_("must not be after 'to'"))


class RowRefused(Exception):
    """One row of an imported file is not usable (the row is listed with its reason; the file goes on).

    Not a refusal of the request: the import answers 201 with the rejected rows. ``message`` is English,
    ``message_id`` Bahasa Indonesia; a ``column`` placeholder names the column in each language.
    """

    EMPTY = N_("%(column)s is empty")
    NOT_WHOLE = N_("%(column)s %(value)s is not a whole number")
    NOT_POSITIVE = N_("%(column)s must be more than zero, got %(value)s")
    DATE = N_("date %(value)s is not YYYY-MM-DD or DD/MM/YYYY")
    NO_EMPLOYER = N_("no employer with registration number %(value)s")
    MONTH = N_("month %(value)s is not YYYY-MM")
    WORKERS = N_("workers %(value)s is not a whole number")
    NO_REFERENCE = N_("the reference (document or licence number) is empty")
    NO_NAME = N_("the business name is empty")
    NO_FIGURES = N_("neither workers nor average wage is given")
    TOTAL_WAGE = N_("total wage")
    LOWEST_WAGE = N_("lowest wage")
    AVERAGE_WAGE = N_("average wage")

    def __init__(self, msgid: str, /, column: str | None = None, **params: object) -> None:
        english = {**params, **({"column": bilingual(column)[0]} if column else {})}
        indonesian = {**params, **({"column": bilingual(column)[1]} if column else {})}
        self.message, self.message_id = _pair(msgid, english, indonesian)
        super().__init__(self.message)

    @classmethod
    def of(cls, error: InvalidInput) -> RowRefused:
        """A refusal raised while reading a row (e.g. by the rules), kept as the row's reason."""
        refused = cls.__new__(cls)
        refused.message, refused.message_id = error.message, error.message_id
        Exception.__init__(refused, error.message)
        return refused
