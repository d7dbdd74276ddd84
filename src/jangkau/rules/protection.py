"""What a worker is told about their protection today: one status and one sentence, the same on every page.

Protection starts with the first paid contribution month (PP 45/2015 Ps 3) and a month is protected once its
contribution is paid in full (``funding_paid_month``). Two readings follow from the law and the bills:

- BPU contributions are paid ahead, due the 15th of the month itself: only a paid month protects. A worker whose
  current month is unpaid is "not protected since" the day after the last paid month, even before the 15th (the
  page shows the amount and the due date beside it).
- PU contributions are paid by the employer after the month, due the 15th of the next month: a month after the
  last paid one whose due date has not passed yet is still protected (the employer is not late), so a PU worker
  is "protected until" the end of the last such month.

A membership that has ended is never "protected", whatever was paid, and a sponsor-paid enrolment that the sponsor
has not approved yet says so. The answer never shows a past date as "protected until".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from jangkau.i18n import N_, format_date, gettext
from jangkau.kit.months import Month
from jangkau.rules.model import Segment
from jangkau.rules.payment import due_date


class Protection(StrEnum):
    """The kinds of answer (one sentence each, in ``SENTENCES``)."""

    PROTECTED_UNTIL = "protected_until"
    FIRST_CONTRIBUTION_UNPAID = "first_contribution_unpaid"
    AWAITING_SPONSOR_APPROVAL = "awaiting_sponsor_approval"
    STARTS_ON = "starts_on"
    NOT_PROTECTED_SINCE = "not_protected_since"
    ENDED_SINCE = "ended_since"
    ENDED = "ended"


class PayerKind(StrEnum):
    """Who pays the contributions."""

    SELF = "self"
    EMPLOYER = "employer"
    SPONSOR = "sponsor"


SENTENCES: dict[Protection, str] = {
    Protection.PROTECTED_UNTIL: N_("Protected until %(date)s"),
    Protection.FIRST_CONTRIBUTION_UNPAID: N_("Not yet protected: the first contribution has not been paid"),
    Protection.AWAITING_SPONSOR_APPROVAL: N_("Not yet protected: waiting for the sponsor's approval"),
    Protection.STARTS_ON: N_("Not yet protected: protection starts on %(date)s"),
    Protection.NOT_PROTECTED_SINCE: N_("Not protected since %(date)s"),
    Protection.ENDED_SINCE: N_("Not protected since %(date)s: the membership has ended"),
    Protection.ENDED: N_("Not protected: the membership has ended"),
}
# the first contribution of someone else's payer: who has not paid it yet
UNPAID_BY = N_("Not yet protected: the first contribution has not been paid by %(payer)s")


@dataclass(frozen=True)
class ProtectionStatus:
    """The answer: its kind, the date in its sentence, and the sentence in the page's language."""

    kind: Protection
    protected: bool
    on: dt.date | None  # "until" for PROTECTED_UNTIL, "since"/"starts" for the others, None when no date
    sentence: str

    @property
    def css(self) -> str:
        """``ok`` while protected, ``bad`` otherwise (the pages' colour)."""
        return "ok" if self.protected else "bad"


def _counts(segment: str, month: Month, paid: set[Month], today: dt.date) -> bool:
    """Whether ``month`` protects the worker: paid, or (PU, up to this month) not yet due and following a month
    that protects (an unpaid run after a paid month, none of it late yet)."""
    if month in paid:
        return True
    if segment != Segment.PU.value or month > Month.of(today) or not paid or month < min(paid):
        return False
    return due_date(Segment.PU, month).due_on >= today and _counts(segment, month.plus(-1), paid, today)


def _protected_until(segment: str, paid: set[Month], today: dt.date) -> dt.date | None:
    """The last day of the run of protecting months that holds today, or ``None`` when today is not protected."""
    month = Month.of(today)
    if not paid or month < min(paid) or not _counts(segment, month, paid, today):
        return None
    while _counts(segment, month.next(), paid, today):
        month = month.next()
    return month.last_day()


def protection_status(
    segment: str,
    paid_months: Iterable[Month],
    today: dt.date,
    lang: str,
    *,
    payer: PayerKind = PayerKind.SELF,
    payer_name: str = "",
    ended: bool = False,
    awaiting_approval: bool = False,
) -> ProtectionStatus:
    """One membership's protection today, with its sentence in ``lang``.

    Args:
        segment: ``pu``, ``bpu`` (or ``jakon``/``pmi``: paid months only).
        paid_months: the contribution months paid in full (any order).
        today: the day the answer is for.
        lang: the page's language (``id`` or ``en``).
        payer: who pays; ``payer_name`` names an employer or sponsor in the first-payment sentence.
        ended: the membership has ended (lapsed for good, closed, or a JHT claim).
        awaiting_approval: a sponsor-paid enrolment still waiting for the sponsor's decision.

    Returns:
        The kind, whether the worker is protected today, the date the sentence names and the sentence.
    """
    paid = set(paid_months)
    last_paid = max(paid) if paid else None
    if ended:
        since = last_paid.next().first_day() if last_paid and last_paid.next().first_day() <= today else None
        return _answer(Protection.ENDED_SINCE if since else Protection.ENDED, False, since, lang)
    until = _protected_until(segment, paid, today)
    if until is not None:
        return _answer(Protection.PROTECTED_UNTIL, True, until, lang)
    if last_paid is None:
        if awaiting_approval:
            return _answer(Protection.AWAITING_SPONSOR_APPROVAL, False, None, lang)
        if payer is not PayerKind.SELF and payer_name:
            return ProtectionStatus(
                Protection.FIRST_CONTRIBUTION_UNPAID, False, None, gettext(UNPAID_BY, lang, payer=payer_name)
            )
        return _answer(Protection.FIRST_CONTRIBUTION_UNPAID, False, None, lang)
    first_paid = min(paid)
    if first_paid > Month.of(today):
        return _answer(Protection.STARTS_ON, False, first_paid.first_day(), lang)
    # today is after a paid month: the first unprotected day after the last run that ended before today
    month = Month.of(today)
    while month > first_paid and not _counts(segment, month.plus(-1), paid, today):
        month = month.plus(-1)
    return _answer(Protection.NOT_PROTECTED_SINCE, False, month.first_day(), lang)


def _answer(kind: Protection, protected: bool, on: dt.date | None, lang: str) -> ProtectionStatus:
    params = {"date": format_date(on, lang)} if on is not None else {}
    return ProtectionStatus(kind, protected, on, gettext(SENTENCES[kind], lang, **params))
