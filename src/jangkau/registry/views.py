"""How registry records are shown to a caller: full identifiers only for roles that need them."""

from __future__ import annotations

from typing import Any

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.kit.masking import mask_nik, mask_phone
from jangkau.registry.models import Employer, Membership, Person


def person_view(person: Person, principal: Principal, full: bool = False) -> dict[str, Any]:
    """A person as JSON; NIK and phone are masked unless ``full`` and the role may read full records."""
    clear = full and principal.can(Permission.REGISTRY_READ_FULL)
    return {
        "id": person.id,
        "nik": person.nik if clear else mask_nik(person.nik),
        "full_name": person.full_name,
        # a masked NIK hides exactly the birth date and sex (digits 7-12): showing them beside it would undo it
        "birth_date": person.birth_date if clear else None,
        "sex": person.sex if clear else None,
        "phone": person.phone if clear else mask_phone(person.phone),
        "address": person.address if clear else None,
        "rt": person.rt,
        "rw": person.rw,
        "village_code": person.village_code,
        "occupation": person.occupation,
        "is_vulnerable": person.is_vulnerable,
        "registered_by": {
            "kind": person.registered_by_kind,
            "label": person.registered_by_label,
            "person_id": person.registered_by_person_id,
        },
    }


def membership_view(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.id,
        "person_id": membership.person_id,
        "segment": membership.segment,
        "employer_id": membership.employer_id,
        "programs": membership.programs.split(","),
        "wage": membership.wage,
        "declared_income": membership.declared_income,
        "start_date": membership.start_date,
        "end_date": membership.end_date,
        "status": membership.status,
    }


def employer_view(employer: Employer) -> dict[str, Any]:
    return {
        "id": employer.id,
        "registration_number": employer.registration_number,
        "name": employer.name,
        "npwp": employer.npwp,
        "business_sector": employer.business_sector,
        "size_class": employer.size_class,
        "jkk_risk_group": employer.jkk_risk_group,
        "village_code": employer.village_code,
        "address": employer.address,
    }
