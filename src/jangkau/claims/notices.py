"""What the claimant is told, through notify: claim received, documents needed, approved, paid.

Each message is asked for once per claim and step (notify's natural key); it reaches the person only on a
channel they agreed to, outside quiet hours.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from jangkau.claims.models import Claim
from jangkau.kit.money import format_rupiah
from jangkau.notify import service as notify
from jangkau.notify.templates import Use
from jangkau.registry.models import Person


def tell(session: Session, claim: Claim, person: Person, use: Use, step: str = "", documents: str = "") -> None:
    """Ask notify for the message of ``use`` about ``claim`` to ``person`` (the claimant)."""
    values = {"nama": person.full_name, "klaim": claim.reference or str(claim.id)}
    if use in (Use.CLAIM_APPROVED, Use.CLAIM_PAID):
        values["jumlah"] = format_rupiah(claim.paid_amount or claim.amount)
    if use == Use.CLAIM_DOCUMENTS_NEEDED:
        values["dokumen"] = documents
    reference = f"claim:{claim.id}{':' + step if step else ''}"
    recipient = notify.person(person.id, person.village_code, person.phone)
    notify.request(session, recipient, use, reference, values, campaign="claims")
