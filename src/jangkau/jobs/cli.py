"""``jangkau jobs``: seekers, vacancies, matching, applications, hires and the daily hire check, training,
announcements and labour-service requests. Commands run as the installation's operator (whole country).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from jangkau.auth.principal import OPERATOR
from jangkau.clikit import emit_json, key_values, table
from jangkau.db.session import unit
from jangkau.jobs import service
from jangkau.jobs.applications import service as applications
from jangkau.jobs.errors import CliInputInvalid
from jangkau.jobs.labour import service as labour
from jangkau.jobs.schemas import (
    AnnouncementIn,
    ApplicationIn,
    RequestIn,
    RequestStatusIn,
    SeekerIn,
    StatusIn,
    TrainingIn,
    VacancyIn,
)
from jangkau.jobs.training import service as training
from jangkau.jobs.vacancies.service import check_hires
from jangkau.kit.money import format_rupiah
from jangkau.kit.pagination import PageRequest

app = typer.Typer(
    help="Jobs and training: seekers, vacancies, matching, hires, training, services.", no_args_is_help=True
)
JSON = typer.Option(False, "--json", help="Print JSON.")


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], values: dict[str, Any]) -> M:
    """Validate CLI input; a bad value is an expected refusal (exit code 2), not a traceback."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        text = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise CliInputInvalid(text) from exc


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _show(data: dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        emit_json(data)
        return
    key_values(title, {k: v for k, v in data.items() if not isinstance(v, dict | list)})


@app.command("seeker")
def seeker(
    nik: str = typer.Option(..., "--nik"),
    skills: str = typer.Option(..., "--skills", help="Comma-separated, e.g. menjahit,las"),
    education: str = typer.Option("sma", "--education"),
    districts: str = typer.Option("", "--districts", help="Preferred kecamatan codes, comma-separated"),
    expected_wage: int | None = typer.Option(None, "--expected-wage"),
    experience_years: int = typer.Option(0, "--experience-years"),
    availability: str = typer.Option("now", "--availability"),
    as_json: bool = JSON,
) -> None:
    """Create or update the job-seeker profile of a registered person."""
    data = _parse(
        SeekerIn,
        {
            "nik": nik,
            "skills": _list(skills),
            "education": education,
            "preferred_districts": _list(districts),
            "expected_wage": expected_wage,
            "experience_years": experience_years,
            "availability": availability,
        },
    )
    with unit() as session:
        out = service.save_seeker(session, data, OPERATOR)
    _show(out, as_json, f"Seeker {out['id']}")


@app.command("post")
def post(
    employer: int = typer.Option(..., "--employer"),
    title: str = typer.Option(..., "--title"),
    sector: str = typer.Option(..., "--sector"),
    skills: str = typer.Option(..., "--skills"),
    wage: int = typer.Option(..., "--wage", help="Whole Rupiah per month (or per day with --per-day)"),
    district: str = typer.Option(..., "--district", help="Kecamatan code, e.g. 12.71.01"),
    contract: str = typer.Option("pkwt", "--contract"),
    per_day: bool = typer.Option(False, "--per-day"),
    openings: int = typer.Option(1, "--openings"),
    as_json: bool = JSON,
) -> None:
    """Post a vacancy (refused under the UMK/UMP, with the rule)."""
    data = _parse(
        VacancyIn,
        {
            "employer_id": employer,
            "title": title,
            "sector": sector,
            "skills": _list(skills),
            "wage_offered": wage,
            "wage_period": "day" if per_day else "month",
            "district_code": district,
            "contract_type": contract,
            "openings": openings,
        },
    )
    with unit() as session:
        out = service.post_vacancy(session, data, OPERATOR)
    _show(out, as_json, f"Vacancy {out['id']}")


@app.command("vacancies")
def vacancies(
    q: str | None = None, region: str | None = None, skill: str | None = None, page: int = 1, as_json: bool = JSON
) -> None:
    """Open vacancies, with each employer's compliance standing."""
    with unit() as session:
        out = service.search_vacancies(session, OPERATOR, PageRequest(page, 20), q, region, skill)
    if as_json:
        emit_json(out)
        return
    rows = [
        (
            v["id"],
            v["title"],
            v["employer"]["name"],
            format_rupiah(v["monthly_wage"]),
            v["district_code"],
            "!" if v["employer"]["standing"]["flagged"] else "",
        )
        for v in out["items"]
    ]
    table(f"Vacancies ({out['total']})", ["id", "title", "employer", "wage/month", "district", "findings"], rows)


def _matches(out: dict[str, Any], as_json: bool, label: str) -> None:
    if as_json:
        emit_json(out)
        return
    rows = [
        (
            m["rank"],
            m["id"],
            m.get("full_name") or m.get("title"),
            m["score"],
            " | ".join(f"{k} {p['points']}/{p['max']}: {p['why']}" for k, p in m["parts"].items()),
        )
        for m in out["items"]
    ]
    table(label, ["#", "id", "name", "score", "why"], rows)


@app.command("match-seekers")
def match_seekers(vacancy_id: int, limit: int = 20, as_json: bool = JSON) -> None:
    """Seekers ranked for a vacancy, with the parts of each score."""
    with unit() as session:
        out = service.seekers_for_vacancy(session, vacancy_id, OPERATOR, limit)
    _matches(out, as_json, f"Seekers for vacancy {vacancy_id}")


@app.command("match-vacancies")
def match_vacancies(seeker_id: int, limit: int = 20, as_json: bool = JSON) -> None:
    """Open vacancies ranked for a seeker, with the parts of each score."""
    with unit() as session:
        out = service.vacancies_for_seeker(session, seeker_id, OPERATOR, limit)
    _matches(out, as_json, f"Vacancies for seeker {seeker_id}")


@app.command("apply")
def apply(
    vacancy: int = typer.Option(..., "--vacancy"), seeker_id: int = typer.Option(..., "--seeker"), as_json: bool = JSON
) -> None:
    """Apply for a seeker to an open vacancy."""
    with unit() as session:
        out = applications.apply(
            session, _parse(ApplicationIn, {"vacancy_id": vacancy, "seeker_id": seeker_id}), OPERATOR
        )
    _show(out, as_json, f"Application {out['id']}")


@app.command("move")
def move(
    application_id: int,
    status: str,
    start_date: str | None = typer.Option(None, "--start-date", help="YYYY-MM-DD (hires)"),
    note: str | None = None,
    as_json: bool = JSON,
) -> None:
    """Move an application on: interviewed, hired, rejected (impossible steps are refused)."""
    data = _parse(StatusIn, {"status": status, "start_date": start_date, "note": note})
    with unit() as session:
        out = applications.move(session, application_id, data, OPERATOR)
    _show(out, as_json, f"Application {application_id}")


@app.command("hires")
def hires(status: str | None = None, as_json: bool = JSON) -> None:
    """Hires and whether they were registered (waiting, registered, finding)."""
    with unit() as session:
        out = applications.hire_tasks(session, OPERATOR, status)
    if as_json:
        emit_json(out)
        return
    rows = [(h["id"], h["employer"]["name"], h["full_name"], h["start_date"], h["due_on"], h["status"]) for h in out]
    table("Hires", ["id", "employer", "worker", "start", "due", "status"], rows)


@app.command("register-hire")
def register_hire(hire_id: int, as_json: bool = JSON) -> None:
    """Register a hired worker as a PU member with the wage offered."""
    with unit() as session:
        out = applications.register_hire(session, hire_id, OPERATOR)
    _show(out, as_json, f"Hire {hire_id}")


@app.command("check-hires")
def check(
    day: str | None = typer.Option(None, "--day", help="YYYY-MM-DD (default today)"), as_json: bool = JSON
) -> None:
    """The daily job: unregistered hires after 30 days become compliance findings (idempotent)."""
    out = check_hires(unit, dt.date.fromisoformat(day) if day else None).as_dict()
    _show(out, as_json, "Hire check")


@app.command("training-add")
def training_add(
    title: str = typer.Option(..., "--title"),
    provider: str = typer.Option(..., "--provider"),
    region: str = typer.Option(..., "--region"),
    starts: str = typer.Option(..., "--starts"),
    ends: str = typer.Option(..., "--ends"),
    seats: int = typer.Option(..., "--seats"),
    skills: str = typer.Option("", "--skills"),
    as_json: bool = JSON,
) -> None:
    """Add a training programme."""
    data = _parse(
        TrainingIn,
        {
            "title": title,
            "provider": provider,
            "region_code": region,
            "starts_on": starts,
            "ends_on": ends,
            "seats": seats,
            "skills": _list(skills),
        },
    )
    with unit() as session:
        out = training.add_training(session, data, OPERATOR)
    _show(out, as_json, f"Training {out['id']}")


@app.command("signup")
def signup(training_id: int, nik: str = typer.Option(..., "--nik"), as_json: bool = JSON) -> None:
    """Sign a person up for a training programme (never past its seats)."""
    with unit() as session:
        out = training.sign_up(session, training_id, OPERATOR, nik)
    _show(out | out["training"], as_json, f"Sign-up {out['signup_id']}")


@app.command("board")
def board(as_json: bool = JSON) -> None:
    """What the public page shows: training programmes and announcements."""
    with unit() as session:
        out = training.public_board(session)
    if as_json:
        emit_json(out)
        return
    table(
        "Training",
        ["id", "title", "provider", "starts", "seats left"],
        [(t["id"], t["title"], t["provider"], t["starts_on"], t["seats_left"]) for t in out["training"]],
    )
    table(
        "Announcements",
        ["id", "date", "title"],
        [(a["id"], a["published_on"], a["title"]) for a in out["announcements"]],
    )


@app.command("announce")
def announce(
    title: str = typer.Option(..., "--title"),
    body: str = typer.Option(..., "--body"),
    region: str = typer.Option(..., "--region"),
    as_json: bool = JSON,
) -> None:
    """Publish an announcement from the manpower office."""
    with unit() as session:
        out = training.add_announcement(
            session, _parse(AnnouncementIn, {"title": title, "body": body, "region_code": region}), OPERATOR
        )
    _show(out, as_json, f"Announcement {out['id']}")


@app.command("request")
def request(
    kind: str = typer.Option(..., "--kind", help="kartu_ak1, employer_complaint, job_counselling"),
    nik: str = typer.Option(..., "--nik"),
    details: str = typer.Option(..., "--details"),
    employer: int | None = typer.Option(None, "--employer"),
    as_json: bool = JSON,
) -> None:
    """File a labour-service request for a person; prints its tracking code."""
    data = _parse(RequestIn, {"kind": kind, "nik": nik, "details": details, "employer_id": employer})
    with unit() as session:
        out = labour.file_request(session, data, OPERATOR)
    _show(out, as_json, f"Request {out['tracking_code']}")


@app.command("track")
def track(code: str, as_json: bool = JSON) -> None:
    """A request's status by its tracking code."""
    with unit() as session:
        out = labour.track(session, code)
    _show(out, as_json, f"Request {out['tracking_code']}")


@app.command("request-status")
def request_status(request_id: int, status: str, note: str | None = None, as_json: bool = JSON) -> None:
    """Move a request on: in_process, done, rejected."""
    with unit() as session:
        out = labour.update_request(
            session, request_id, _parse(RequestStatusIn, {"status": status, "note": note}), OPERATOR
        )
    _show(out, as_json, f"Request {out['tracking_code']}")
