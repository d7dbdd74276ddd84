"""Funding pages: programmes with the budget planner, a sponsor's statement, the lapse list per village, and the
monthly billing runs (queued, with their progress live)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import JangkauError
from jangkau.funding import reminders
from jangkau.funding import repository as repo
from jangkau.funding import tasks as funding_tasks
from jangkau.funding.access import (
    ensure_payer_readable,
    ensure_programme_readable,
    funding_viewer,
    readable_payers,
    statement_scope,
)
from jangkau.funding.errors import MonthInvalid
from jangkau.funding.ledger import pages as ledger_pages
from jangkau.funding.reports import lapse_list, sponsor_statement
from jangkau.funding.repository import allocation as allocation_sql
from jangkau.funding.service import plan_budget, programme_summary
from jangkau.funding.sponsors import pages as sponsor_pages
from jangkau.kit import figures
from jangkau.kit.figures import last_complete_month
from jangkau.kit.months import Month
from jangkau.notify import clock as notify_clock
from jangkau.regions import repository as regions
from jangkau.regions.codes import parse_region_code
from jangkau.tasks import runs as task_runs
from jangkau.tasks.errors import TaskNotFound
from jangkau.tasks.queue import local_now
from jangkau.tasks.record import enqueue_in, started_by
from jangkau.web.forms import new_token, rupiah_field, submit_form
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(include_in_schema=False)
# the money desk and the sponsor forms first: their fixed paths (``/funding/programmes/new``) before ``{id}`` paths
router.include_router(ledger_pages.router)
router.include_router(sponsor_pages.router)
READ = Depends(require(Permission.FUNDING_READ))
VIEW = Depends(funding_viewer)  # staff, or a sponsor user for its own sponsors
SESSION = Depends(get_session)


def _planner(budget_typed: str, months: int, start: str | None, income_typed: str, programs: str) -> dict[str, Any]:
    """The planner's answer for the form, or the refusal to show next to it (amounts as typed: "Rp 2.300.000.000")."""
    first = start or str(Month.of(dt.date.today()))
    values: dict[str, Any] = {
        "budget": budget_typed.strip(),
        "months": months,
        "start": first,
        "income": income_typed.strip() or "1.000.000",
        "programs": programs,
    }
    try:
        budget = rupiah_field(budget_typed, "budget")
        income = rupiah_field(income_typed, "income", default=1_000_000) or 1_000_000
        if not budget:
            return {"values": values}
        return {"values": values, "plan": plan_budget(budget, months, first, income, programs)}
    except JangkauError as exc:
        return {"values": values, "error": exc.message_id or exc.message}


@router.get("/funding", response_class=HTMLResponse)
def programmes_page(
    request: Request,
    session: Session = SESSION,
    principal: Principal = VIEW,
    budget: str = Query("", max_length=40),
    months: int = Query(12, ge=1, le=60),
    start: str | None = Query(None, max_length=7),
    income: str = Query("", max_length=40),
    programs: str = Query("jkk,jkm", max_length=40),
) -> HTMLResponse:
    """Programmes and the budget planner: how many workers does a budget cover on a package?"""
    allowed = readable_payers(session, principal)
    rows = [
        (p, s, programme_summary(session, p.id))
        for p, s in repo.programmes_with_sponsors(session)
        if allowed is None or s.id in allowed
    ]
    context = {
        "rows": rows,
        **_planner(budget, months, start, income, programs),
        **_reminder_figures(session, principal),
    }
    return render(request, "funding/programmes.html", context, status_code=422 if context.get("error") else 200)


def _reminder_figures(session: Session, principal: Principal) -> dict[str, Any]:
    """The reminder figures of the caller's territory (staff only: a sponsor's scope is empty)."""
    if not principal.scope:
        return {}
    return {
        "reminders": reminders.figures(session, principal.scope, notify_clock.now().date()),
        "may_see_messages": principal.can(Permission.REGISTRY_READ),
    }


@router.get("/funding/programmes/{programme_id}", response_class=HTMLResponse)
def programme_page(
    request: Request, programme_id: int, session: Session = SESSION, principal: Principal = VIEW
) -> HTMLResponse:
    ensure_programme_readable(session, principal, programme_id)
    summary = programme_summary(session, programme_id)
    planner = _planner(
        str(summary["remaining"] or ""),
        summary["months"],
        summary["start_month"],
        str(summary["declared_income"] or ""),
        ",".join(summary["programs"]),
    )
    return render(request, "funding/programme.html", {"p": summary, **planner})


@router.get("/funding/sponsors/{sponsor_id}/statement", response_class=HTMLResponse)
def statement_page(
    request: Request,
    sponsor_id: int,
    session: Session = SESSION,
    principal: Principal = VIEW,
    first: str | None = Query(None, alias="from", max_length=7),
    last: str | None = Query(None, alias="to", max_length=7),
) -> HTMLResponse:
    """Who the sponsor covered, for which months, what was billed and paid (XLSX and PDF from the API); by default
    the last complete month. Beside it, the headline figures of the sponsor's region for the last month of the
    statement, of which the sponsor's own members are a part."""
    default = str(last_complete_month(dt.date.today()))
    first, last = first or default, last or first or default
    try:
        first_month = Month.parse(first)
    except ValueError as exc:
        raise MonthInvalid("from", first, str(exc)) from exc
    try:
        last_month = Month.parse(last)
    except ValueError as exc:
        raise MonthInvalid("to", last, str(exc)) from exc
    ensure_payer_readable(session, principal, sponsor_id)
    data = sponsor_statement(session, sponsor_id, first_month, last_month, statement_scope(principal))
    audit.record(session, principal, "read", "sponsor_statement", sponsor_id)
    region = data["sponsor"]["region_code"]
    context: dict[str, object] = {"s": data, "sponsor_id": sponsor_id, "first": first, "last": last}
    # aggregate counts only (no person): shown to staff of the region and to the sponsor's own users (checked above)
    if region and (principal.sees(region) or not principal.can(Permission.FUNDING_READ)):
        context["figures"] = figures.for_regions(session, [region], last_month).as_dict()
        context["territory"] = regions.names(session, [region]).get(region, region)
        context["own_protected"] = sum(1 for w in data["workers"] if str(last_month) in w["protected_months"])
    return render(request, "funding/statement.html", context)


@router.get("/funding/lapses", response_class=HTMLResponse)
def lapses_page(
    request: Request,
    session: Session = SESSION,
    principal: Principal = READ,
    village: str | None = Query(None, max_length=20),
) -> HTMLResponse:
    """BPU members in arrears or ended in the last 90 days, per village, for outreach."""
    code = parse_region_code(village, "village").code if village else None
    data = lapse_list(session, principal.scope, dt.date.today(), code)
    return render(request, "funding/lapses.html", {"data": data, "village": code or ""})


@router.get("/funding/review", response_class=HTMLResponse)
def review_page(
    request: Request, session: Session = SESSION, _principal: Principal = Depends(require(Permission.FUNDING_WRITE))
) -> HTMLResponse:
    """Statement lines that matched no bill, with the reason, for an officer to follow up."""
    credits = allocation_sql.review_credits(session)
    return render(request, "funding/review.html", {"rows": repo.review_list(session), "credits": credits})


BILLING = Depends(require(Permission.TASKS_MANAGE))  # the branch office issues the month's bills


def _billing_page(
    request: Request, session: Session, error: JangkauError | None = None, month: str | None = None
) -> HTMLResponse:
    now = local_now()
    context = {
        "runs": task_runs.list_tasks(session, None, funding_tasks.billing_run.name, 13),
        "month": month if month is not None else str(Month(now.year, now.month)),
        "form_token": new_token(),
        "error": error,
    }
    return render(request, "funding/billing.html", context, status_code=error.http_status if error else 200)


@router.get("/funding/billing", response_class=HTMLResponse)
def billing_page(request: Request, session: Session = SESSION, _p: Principal = BILLING) -> HTMLResponse:
    """The monthly billing runs, each with a progress bar that follows the run live; start a month's run."""
    return _billing_page(request, session)


@router.post("/funding/billing", response_model=None)
def billing_start(
    request: Request,
    month: str = Form("", max_length=7),
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    principal: Principal = BILLING,
    session: Session = SESSION,
) -> Response:
    """Queue the billing run of ``month`` and follow it on its own page (a month in the future or a closed month is
    refused with the reason). A double submit, or a second start while the month's run is under way, follows the
    same run: the task record is one per month."""
    check_csrf(request, csrf_token)

    def produce() -> str:
        task_id = enqueue_in(session, funding_tasks.billing_run, started_by(principal), month=month.strip())
        return f"/funding/billing/{task_id}"

    def refused(exc: Exception) -> Response:
        assert isinstance(exc, JangkauError)
        return _billing_page(request, session, exc, month)

    return submit_form(session, principal, form_token, "/funding/billing", produce, refused, (JangkauError,))


@router.get("/funding/billing/{task_id}", response_class=HTMLResponse)
def billing_run_page(
    request: Request, task_id: int, session: Session = SESSION, principal: Principal = BILLING
) -> HTMLResponse:
    """One billing run: its progress (the page reloads itself every few seconds while the run is under way, no
    script needed) and, once done, the bills, lines and Rupiah it created per kind of bill."""
    record = task_runs.visible_task(session, task_id, principal)
    if record.name != funding_tasks.billing_run.name:
        raise TaskNotFound(task_id)
    return render(request, "funding/billing_run.html", {"task": task_runs.read(record)})
