"""The named refusals of enrolment and contribution quotes (stable codes, texts in the catalog)."""

from __future__ import annotations

from jangkau.errors import Conflict, FieldError, InvalidInput
from jangkau.i18n import N_, bilingual, gettext


class _FieldRefusal(InvalidInput):
    """One bad field (HTTP 422)."""

    def __init__(self, field: str, en: str, id_: str, code: str = "invalid_input") -> None:
        super().__init__(f"{field}: {en}", f"{field}: {id_}", code=code, fields=[FieldError(field, en, id_)])


class RelationshipMissing(_FieldRefusal):
    """A worker or employer registering someone else must say how they know the worker."""

    def __init__(self, choices: tuple[str, ...]) -> None:
        text = N_("say how you know the worker: %(choices)s")
        super().__init__("relationship", *bilingual(text, choices=", ".join(choices)))


class RelationshipInvalid(_FieldRefusal):
    """The relationship to the worker is not one of the choices."""

    def __init__(self, choices: tuple[str, ...]) -> None:
        text = N_("one of %(choices)s")
        super().__init__("relationship", *bilingual(text, choices=", ".join(choices)))


class PayerInvalid(_FieldRefusal):
    """The payer is neither ``self`` nor ``programme:<id>``."""

    def __init__(self) -> None:
        super().__init__("payer", *bilingual(N_("either 'self' or 'programme:<id>'")))


class NikRegisteredElsewhere(Conflict):
    """The NIK is registered outside the caller's territory; the branch office transfers it."""

    code = "nik_registered_elsewhere"

    def __init__(self, nik: str) -> None:
        text = N_("NIK %(nik)s is already registered outside your territory; ask the branch office to transfer it")
        super().__init__(*bilingual(text, nik=nik), code="nik_registered_elsewhere")


class MonthInvalid(_FieldRefusal):
    """The contribution month is not YYYY-MM."""

    def __init__(self, problem: str) -> None:
        super().__init__("month", problem, gettext(N_("month format YYYY-MM"), "id"))


class IncomeMissing(_FieldRefusal):
    """A BPU quote needs the declared income."""

    def __init__(self) -> None:
        super().__init__("income", *bilingual(N_("a BPU quote needs the declared income")))


class WageMissing(_FieldRefusal):
    """A PU quote needs the wage and the JKK risk group."""

    def __init__(self) -> None:
        super().__init__("wage", *bilingual(N_("a PU quote needs wage and risk_group")))


class ConsentNeedsMobile(_FieldRefusal):
    """Reminders by WhatsApp or SMS were chosen on the form without a mobile number."""

    def __init__(self) -> None:
        super().__init__("consent_channel", *bilingual(N_("reminders need a mobile number")))


class EnrolmentFormInvalid(InvalidInput):
    """The enrolment form has fields to fix: ``fields`` says which and why."""

    def __init__(self, fields: list[FieldError]) -> None:
        super().__init__(*bilingual(N_("Some fields need fixing")), fields=fields)


class IncomeNotANumber(_FieldRefusal):
    """The declared income on the form is not a whole number."""

    def __init__(self) -> None:
        super().__init__("declared_income", *bilingual(N_("must be a whole number of Rupiah")))
