"""Who may read which sponsor's figures.

Staff with ``funding.read`` read every programme and statement in their territory. A sponsor user
(``funding.own``: the APBD treasurer, a CSR officer) reads only the payers it has been granted
(``funding_payer_user``): another sponsor's programme or statement is "not found" to it, exactly as if it
did not exist, so sponsors cannot probe for each other's budgets or beneficiaries.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from sqlalchemy import CompoundSelect, select
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth import repository as auth_repo
from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission, Role
from jangkau.funding import repository as repo
from jangkau.funding.errors import NotASponsorUser, ProgrammeNotFound, SponsorNotFound, UserNotFound
from jangkau.funding.models import SPONSOR_KINDS, MembershipPayer, PayerUser, Programme, Sponsorship
from jangkau.registry.access import register_owned_persons
from jangkau.registry.models import Membership


def _sponsored_persons(principal: Principal) -> CompoundSelect[Any] | None:
    """The people a sponsor user owns: members of its sponsors' programmes, or whose contributions it pays."""
    if principal.user_id is None:
        return None
    payers = select(PayerUser.payer_id).where(PayerUser.user_id == principal.user_id)
    programmes = select(Programme.id).where(Programme.payer_id.in_(payers))
    sponsored = select(Sponsorship.person_id).where(Sponsorship.programme_id.in_(programmes))
    paid_for = (
        select(Membership.person_id)
        .join(MembershipPayer, MembershipPayer.membership_id == Membership.id)
        .where(MembershipPayer.payer_id.in_(payers))
    )
    return sponsored.union(paid_for)


register_owned_persons(Role.SPONSOR, _sponsored_persons)


def funding_viewer(principal: Principal = Depends(current_principal)) -> Principal:
    """FastAPI dependency: the caller reads funding figures, all of them or its own sponsor's."""
    if not principal.can(Permission.FUNDING_OWN):
        principal.require(Permission.FUNDING_READ)
    return principal


def readable_payers(session: Session, principal: Principal) -> set[int] | None:
    """The payer ids the caller may read, or ``None`` for all of them (staff)."""
    if principal.can(Permission.FUNDING_READ):
        return None
    if principal.user_id is None or not principal.can(Permission.FUNDING_OWN):
        return set()
    return set(session.scalars(select(PayerUser.payer_id).where(PayerUser.user_id == principal.user_id)))


def statement_scope(principal: Principal) -> tuple[str, ...]:
    """Whose workers a statement lists: staff, those of their territory; a sponsor user, every worker of the
    sponsor it was granted (already checked by :func:`ensure_payer_readable`), wherever they live."""
    if principal.can(Permission.FUNDING_READ):
        return principal.scope
    return ("",)


def ensure_payer_readable(session: Session, principal: Principal, payer_id: int) -> None:
    """Raise NotFound when the caller may not read this sponsor (as if the sponsor did not exist)."""
    allowed = readable_payers(session, principal)
    if allowed is not None and payer_id not in allowed:
        raise SponsorNotFound(payer_id)


def ensure_programme_readable(session: Session, principal: Principal, programme_id: int) -> None:
    """Raise NotFound when the programme does not exist or belongs to a sponsor the caller may not read."""
    programme = repo.programme(session, programme_id)
    allowed = readable_payers(session, principal)
    if programme is None or (allowed is not None and programme.payer_id not in allowed):
        raise ProgrammeNotFound(programme_id)


def grant_payer(session: Session, principal: Principal, payer_id: int, username: str) -> dict[str, Any]:
    """Let a sponsor user read one sponsor's programmes and statements (audited; a second grant changes nothing).

    Raises:
        NotFound: no such sponsor or user.
        Conflict: the user is not a sponsor user (staff already read everything; others may not).
    """
    payer = repo.payer(session, payer_id)
    if payer is None or payer.kind not in SPONSOR_KINDS:
        raise SponsorNotFound(payer_id)
    user = auth_repo.user_by_username(session, username)
    if user is None:
        raise UserNotFound(username)
    if user.role != Role.SPONSOR.value:
        raise NotASponsorUser(username, user.role)
    created = session.get(PayerUser, (payer_id, user.id)) is None
    if created:
        session.add(PayerUser(payer_id=payer_id, user_id=user.id))
        session.flush()
        audit.record(session, principal, "grant", "sponsor_user", user.id, after={"payer_id": payer_id})
    return {"payer_id": payer_id, "payer": payer.name, "username": username, "created": created}


def revoke_payer(session: Session, principal: Principal, payer_id: int, username: str) -> dict[str, Any]:
    """Take a sponsor away from a user (audited; revoking what was never granted changes nothing)."""
    user = auth_repo.user_by_username(session, username)
    if user is None:
        raise UserNotFound(username)
    link = session.get(PayerUser, (payer_id, user.id))
    if link is not None:
        session.delete(link)
        session.flush()
        audit.record(session, principal, "revoke", "sponsor_user", user.id, before={"payer_id": payer_id})
    return {"payer_id": payer_id, "username": username, "revoked": link is not None}
