"""How jobs records are shown: seekers with masked identifiers (a seeker's own profile shows their NIK), vacancies
with their employer and its compliance standing, applications, hires, training, requests.
"""

from __future__ import annotations

import json
from typing import Any

from jangkau.auth.principal import Principal
from jangkau.jobs.matching import split
from jangkau.jobs.models import Application, Hire, Seeker, ServiceRequest, Training, Vacancy
from jangkau.kit.masking import mask_nik
from jangkau.registry.models import Employer, Person


def seeker_view(seeker: Seeker, person: Person, principal: Principal, anonymous: bool = False) -> dict[str, Any]:
    """A profile; the NIK is shown in full only to the person themselves.

    ``anonymous``: a candidate an employer may consider but does not own (not an applicant to its vacancies): skills
    and wishes only, with no name, NIK or village (the district is kept).
    """
    own = principal.person_id is not None and principal.person_id == person.id
    return {
        "id": seeker.id,
        "person_id": None if anonymous else person.id,
        "nik": None if anonymous else (person.nik if own else mask_nik(person.nik)),
        "full_name": None if anonymous else person.full_name,
        "village_code": person.village_code.rsplit(".", 1)[0] if anonymous else person.village_code,
        "education": seeker.education,
        "experience_years": seeker.experience_years,
        "experience": seeker.experience,
        "skills": split(seeker.skills),
        "preferred_districts": split(seeker.preferred_districts),
        "expected_wage": seeker.expected_wage,
        "availability": seeker.availability,
        "available_from": seeker.available_from,
        "maintained_by": {"kind": seeker.maintained_by_kind, "label": seeker.maintained_by_label},
        "ak1_number": seeker.ak1_number,
    }


def standing_brief(standing: dict[str, Any]) -> dict[str, Any]:
    """What a seeker sees of an employer's compliance: score, open findings and cases, a flag, and why."""
    findings = standing.get("open_findings", [])
    return {
        "score": standing.get("score", 0),
        "open_findings": len(findings),
        "open_cases": len(standing.get("open_cases", [])),
        "flagged": bool(findings),
        "findings": [{"kind": f["kind"], "month": f["month"], "summary_id": f["summary_id"]} for f in findings],
        "explanation": standing.get("explanation", []),
    }


def vacancy_view(vacancy: Vacancy, employer: Employer, standing: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": vacancy.id,
        "title": vacancy.title,
        "sector": vacancy.sector,
        "description": vacancy.description,
        "skills": split(vacancy.skills),
        "wage_offered": vacancy.wage_offered,
        "wage_period": vacancy.wage_period,
        "monthly_wage": vacancy.monthly_wage,
        "district_code": vacancy.district_code,
        "contract_type": vacancy.contract_type,
        "openings": vacancy.openings,
        "status": vacancy.status,
        "closes_on": vacancy.closes_on,
        "employer": {"id": employer.id, "name": employer.name, "village_code": employer.village_code},
        "wage_check": json.loads(vacancy.wage_check),
    }
    if standing is not None:
        out["employer"]["standing"] = standing
    return out


def application_view(application: Application) -> dict[str, Any]:
    return {
        "id": application.id,
        "vacancy_id": application.vacancy_id,
        "seeker_id": application.seeker_id,
        "status": application.status,
        "score": application.score,
        "note": application.note,
    }


def hire_view(hire: Hire, person: Person, employer: Employer) -> dict[str, Any]:
    return {
        "id": hire.id,
        "application_id": hire.application_id,
        "employer": {"id": employer.id, "name": employer.name},
        "person_id": person.id,
        "full_name": person.full_name,
        "nik": mask_nik(person.nik),
        "wage": hire.wage,
        "start_date": hire.start_date,
        "due_on": hire.due_on,
        "status": hire.status,
        "membership_id": hire.membership_id,
        "registered_on": hire.registered_on,
        "finding_id": hire.finding_id,
    }


def training_view(training: Training) -> dict[str, Any]:
    return {
        "id": training.id,
        "title": training.title,
        "provider": training.provider,
        "region_code": training.region_code,
        "starts_on": training.starts_on,
        "ends_on": training.ends_on,
        "seats": training.seats,
        "seats_taken": training.seats_taken,
        "seats_left": training.seats - training.seats_taken,
        "skills": split(training.skills),
        "description": training.description,
    }


def request_view(request: ServiceRequest, events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A request as its filer follows it: no personal data, only what was asked and where it stands."""
    out: dict[str, Any] = {
        "id": request.id,
        "tracking_code": request.tracking_code,
        "kind": request.kind,
        "status": request.status,
        "answer": request.answer,
        "filed_at": request.created_at,
    }
    if events is not None:
        out["history"] = events
    return out
