"""Sponsors and programmes from the office's forms: what was typed is checked field by field (every bad field named
at once, in the caller's territory), then the funding services create or change the row.

A programme's package and period are fixed once created (enrolments committed their cost on them); its name,
budget, quota and eligibility rules may change: the budget never below what is committed, the quota never below
the workers enrolled. New rules apply to the next enrolments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.errors import FieldError
from jangkau.funding import repository as repo
from jangkau.funding import service as funding
from jangkau.funding.errors import PaymentFormInvalid, ProgrammeInvalid, ProgrammeNotFound, SponsorNotFound
from jangkau.funding.models import SPONSOR_KINDS, Payer, Programme
from jangkau.funding.schemas import ProgrammeIn, SponsorIn
from jangkau.kit.money import parse_rupiah
from jangkau.kit.months import Month
from jangkau.regions.codes import normalise_code
from jangkau.registry.occupations import OCCUPATIONS

# the kinds a form offers: budgets of a region or village, companies' CSR, donors, community groups
KINDS = SPONSOR_KINDS


@dataclass
class SponsorForm:
    kind: str = ""
    name: str = ""
    region_code: str = ""
    phone: str = ""


@dataclass
class ProgrammeForm:
    payer_id: str = ""
    name: str = ""
    with_jht: bool = False
    declared_income: str = "1.000.000"
    start_month: str = ""
    months: str = "12"
    budget: str = ""
    quota: str = ""
    region_prefix: str = ""
    occupations: list[str] = field(default_factory=list)
    vulnerable_only: bool = False
    min_age: str = ""
    max_age: str = ""


def _field(name: str, msgid: str, **params: object) -> FieldError:
    return PaymentFormInvalid.field(name, msgid, **params)


def _region_errors(principal: Principal, name: str, code: str) -> list[FieldError]:
    if code and not principal.sees(code):
        return [_field(name, PaymentFormInvalid.REGION, region=code)]
    return []


def visible_sponsors(session: Session, principal: Principal) -> list[Payer]:
    """The sponsors the caller's office works with: those of a region inside its territory and those of no region
    (a company's CSR, a donor)."""
    return [p for p in repo.payers(session, KINDS) if p.region_code is None or principal.sees(p.region_code)]


def sponsor_in_territory(session: Session, principal: Principal, sponsor_id: int) -> Payer:
    """A sponsor the caller may change.

    Raises:
        NotFound: no such sponsor, or one of a region outside the territory.
    """
    sponsor = repo.payer(session, sponsor_id)
    outside = sponsor is not None and sponsor.region_code is not None and not principal.sees(sponsor.region_code)
    if sponsor is None or sponsor.kind not in KINDS or outside:
        raise SponsorNotFound(sponsor_id)
    return sponsor


def _sponsor_errors(form: SponsorForm, principal: Principal, check_kind: bool) -> list[FieldError]:
    errors: list[FieldError] = []
    if check_kind and form.kind not in KINDS:
        errors.append(_field("kind", PaymentFormInvalid.KIND))
    if not form.name.strip():
        errors.append(_field("name", PaymentFormInvalid.REQUIRED))
    return errors + _region_errors(principal, "region_code", normalise_code(form.region_code.strip()))


def create_sponsor(session: Session, form: SponsorForm, principal: Principal) -> Payer:
    """A sponsor from the office's form.

    Raises:
        InvalidInput: each bad field (empty name, unknown kind, a region unknown, missing or outside the territory).
    """
    errors = _sponsor_errors(form, principal, check_kind=True)
    if errors:
        raise PaymentFormInvalid(errors)
    data = SponsorIn(
        kind=form.kind, name=form.name, region_code=form.region_code.strip() or None, phone=form.phone.strip() or None
    )
    return funding.create_sponsor(session, data)


def update_sponsor(session: Session, sponsor_id: int, form: SponsorForm, principal: Principal) -> Payer:
    """Change a sponsor's name, region and phone (its kind stays).

    Raises:
        NotFound: no such sponsor in the territory.
        InvalidInput: each bad field.
    """
    sponsor = sponsor_in_territory(session, principal, sponsor_id)
    errors = _sponsor_errors(form, principal, check_kind=False)
    if errors:
        raise PaymentFormInvalid(errors)
    checked = SponsorIn(kind=sponsor.kind, name=form.name, region_code=form.region_code.strip() or None)
    probe = funding.check_sponsor_region(session, checked)
    sponsor.name, sponsor.region_code, sponsor.phone = form.name.strip(), probe, form.phone.strip() or None
    session.flush()
    return sponsor


def _whole(
    errors: list[FieldError], name: str, text: str, *, money: bool = False, optional: bool = False
) -> int | None:
    if not text.strip():
        if not optional:
            errors.append(_field(name, PaymentFormInvalid.REQUIRED))
        return None
    try:
        value = parse_rupiah(text) if money else int(text.strip().replace(".", ""))
    except ValueError:
        errors.append(_field(name, PaymentFormInvalid.AMOUNT if money else PaymentFormInvalid.WHOLE_NUMBER))
        return None
    if value <= 0 and not name.endswith("_age"):
        errors.append(_field(name, PaymentFormInvalid.AMOUNT_POSITIVE))
        return None
    if name.endswith("_age") and not 0 <= value <= 120:
        errors.append(_field(name, PaymentFormInvalid.AGE))
        return None
    return value


def _criteria(form: ProgrammeForm, principal: Principal, errors: list[FieldError]) -> dict[str, Any]:
    region = normalise_code(form.region_prefix.strip()) if form.region_prefix.strip() else ""
    if not region and "" not in principal.scope and len(principal.scope) == 1:
        region = principal.scope[0]  # an office's programme covers its territory unless it says less
    errors += _region_errors(principal, "region_prefix", region)
    unknown = [o for o in form.occupations if o not in OCCUPATIONS]
    if unknown:
        errors.append(_field("occupations", ProgrammeInvalid.UNKNOWN_OCCUPATIONS, names=", ".join(unknown)))
    return {
        "quota": _whole(errors, "quota", form.quota, optional=True),
        "region_prefix": region or None,
        "occupations": [o for o in form.occupations if o in OCCUPATIONS],
        "vulnerable_only": form.vulnerable_only,
        "min_age": _whole(errors, "min_age", form.min_age, optional=True),
        "max_age": _whole(errors, "max_age", form.max_age, optional=True),
    }


def create_programme(session: Session, form: ProgrammeForm, principal: Principal) -> Programme:
    """A programme from the office's form, with its budget and eligibility rules.

    Raises:
        InvalidInput: each bad field at once; then the service's checks (a budget that covers nobody, ages the
            wrong way round).
    """
    errors: list[FieldError] = []
    sponsor_id = _whole(errors, "payer_id", form.payer_id)
    if sponsor_id is not None:
        try:
            sponsor_in_territory(session, principal, sponsor_id)
        except SponsorNotFound:
            errors.append(_field("payer_id", PaymentFormInvalid.REQUIRED))
    if not form.name.strip():
        errors.append(_field("name", PaymentFormInvalid.REQUIRED))
    income = _whole(errors, "declared_income", form.declared_income, money=True)
    try:
        start = str(Month.parse(form.start_month.strip()))
    except ValueError:
        errors.append(_field("start_month", PaymentFormInvalid.MONTH))
        start = ""
    months = _whole(errors, "months", form.months)
    if months is not None and months > 120:
        errors.append(_field("months", PaymentFormInvalid.WHOLE_NUMBER))
    budget = _whole(errors, "budget", form.budget, money=True)
    criteria = _criteria(form, principal, errors)
    if errors or sponsor_id is None or income is None or months is None or budget is None:
        raise PaymentFormInvalid(errors)
    data = ProgrammeIn(
        payer_id=sponsor_id,
        name=form.name,
        programs=["jkk", "jkm", "jht"] if form.with_jht else ["jkk", "jkm"],
        declared_income=income,
        start_month=start,
        months=months,
        budget=budget,
        **criteria,
    )
    return funding.create_programme(session, data)


def programme_in_territory(session: Session, principal: Principal, programme_id: int) -> Programme:
    """A programme of a sponsor the caller may change.

    Raises:
        NotFound: no such programme, or one of a sponsor outside the territory.
    """
    programme = repo.programme(session, programme_id)
    if programme is None:
        raise ProgrammeNotFound(programme_id)
    try:
        sponsor_in_territory(session, principal, programme.payer_id)
    except SponsorNotFound as exc:
        raise ProgrammeNotFound(programme_id) from exc
    return programme


def update_programme(session: Session, programme_id: int, form: ProgrammeForm, principal: Principal) -> Programme:
    """Change a programme's name, budget, quota and eligibility rules (package and period stay).

    Raises:
        NotFound: no such programme in the territory.
        InvalidInput: each bad field, a budget below what is committed or a quota below the workers enrolled.
    """
    programme = programme_in_territory(session, principal, programme_id)
    errors: list[FieldError] = []
    if not form.name.strip():
        errors.append(_field("name", PaymentFormInvalid.REQUIRED))
    budget = _whole(errors, "budget", form.budget, money=True)
    criteria = _criteria(form, principal, errors)
    workers, committed = repo.programme_commitment(session, programme.id, lock=True)
    if budget is not None and budget < committed:
        errors.append(_field("budget", PaymentFormInvalid.BUDGET_BELOW_COMMITTED, committed=f"{committed:,}"))
    if criteria["quota"] is not None and criteria["quota"] < workers:
        errors.append(_field("quota", PaymentFormInvalid.QUOTA_BELOW_ENROLLED, enrolled=workers))
    ages = (criteria["min_age"], criteria["max_age"])
    if ages[0] is not None and ages[1] is not None and ages[0] > ages[1]:
        errors.append(_field("max_age", PaymentFormInvalid.AGE))
    if errors or budget is None:
        raise PaymentFormInvalid(errors)
    programme.name, programme.budget, programme.quota = form.name.strip(), budget, criteria["quota"]
    programme.region_prefix = criteria["region_prefix"]
    programme.occupations = ",".join(criteria["occupations"]) or None
    programme.vulnerable_only = criteria["vulnerable_only"]
    programme.min_age, programme.max_age = ages
    session.flush()
    return programme


def programme_values(programme: Programme) -> dict[str, Any]:
    """A programme as its edit form shows it."""
    return {
        "payer_id": str(programme.payer_id),
        "name": programme.name,
        "with_jht": "jht" in programme.programs.split(","),
        "declared_income": f"{programme.declared_income:,}".replace(",", "."),
        "start_month": str(Month.of(programme.start_month)),
        "months": str(programme.months),
        "budget": f"{programme.budget:,}".replace(",", "."),
        "quota": str(programme.quota or ""),
        "region_prefix": programme.region_prefix or "",
        "occupations": programme.occupations.split(",") if programme.occupations else [],
        "vulnerable_only": programme.vulnerable_only,
        "min_age": "" if programme.min_age is None else str(programme.min_age),
        "max_age": "" if programme.max_age is None else str(programme.max_age),
    }


def occupation_choices() -> Sequence[tuple[str, str]]:
    """(code, English name) of every occupation, for the eligibility checkboxes."""
    return [(code, o.name) for code, o in OCCUPATIONS.items()]
