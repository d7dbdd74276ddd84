"""The ``jangkau`` command. Each domain contributes a sub-app, registered in the explicit table below."""

from __future__ import annotations

import logging.config
import sys

import typer
from pydantic import ValidationError
from rich.markup import escape

from jangkau.auth.cli import app as users_app
from jangkau.auth.cli import audit_app
from jangkau.claims.cli import app as claims_app
from jangkau.clikit import EXIT_BAD_INPUT, emit_json, err_console, pydantic_to_invalid
from jangkau.compliance.cli import app as compliance_app
from jangkau.config import get_settings
from jangkau.db.cli import app as db_app
from jangkau.db.cli import backup_command, restore_command
from jangkau.demo.cli import app as demo_app
from jangkau.errors import JangkauError
from jangkau.funding.cli import billing_app, coverage_app, payments_app, sponsors_app
from jangkau.jobs.cli import app as jobs_app
from jangkau.linkage.cli import app as link_app
from jangkau.notify.cli import app as notify_app
from jangkau.outreach.cli import app as outreach_app
from jangkau.regions.cli import app as regions_app
from jangkau.registry.cli import nik_app, persons_app
from jangkau.reporting.cli import app as report_app
from jangkau.ruleadmin import cli as ruleadmin_cli
from jangkau.rules.cli import app as rules_app
from jangkau.serve import serve_command
from jangkau.system.logs import log_config
from jangkau.tasks.cli import app as tasks_app
from jangkau.tasks.cli import worker_command

app = typer.Typer(
    name="jangkau",
    help="Jangkau: workers' social security for every worker (BPJS Ketenagakerjaan).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

SUBAPPS: dict[str, typer.Typer] = {
    "db": db_app,
    "regions": regions_app,
    "users": users_app,
    "audit": audit_app,
    "nik": nik_app,
    "persons": persons_app,
    "demo": demo_app,
    "rules": rules_app,
    "link": link_app,
    "billing": billing_app,
    "payments": payments_app,
    "coverage": coverage_app,
    "sponsors": sponsors_app,
    "report": report_app,
    "claims": claims_app,
    "compliance": compliance_app,
    "outreach": outreach_app,
    "jobs": jobs_app,
    "tasks": tasks_app,
    "notify": notify_app,
}
ruleadmin_cli.register(rules_app)


@app.callback()
def _tables_in_force() -> None:
    """Every command computes with the rule tables in force: the shipped ones and the versions users activated."""
    ruleadmin_cli.load_tables()


for _name, _sub in SUBAPPS.items():
    app.add_typer(_sub, name=_name)
app.command("serve")(serve_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.command("worker")(worker_command)


def main() -> None:
    """Entry point: runs the app and turns an expected refusal into a message and exit code 2."""
    try:
        _json_logs()
        app()
    except ValidationError as exc:
        _refuse(pydantic_to_invalid(exc))
    except JangkauError as exc:
        _refuse(exc)


def _json_logs() -> None:
    """In production (``JANGKAU_LOG_FORMAT=json``) batch commands log like the server: JSON lines, redacted."""
    settings = get_settings()
    if settings.log_format == "json":
        logging.config.dictConfig(log_config(settings.log_format, settings.log_level))


def _refuse(exc: JangkauError) -> None:
    if "--json" in sys.argv:
        emit_json({"error": exc.as_dict()})
    err_console.print(f"[bold red]Error:[/] {escape(exc.message)}")  # a message may hold [brackets]: local[2]
    if exc.message_id and exc.message_id != exc.message:
        err_console.print(f"[red]Galat:[/] {escape(exc.message_id)}")
    sys.exit(EXIT_BAD_INPUT)
