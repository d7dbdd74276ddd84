"""The agent's daily list of follow-ups as a notify message (issue 21): one per agent per day, with a count only.

An active agent (active account) gets it on a day when at least one open or interested prospect of their villages
has a follow-up due on or before that day (the "follow-ups due" of today's work, :func:`fieldwork.todays_work`) and
they gave consent for WhatsApp or SMS (on the officer's agent form or their own page). notify's natural key
``("user:<id>", agent_followups, "<day>")`` makes a rerun of the day ask for nothing twice; notify picks the
channel and keeps the quiet hours (21:00-07:00 local) of the agent's zone, taken from their first village: at the
scheduled 07:00 WIB it is 08:00 WITA and 09:00 WIT, so every list goes out at once; a run moved earlier (the
schedule is editable) makes the WIB lists wait for 07:00 WIB while WITA / WIT ones may already go.
The text names the agent and the count; nothing about the workers to visit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from jangkau.notify import repository as notify_repo
from jangkau.notify import service as notify
from jangkau.notify.channels.base import PHONE_CHANNELS
from jangkau.notify.templates import Use
from jangkau.outreach import repository as repo

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")  # fmt: skip


def date_id(day: dt.date) -> str:
    """``4 Desember 2026``."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


@dataclass
class FollowupResult:
    agents_due: int = 0  # active agents with at least one follow-up due
    asked: int = 0  # messages asked of notify (new or made by an earlier run)
    no_consent: int = 0  # agents due but without WhatsApp/SMS consent
    message_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"agents_due": self.agents_due, "asked": self.asked, "no_consent": self.no_consent}


def queue_followups(session: Session, day: dt.date, now: dt.datetime | None = None) -> FollowupResult:
    """Ask notify for the day's list of every agent with follow-ups due and a phone consent (once per agent and
    day: a rerun returns the messages already made)."""
    result = FollowupResult()
    due = repo.followups_due_by_agent(session, day)
    result.agents_due = len(due)
    consented = notify_repo.granted_users(session, [u for _a, u, _v, _n in due], [c.value for c in PHONE_CHANNELS])
    names = repo.full_names(session, [u for _a, u, _v, _n in due if u in consented])
    for _agent_id, user_id, village, count in due:
        if user_id not in consented:
            result.no_consent += 1
            continue
        variables = {"nama": names.get(user_id, ""), "jumlah_kunjungan": str(count), "tanggal": date_id(day)}
        message = notify.request(
            session, notify.user(user_id, village), Use.AGENT_FOLLOWUPS, day.isoformat(), variables,
            campaign=f"followups:{day:%Y-%m}", now=now,
        )  # fmt: skip
        if message is not None:
            result.asked += 1
            result.message_ids.append(message.id)
    return result
