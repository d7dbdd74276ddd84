"""Prospect and event pages for ``outreach.manage``: prospects by hand, from a CSV file (every rejected row shown
with its reason) and from the lapses of a village; socialisation sessions and trainings with their attendance."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import FieldError, InvalidInput
from jangkau.kit.pagination import PageRequest
from jangkau.outreach import errors as refusals
from jangkau.outreach import repository as repo
from jangkau.outreach import service
from jangkau.outreach.agents.pages import territory_villages
from jangkau.outreach.events import service as events
from jangkau.outreach.fieldwork import service as fieldwork
from jangkau.outreach.forms import REFUSALS, new_token, problem, submit_once
from jangkau.outreach.models import EVENT_KINDS, PROSPECT_STATUSES, TRAINING_TOPICS
from jangkau.outreach.schemas import AttendeeIn, EventIn, ProspectIn, ProspectRead
from jangkau.regions import repository as regions
from jangkau.regions.codes import parse_region_code
from jangkau.web.forms import submit_form
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/outreach", include_in_schema=False)
SESSION = Depends(get_session)
MANAGE = Depends(require(Permission.OUTREACH_MANAGE))
CSV_COLUMNS = ("nik", "full_name", "village_code", "rt", "rw", "address", "occupation")
MAX_CSV_ROWS = 50_000
PAGE_SIZE = 50


def _prospects_context(
    request: Request, session: Session, principal: Principal, **extra: Any
) -> dict[str, Any]:  # fmt: skip
    village = request.query_params.get("village") or None
    status = request.query_params.get("status") or None
    page = int(request.query_params.get("page", "1")) if request.query_params.get("page", "1").isdigit() else 1
    code = parse_region_code(village, "village").code if village else None
    listing = repo.list_prospects(session, principal.scope, PageRequest(max(page, 1), PAGE_SIZE), code, status)
    names = regions.names(session, {p.village_code for p in listing.items})
    return {
        "prospects": [ProspectRead.for_caller(p, principal, names).model_dump() for p in listing.items],
        "total": listing.total,
        "page": page,
        "pages": max(1, -(-listing.total // PAGE_SIZE)),
        "village": village or "",
        "status": status or "",
        "statuses": PROSPECT_STATUSES,
        "groups": territory_villages(session, principal),
        "columns": CSV_COLUMNS,
        "form_token": new_token(),
        "values": {},
        "error": None,
        "result": None,
        **extra,
    }


@router.get("/prospects", response_class=HTMLResponse)
def prospects(request: Request, session: Session = SESSION, principal: Principal = MANAGE) -> HTMLResponse:
    """Prospects of the territory (filter by village and status), and the three ways to add them."""
    return render(request, "outreach/prospects.html", _prospects_context(request, session, principal))


def _added(
    request: Request, session: Session, principal: Principal, form: str, token: str, values: dict[str, Any],
    produce: Any,
) -> Response:  # fmt: skip
    """Run an add (once per form), then show what was added and every rejected row; a refusal is a 422."""
    try:
        answer, again = submit_once(session, principal, token, f"/outreach/prospects#{form}", produce)
    except REFUSALS as exc:
        context = _prospects_context(request, session, principal, values=values, error=problem(exc, form))
        return render(request, "outreach/prospects.html", context, status_code=422)
    result = {**answer, "form": form, "again": again}
    return render(request, "outreach/prospects.html", _prospects_context(request, session, principal, result=result))


@router.post("/prospects", response_model=None)
def add_one(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    full_name: str = Form(""),
    nik: str = Form(""),
    village_code: str = Form(""),
    rt: str = Form(""),
    rw: str = Form(""),
    address: str = Form(""),
    occupation: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """Add one prospect by hand; a rejected one is a refusal (nothing saved) shown with the values typed."""
    check_csrf(request, csrf_token)
    values = {"full_name": full_name, "nik": nik, "village_code": village_code, "rt": rt, "rw": rw,
              "address": address, "occupation": occupation}  # fmt: skip

    def produce() -> dict[str, Any]:
        row = ProspectIn.model_validate({k: v or None for k, v in values.items()})
        result = fieldwork.add_prospects(session, [row], "manual", principal)
        if result.rejected:
            raise _rejected(result.rejected[0])
        return result.as_dict()

    return _added(request, session, principal, "one", form_token, values, produce)


def _rejected(row: dict[str, Any]) -> InvalidInput:
    if "code" in row:  # a service refusal: its own message and fields
        fields = [FieldError(f["field"], f["message"], f["message_id"]) for f in row.get("fields", [])]
        return InvalidInput(row["message"], row.get("message_id", ""), code=row["code"], fields=fields)
    return InvalidInput.for_field(str(row.get("field", "")), str(row["message"]), str(row["message"]))


@router.post("/prospects/import", response_model=None)
def add_csv(
    request: Request,
    file: UploadFile = File(...),
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """Add prospects from a CSV file: good rows are kept, every rejected row is listed with its line and reason."""
    check_csrf(request, csrf_token)
    content = file.file.read()

    def produce() -> dict[str, Any]:
        rows = read_csv(content)
        result = fieldwork.add_prospects(session, rows, "manual", principal)
        return {**result.as_dict(), "rejected": [{**r, "line": r["row"] + 2} for r in result.rejected]}

    return _added(request, session, principal, "csv", form_token, {}, produce)


def read_csv(content: bytes) -> list[dict[str, str | None]]:
    """The rows of a prospect CSV (comma or semicolon, UTF-8), with the known columns only.

    Raises:
        InvalidInput: not UTF-8 text, no header, a column that is not known, no ``full_name``, too many rows.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refusals.NotUtf8Csv() from exc
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if not header or unknown or "full_name" not in header:
        raise refusals.CsvHeaderInvalid(CSV_COLUMNS, unknown)
    rows = [{h: (v or "").strip() or None for h, v in zip(header, r.values(), strict=False)} for r in reader]
    if not rows or len(rows) > MAX_CSV_ROWS:
        raise refusals.CsvRowCount(MAX_CSV_ROWS)
    return rows


@router.post("/prospects/from-lapses", response_model=None)
def from_lapses(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    village_code: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """Make prospects from the lapses of one village (a village outside the territory is 404)."""
    check_csrf(request, csrf_token)

    def produce() -> dict[str, Any]:
        if not village_code:
            raise refusals.ChooseVillage()
        return fieldwork.prospects_from_lapses(session, principal, village=village_code).as_dict()

    return _added(request, session, principal, "lapses", form_token, {"lapse_village": village_code}, produce)


# --- events ------------------------------------------------------------------------------------------------


def _events_context(session: Session, principal: Principal, **extra: Any) -> dict[str, Any]:
    return {
        "events": events.list_events(session, principal),
        "kinds": EVENT_KINDS,
        "topics": TRAINING_TOPICS,
        "campaigns": _campaigns(session, principal),
        "form_token": new_token(),
        "values": {"kind": "socialisation", "topics": []},
        "error": None,
        **extra,
    }


def _campaigns(session: Session, principal: Principal) -> list[dict[str, Any]]:
    return [{"id": c.id, "name": c.name} for c in repo.campaigns_in(session, principal.scope, 50)]


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, session: Session = SESSION, principal: Principal = MANAGE) -> HTMLResponse:
    return render(request, "outreach/events.html", _events_context(session, principal))


@router.post("/events", response_model=None)
def create_event(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    kind: str = Form(""),
    title: str = Form(""),
    organiser: str = Form(""),
    place: str = Form(""),
    region_code: str = Form(""),
    held_on: str = Form(""),
    topics: list[str] = Form([]),
    campaign_id: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    check_csrf(request, csrf_token)
    values = {"kind": kind, "title": title, "organiser": organiser, "place": place, "region_code": region_code,
              "held_on": held_on, "topics": topics, "campaign_id": campaign_id}  # fmt: skip

    def produce() -> str:
        if campaign_id:
            service.campaign_in_scope(session, int(campaign_id), principal)
        data = EventIn.model_validate({**values, "campaign_id": int(campaign_id) if campaign_id else None})
        return f"/outreach/events/{events.create_event(session, data, principal).id}?created=1"

    def refused(exc: Exception) -> Response:
        context = _events_context(session, principal, values=values, error=problem(exc, "create"))
        return render(request, "outreach/events.html", context, status_code=422)

    return submit_form(session, principal, form_token, "/outreach/events", produce, refused, REFUSALS)


def _event_context(session: Session, event_id: int, principal: Principal, **extra: Any) -> dict[str, Any]:
    return {"e": events.event_detail(session, event_id, principal), "form_token": new_token(), "values": {},
            "error": None, "result": None, **extra}  # fmt: skip


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(
    request: Request, event_id: int, session: Session = SESSION, principal: Principal = MANAGE
) -> HTMLResponse:
    return render(request, "outreach/event.html", _event_context(session, event_id, principal))


def attendee_rows(text: str) -> list[AttendeeIn]:
    """One attendee a line: a NIK (16 digits), ``@username`` of an agent, or a name; ``-`` first = did not come."""
    rows = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        attended = not line.startswith("-")
        line = line.lstrip("-").strip()
        digits = line.replace(" ", "").replace(".", "")
        if line.startswith("@"):
            rows.append(AttendeeIn(username=line[1:].strip().lower(), attended=attended))
        elif digits.isdigit() and len(digits) >= 10:
            rows.append(AttendeeIn(nik=digits, attended=attended))
        else:
            rows.append(AttendeeIn(name=line[:150], attended=attended))
    return rows


@router.post("/events/{event_id}/attendees", response_model=None)
def add_attendees(
    request: Request,
    event_id: int,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    attendees: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """Record attendance (an event outside the territory is 404; rejected lines are listed, the others kept)."""
    check_csrf(request, csrf_token)
    events.event_detail(session, event_id, principal)  # 404 outside the territory

    def produce() -> dict[str, Any]:
        rows = attendee_rows(attendees)
        if not rows:
            raise refusals.AttendeesNeeded()
        return events.add_attendees(session, event_id, rows, principal)

    action = f"/outreach/events/{event_id}/attendees"
    try:
        answer, again = submit_once(session, principal, form_token, action, produce)
    except REFUSALS as exc:
        context = _event_context(
            session, event_id, principal, values={"attendees": attendees}, error=problem(exc, "attendees")
        )
        return render(request, "outreach/event.html", context, status_code=422)
    result = {**answer, "again": again}
    return render(request, "outreach/event.html", _event_context(session, event_id, principal, result=result))
