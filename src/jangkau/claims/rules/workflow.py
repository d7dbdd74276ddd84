"""The claim workflow as an explicit table: which action moves a claim from which statuses to which. Pure.

submitted -> documents_complete -> verified (maker) -> approved (checker, another user) -> paid; any status
before paid -> rejected (with a reason). Anything else is refused.
"""

from __future__ import annotations

from enum import StrEnum

from jangkau.claims.errors import TransitionRefused


class ClaimStatus(StrEnum):
    SUBMITTED = "submitted"
    DOCUMENTS_COMPLETE = "documents_complete"
    VERIFIED = "verified"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


class Action(StrEnum):
    COMPLETE_DOCUMENTS = "complete_documents"
    VERIFY = "verify"
    APPROVE = "approve"
    PAY = "pay"
    REJECT = "reject"


OPEN = frozenset({ClaimStatus.SUBMITTED, ClaimStatus.DOCUMENTS_COMPLETE, ClaimStatus.VERIFIED, ClaimStatus.APPROVED})

TRANSITIONS: dict[Action, tuple[frozenset[ClaimStatus], ClaimStatus]] = {
    Action.COMPLETE_DOCUMENTS: (frozenset({ClaimStatus.SUBMITTED}), ClaimStatus.DOCUMENTS_COMPLETE),
    Action.VERIFY: (frozenset({ClaimStatus.DOCUMENTS_COMPLETE}), ClaimStatus.VERIFIED),
    Action.APPROVE: (frozenset({ClaimStatus.VERIFIED}), ClaimStatus.APPROVED),
    Action.PAY: (frozenset({ClaimStatus.APPROVED}), ClaimStatus.PAID),
    Action.REJECT: (OPEN, ClaimStatus.REJECTED),
}

STATUS_ID = {
    ClaimStatus.SUBMITTED: "diajukan",
    ClaimStatus.DOCUMENTS_COMPLETE: "dokumen lengkap",
    ClaimStatus.VERIFIED: "diverifikasi",
    ClaimStatus.APPROVED: "disetujui",
    ClaimStatus.PAID: "dibayar",
    ClaimStatus.REJECTED: "ditolak",
}


def next_status(current: ClaimStatus, action: Action) -> ClaimStatus:
    """The status after ``action``.

    Raises:
        Conflict: the action is impossible from ``current`` (e.g. paying a claim that was not approved).
    """
    allowed, target = TRANSITIONS[action]
    if current not in allowed:
        needed = ", ".join(sorted(s.value for s in allowed))
        raise TransitionRefused(
            action.value,
            current.value,
            needed,
            STATUS_ID[current],
            ", ".join(sorted(STATUS_ID[s] for s in allowed)),
        )
    return target
