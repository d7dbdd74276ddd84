"""``jangkau persons`` and ``jangkau nik``: the register from the command line (operator scope: everywhere)."""

from __future__ import annotations

import datetime as dt

import typer
from pydantic import ValidationError

from jangkau.clikit import EXIT_BAD_INPUT, console, emit_json, key_values, pydantic_to_invalid, table
from jangkau.db.session import unit
from jangkau.regions import repository as regions
from jangkau.registry.errors import DateInvalid, SexInvalid
from jangkau.registry.nik import Sex, check_nik
from jangkau.registry.schemas import OPERATOR, PersonIn
from jangkau.registry.service import EVERYWHERE, person_detail, register_person

persons_app = typer.Typer(help="Persons in the register, keyed by NIK.", no_args_is_help=True)
nik_app = typer.Typer(help="Check a NIK.", no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON.")


@persons_app.command("add")
def add_command(
    nik: str = typer.Option(..., help="16-digit NIK"),
    name: str = typer.Option(..., "--name", help="Full name"),
    birth_date: str = typer.Option(..., help="YYYY-MM-DD"),
    sex: str = typer.Option(..., help="L or P"),
    village: str = typer.Option(..., help="Village code, e.g. 12.71.01.1001"),
    phone: str | None = typer.Option(None),
    address: str | None = typer.Option(None),
    occupation: str | None = typer.Option(None, help="Occupation code, e.g. pengemudi_becak"),
    vulnerable: bool = typer.Option(False, "--vulnerable", help="Mark as a vulnerable worker (pekerja rentan)"),
    as_json: bool = JSON,
) -> None:
    """Register a person."""
    try:
        data = PersonIn(
            nik=nik,
            full_name=name,
            birth_date=birth_date,
            sex=sex.upper(),
            village_code=village,
            phone=phone,
            address=address,
            occupation=occupation,
            is_vulnerable=vulnerable,
        )
    except ValidationError as exc:
        raise pydantic_to_invalid(exc) from exc
    with unit() as session:
        result = register_person(session, data, OPERATOR)
        detail = person_detail(session, result.person.nik, EVERYWHERE)
    if as_json:
        emit_json({"person": detail, "warnings": result.warnings})
        return
    console.print(f"Registered [bold]{detail['full_name']}[/] (id {detail['id']}).")
    for warning in result.warnings:
        console.print(f"[yellow]Warning:[/] {warning}")


@persons_app.command("show")
def show_command(nik: str = typer.Argument(..., help="NIK"), as_json: bool = JSON) -> None:
    """Show a person and their memberships."""
    with unit() as session:
        detail = person_detail(session, nik, EVERYWHERE)
    if as_json:
        emit_json(detail)
        return
    memberships = detail.pop("memberships")
    key_values(str(detail["full_name"]), detail)
    assert isinstance(memberships, list)
    table(
        "Memberships",
        ["segment", "programs", "employer", "start", "status"],
        [(m["segment"], ",".join(m["programs"]), m["employer"], m["start_date"], m["status"]) for m in memberships],
    )


@nik_app.command("check")
def check_command(
    nik: str = typer.Argument(..., help="The NIK to check"),
    birth_date: str | None = typer.Option(None, help="Stated birth date, YYYY-MM-DD (a mismatch is a warning)"),
    sex: str | None = typer.Option(None, help="Stated sex, L or P (a mismatch is a warning)"),
    as_json: bool = JSON,
) -> None:
    """Check a NIK: validity, errors, warnings, sex, birth date and the district it was issued in.

    Exits with code 2 when the NIK is invalid.
    """
    stated_date = _parse_date(birth_date, "birth_date") if birth_date else None
    stated_sex = _parse_sex(sex) if sex else None
    with unit() as session:
        tree_loaded = not regions.is_empty(session)
        result = check_nik(
            nik,
            birth_date=stated_date,
            sex=stated_sex,
            district_exists=(lambda code: regions.exists(session, code)) if tree_loaded else None,
        )
        district = regions.get(session, result.district_code) if result.district_code else None
        regency = regions.get(session, result.regency_code) if result.regency_code else None
    out = result.as_dict()
    out["district_name"] = district.name if district else None
    out["regency_name"] = regency.name if regency else None
    if as_json:
        emit_json(out)
    else:
        key_values(f"NIK {result.nik}", out)
    if not result.valid:
        raise typer.Exit(EXIT_BAD_INPUT)


def _parse_date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DateInvalid(field, text) from exc


def _parse_sex(text: str) -> Sex:
    try:
        return Sex(text.upper())
    except ValueError as exc:
        raise SexInvalid(text) from exc
