"""``jangkau rules import|propose|activate|withdraw|versions|preview|health|export``: keeping the rule tables current.

Registered on ``jangkau rules`` by the root CLI. ``--as USERNAME`` names the user who acts (maker or checker):
the proposer cannot activate their own proposal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from jangkau.auth import repository as auth_repo
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.service import principal_for
from jangkau.clikit import emit_json, err_console, key_values, table
from jangkau.db.session import unit
from jangkau.errors import InvalidInput, NotFound
from jangkau.i18n import N_, bilingual
from jangkau.ruleadmin import exports, health, service
from jangkau.ruleadmin import repository as repo
from jangkau.ruleadmin.errors import VersionNotFound
from jangkau.ruleadmin.preview import preview
from jangkau.ruleadmin.schemas import VersionIn

import_app = typer.Typer(help="Propose a new version of a rule table from a CSV/XLSX file.", no_args_is_help=True)
propose_app = typer.Typer(help="Propose a new version of a rule table from figures.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")
AS = typer.Option(..., "--as", help="Username of the user who acts (role rules_admin).")
INSTRUMENT = typer.Option("", "--instrument", help="Legal instrument, e.g. 'Kepgub Sumut 188.44/908/KPTS/2025'.")
SIGNED = typer.Option(None, "--signed-on", help="Date signed YYYY-MM-DD.")
VALID_FROM = typer.Option(..., "--valid-from", help="First day in force YYYY-MM-DD.")
VALID_TO = typer.Option(None, "--valid-to", help="Last day in force (default: a year after valid-from).")
SOURCE = typer.Option("", "--source", help="URL or document the figures come from.")
STATUS = typer.Option("confirmed", "--status", help="confirmed or unconfirmed.")
NOTE = typer.Option("", "--note", help="Open question (for an UNCONFIRMED version).")


def load_tables() -> None:
    """Lay the database's active versions over the shipped tables for this command (before a database exists,
    or before it is migrated, the shipped tables are used and a note says so)."""
    try:
        with unit() as session:
            service.refresh(session)
    except SQLAlchemyError:
        err_console.print("[yellow]Note:[/] rule versions in the database not read (no migrated database yet)")


def _user(session: Session, username: str) -> Principal:
    user = auth_repo.user_by_username(session, username)
    if user is None or not user.is_active:
        raise NotFound(*bilingual(N_("no active user %(username)s"), username=repr(username)))
    return principal_for(session, user)


def _date(text: str | None, name: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput.for_field(
            name, *bilingual(N_("%(value)s is not a date YYYY-MM-DD"), value=repr(text))
        ) from exc


def _header(
    instrument: str, signed: str | None, valid_from: str, valid_to: str | None, source: str, status: str, note: str
) -> VersionIn:
    return VersionIn.model_validate(
        {
            "instrument": instrument,
            "signed_on": _date(signed, "signed_on"),
            "valid_from": _date(valid_from, "valid_from"),
            "valid_to": _date(valid_to, "valid_to"),
            "source": source,
            "status": status,
            "note": note,
        }
    )


def _decimal(text: str, name: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise InvalidInput.for_field(name, *bilingual(N_("%(value)s is not a number"), value=repr(text))) from exc


def _show(data: dict[str, object], title: str, as_json: bool) -> None:
    if as_json:
        emit_json(data)
        return
    key_values(title, {k: v for k, v in data.items() if k != "data"})


@import_app.command("umk")
def import_umk(
    path: Path,
    username: str = AS,
    instrument: str = INSTRUMENT,
    signed_on: str | None = SIGNED,
    valid_from: str = VALID_FROM,
    valid_to: str | None = VALID_TO,
    source: str = SOURCE,
    status: str = STATUS,
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """A year of a province's minimum wages (UMP row ``12`` and one row per UMK): proposed for checking."""
    header = _header(instrument, signed_on, valid_from, valid_to, source, status, note)
    with unit() as session:
        by = _user(session, username)
        row = service.propose_min_wage_file(session, by, path.name, path.read_bytes(), header)
        out = service.read(row).model_dump(mode="json") | {"preview": preview(session, row).as_dict()}
    _show(out, f"Proposed rule version #{out['id']}", as_json)


@import_app.command("table")
def import_table(
    rule_id: str = typer.Argument(..., help="The table, e.g. bpu_rates, jkp_benefits, relaxation.pp7_2025."),
    path: Path = typer.Argument(
        ..., help="A TOML file shaped as the shipped ones (copy rules/data/<table>/*.toml and change the figures)."
    ),
    username: str = AS,
    instrument: str = INSTRUMENT,
    signed_on: str | None = SIGNED,
    valid_from: str = VALID_FROM,
    valid_to: str | None = VALID_TO,
    source: str = SOURCE,
    status: str = STATUS,
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """A new version of any other rule table, checked against the shape of the version it follows."""
    header = _header(instrument, signed_on, valid_from, valid_to, source, status, note)
    with unit() as session:
        by = _user(session, username)
        row = service.propose_table_file(session, by, rule_id, path.read_bytes(), header)
        out = service.read(row).model_dump(mode="json")
    _show(out, f"Proposed rule version #{out['id']}", as_json)


@propose_app.command("jp-cap")
def propose_jp_cap(
    username: str = AS,
    cap: int = typer.Option(None, "--cap", help="The announced cap in Rupiah."),
    growth: str = typer.Option(None, "--growth", help="Or: BPS's GDP growth in percent (formula, UNCONFIRMED)."),
    instrument: str = INSTRUMENT,
    signed_on: str | None = SIGNED,
    valid_from: str = VALID_FROM,
    valid_to: str | None = VALID_TO,
    source: str = SOURCE,
    status: str = STATUS,
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """The JP wage cap: the announced figure (``--cap``) or the formula's (``--growth``, PP 45/2015 Ps 29(3))."""
    header = _header(instrument, signed_on, valid_from, valid_to, source, status, note)
    with unit() as session:
        by = _user(session, username)
        if growth is not None:
            row = service.propose_jp_cap_by_formula(session, by, _decimal(growth, "growth"), header)
        elif cap is not None:
            row = service.propose_jp_wage_cap(session, by, cap, header)
        else:
            raise InvalidInput.for_field("cap", *bilingual(N_("give --cap or --growth")))
        out = service.read(row).model_dump(mode="json")
    _show(out, f"Proposed rule version #{out['id']}", as_json)


@propose_app.command("jp-bounds")
def propose_jp_bounds(
    username: str = AS,
    low: int = typer.Option(None, "--min", help="Minimum monthly JP benefit."),
    high: int = typer.Option(None, "--max", help="Maximum monthly JP benefit."),
    inflation: str = typer.Option(None, "--inflation", help="Or: the year's inflation in percent (formula)."),
    instrument: str = INSTRUMENT,
    signed_on: str | None = SIGNED,
    valid_from: str = VALID_FROM,
    valid_to: str | None = VALID_TO,
    source: str = SOURCE,
    status: str = STATUS,
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """The JP monthly benefit minimum and maximum (PP 45/2015 Ps 18): announced, or indexed by ``--inflation``."""
    header = _header(instrument, signed_on, valid_from, valid_to, source, status, note)
    with unit() as session:
        by = _user(session, username)
        if inflation is not None:
            row = service.propose_jp_bounds_by_formula(session, by, _decimal(inflation, "inflation"), header)
        elif low is not None and high is not None:
            row = service.propose_jp_benefit_bounds(session, by, low, high, header)
        else:
            raise InvalidInput.for_field("min", *bilingual(N_("give --min and --max, or --inflation")))
        out = service.read(row).model_dump(mode="json")
    _show(out, f"Proposed rule version #{out['id']}", as_json)


def activate(version_id: int, username: str = AS, as_json: bool = JSON) -> None:
    """The checker activates a version another user proposed."""
    with unit() as session:
        out = service.read(service.activate(session, _user(session, username), version_id)).model_dump(mode="json")
    _show(out, f"Activated rule version #{version_id}", as_json)


def withdraw(version_id: int, username: str = AS, as_json: bool = JSON) -> None:
    """Withdraw a proposal, or an active version before it takes effect."""
    with unit() as session:
        out = service.read(service.withdraw(session, _user(session, username), version_id)).model_dump(mode="json")
    _show(out, f"Withdrawn rule version #{version_id}", as_json)


def versions(rule: str | None = typer.Option(None, "--rule", help="Only this table."), as_json: bool = JSON) -> None:
    """Versions added by users, with their state."""
    with unit() as session:
        rows = [r.model_dump(mode="json") for r in service.versions(session, OPERATOR, rule)]
    if as_json:
        emit_json(rows)
        return
    columns = ["id", "rule_id", "version", "valid_from", "valid_to", "status", "state", "instrument", "proposed_by"]
    table("Rule versions added by users", columns, [[r[c] or "-" for c in columns] for r in rows])


def show_preview(version_id: int, as_json: bool = JSON) -> None:
    """What a version changes: workers and employers whose wage floor rises, reported wages that fall below."""
    with unit() as session:
        row = repo.get(session, version_id)
        if row is None:
            raise VersionNotFound(version_id)
        out = preview(session, row).as_dict()
    if as_json:
        emit_json(out)
        return
    key_values(f"Preview of #{version_id}", {"summary": out["summary"], "ringkasan": out["summary_id"]})


def show_health(
    days: int = typer.Option(health.WARN_DAYS, "--days", help="Warn this many days ahead."),
    on: str | None = typer.Option(None, "--on", help="Date to check YYYY-MM-DD (default today)."),
    as_json: bool = JSON,
) -> None:
    """Tables that end within ``--days`` or have already ended."""
    rows = [r.model_dump(mode="json") for r in health.check(_date(on, "on") or dt.date.today(), days)]
    if as_json:
        emit_json(rows)
        return
    table("Rule tables to renew", ["rule_id", "ends_on", "state", "days_left"], [list(r.values()) for r in rows])


def export(rule_id: str, out: Path = typer.Option(None, "--out", help="File to write (default: stdout).")) -> None:
    """Every version of one table (shipped and added) as CSV."""
    text = exports.table_csv(rule_id)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


def register(rules_app: typer.Typer) -> None:
    """Add the commands to ``jangkau rules``."""
    rules_app.add_typer(import_app, name="import")
    rules_app.add_typer(propose_app, name="propose")
    rules_app.command("activate")(activate)
    rules_app.command("withdraw")(withdraw)
    rules_app.command("versions")(versions)
    rules_app.command("preview")(show_preview)
    rules_app.command("health")(show_health)
    rules_app.command("export")(export)
