"""What each role's home page shows: that role's tasks and alerts, each with its count and a link to the page that
lists them (the count is the one that page shows, from the same service function).

One builder per role, chosen by an explicit table keyed by the role (DESIGN.md). A task is a ``key`` (its label
is in the template, through the catalog), a count, the link, and whether it is an alert (something waits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission, Role
from jangkau.auth.users.service import user_counts
from jangkau.claims.service import open_claims_count
from jangkau.funding.protection import member_protection
from jangkau.funding.reports import lapse_list
from jangkau.funding.requests.service import pending_requests
from jangkau.funding.service import membership_coverage, sponsors_of, unmatched_payments
from jangkau.jobs.applications.service import hire_tasks
from jangkau.jobs.labour.service import office_queue
from jangkau.kit.pagination import PageRequest
from jangkau.linkage import review
from jangkau.outreach.service import running_campaigns
from jangkau.registry import repository as registry
from jangkau.ruleadmin.service import versions
from jangkau.tasks import runs

MAX_LISTS = 20  # lists whose doubtful pairs are counted on a home page


@dataclass(frozen=True)
class Task:
    """One line of a home page: what waits, how many, where to do it."""

    key: str
    count: int | None
    href: str
    alert: bool = False


def _task(key: str, count: int | None, href: str) -> Task:
    return Task(key, count, href, alert=bool(count))


def _pairs_to_review(session: Session, principal: Principal) -> tuple[int, int]:
    """(lists in the territory, doubtful pairs waiting for a verdict in the newest of them)."""
    lists = review.lists(session, principal)
    if not principal.can(Permission.LINKAGE_REVIEW):
        return len(lists), 0
    pairs = sum(
        review.review_queue(session, principal, item["list_id"], PageRequest(1, 1))["total"]
        for item in lists[:MAX_LISTS]
    )
    return len(lists), pairs


def branch_officer(session: Session, principal: Principal, today: dt.date) -> dict[str, Any]:
    _lists, pairs = _pairs_to_review(session, principal)
    return {
        "tasks": [
            _task("claims_waiting", open_claims_count(session, principal), "/claims"),
            _task("payments_unmatched", unmatched_payments(session), "/funding/review"),
            _task("lapses", lapse_list(session, principal.scope, today)["total"], "/funding/lapses"),
            _task("pairs_to_review", pairs, "/linkage"),
        ]
    }


def region_officer(session: Session, principal: Principal, today: dt.date) -> dict[str, Any]:
    lists, pairs = _pairs_to_review(session, principal)
    return {
        "campaigns": running_campaigns(session, principal, today),
        "tasks": [_task("pairs_to_review", pairs, "/linkage"), Task("outside_lists", lists, "/linkage")],
    }


def opd_officer(session: Session, principal: Principal, today: dt.date) -> dict[str, Any]:
    """The manpower office's day: its request queue (the count the queue page shows) and its jobs desk."""
    tasks = []
    if principal.can(Permission.JOBS_MANAGE):
        tasks = [
            _task("requests_open", len(office_queue(session, principal)), "/jobs/office/requests"),
            Task("jobs_desk", None, "/jobs/office"),
        ]
    return {"campaigns": running_campaigns(session, principal, today), "tasks": tasks}


def sponsor(session: Session, principal: Principal, today: dt.date) -> dict[str, Any]:
    """The sponsor's statements, and the enrolments charged to its programmes that wait for its decision."""
    waiting = len(pending_requests(session, principal, today))
    return {
        "sponsors": sponsors_of(session, principal.user_id) if principal.user_id is not None else [],
        "tasks": [_task("requests_to_decide", waiting, "/funding/requests")],
    }


def employer(session: Session, principal: Principal, today: dt.date) -> dict[str, Any]:  # noqa: ARG001
    if principal.employer_id is None:
        return {"tasks": []}
    waiting = [h for h in hire_tasks(session, principal) if h["status"] != "registered"]
    return {"tasks": [_task("hires_to_register", len(waiting), "/jobs/hires")]}


def worker(session: Session, principal: Principal, today: dt.date, lang: str = "id") -> dict[str, Any]:
    """The worker's own protection: the one protection sentence of each membership (the same words as the coverage
    page, the receipt and the card), and what is due."""
    if principal.person_id is None:
        return {"protection": None, "tasks": []}
    arrears = 0
    sentences = []
    memberships = registry.memberships_of(session, principal.person_id)
    for membership in memberships:
        found = membership_coverage(session, membership.id, today)
        arrears += int(found.get("arrears_amount") or 0)
        status = member_protection(session, membership, today, lang).status
        sentences.append({"segment": membership.segment, "sentence": status.sentence, "css": status.css})
    protected = any(s["css"] == "ok" for s in sentences)
    return {
        "protection": {
            "registered": bool(memberships),
            "protected": protected,
            "sentences": sentences,
            "arrears": arrears,
        },
        "tasks": [],
    }


def rules_admin(session: Session, principal: Principal, today: dt.date) -> dict[str, Any]:  # noqa: ARG001
    mine = principal.username
    proposals = [v for v in versions(session, principal) if v.state == "proposed" and v.proposed_by != mine]
    return {"tasks": [_task("proposals_to_check", len(proposals), "/rules")]}


def admin(session: Session, principal: Principal, today: dt.date) -> dict[str, Any]:  # noqa: ARG001
    counts = user_counts(session)
    failed = len(runs.list_tasks(session, "failed"))
    return {
        "tasks": [
            Task("users_active", counts["active"], "/admin/users"),
            Task("users_inactive", counts["inactive"], "/admin/users"),
            _task("tasks_failed", failed, "/admin/tasks?status=failed"),
        ]
    }


Builder = Callable[[Session, Principal, dt.date], dict[str, Any]]

HOMES: dict[Role, Builder] = {
    Role.ADMIN: admin,
    Role.BRANCH_OFFICER: branch_officer,
    Role.REGION_OFFICER: region_officer,
    Role.OPD_OFFICER: opd_officer,
    Role.SPONSOR: sponsor,
    Role.EMPLOYER: employer,
    Role.WORKER: worker,
    Role.RULES_ADMIN: rules_admin,
}
"""Each role's home page; the field agent's is built by outreach (:func:`jangkau.outreach.pages.home_cards`)."""


def home_of(session: Session, principal: Principal, today: dt.date, lang: str = "id") -> dict[str, Any]:
    """The tasks, alerts and figures of ``principal``'s home page (``lang``: the page's, for sentences)."""
    if principal.role is Role.WORKER:
        return worker(session, principal, today, lang)
    builder = HOMES.get(principal.role)
    return builder(session, principal, today) if builder else {"tasks": []}
