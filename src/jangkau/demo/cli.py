"""``jangkau demo``: seed a synthetic city for trying Jangkau out."""

from __future__ import annotations

import datetime as dt
import time

import typer
from sqlalchemy import func, select

from jangkau.clikit import console, emit_json, key_values, progress, table
from jangkau.config import get_settings
from jangkau.db.session import default_session_factory, unit
from jangkau.demo.errors import DemoDateInvalid
from jangkau.demo.history import has_history, seed_history
from jangkau.demo.outreach import has_outreach, seed_outreach
from jangkau.demo.rules import load_2026_min_wages
from jangkau.demo.seed import DEFAULT_AS_OF, SCALES, seed_demo
from jangkau.demo.users import ensure_demo_users
from jangkau.registry.models import Person

app = typer.Typer(help="Synthetic demo data.", no_args_is_help=True)


@app.command("seed")
def seed_command(
    region: str = typer.Option("12.71", help="Region to populate (default Kota Medan, 12.71)"),
    scale: str = typer.Option(
        "small",
        help=f"One of {', '.join(SCALES)} ({', '.join(f'{k} {v:,}' for k, v in SCALES.items())} people)",
    ),
    seed: int = typer.Option(1, help="Random seed; the same seed gives the same people"),
    as_of: str = typer.Option(DEFAULT_AS_OF.isoformat(), help="The date the demo population is 'now'"),
    replace: bool = typer.Option(False, "--replace", help="Delete earlier demo data first"),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when the register already has people"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    background: bool = typer.Option(False, "--background", help="Queue it for the worker (task demo.seed)."),
) -> None:
    """Make a synthetic but realistic population: households, NIKs, employers, memberships. Resumable."""
    try:
        as_of_date = dt.date.fromisoformat(as_of)
    except ValueError as exc:
        raise DemoDateInvalid("as_of", as_of) from exc
    if if_empty:
        with unit() as session:
            if session.scalar(select(func.count()).select_from(Person)):
                console.print("The register already has people; demo seed skipped.")
                return
    if background:
        from jangkau.demo import tasks as demo_tasks
        from jangkau.tasks.background import queued

        queued(demo_tasks.seed, as_json, region=region, scale=scale, seed=seed, as_of=as_of_date.isoformat(),
               replace=replace)  # fmt: skip
        return
    started = time.perf_counter()
    with progress() as bar:
        task = bar.add_task(f"Seeding {region} ({scale})", total=None)

        def advance(district: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"Seeding {region}: {district}")

        report = seed_demo(default_session_factory(), region, scale, seed, as_of_date, replace, advance)
    out = {**report.__dict__, "seconds": round(time.perf_counter() - started, 2)}
    if as_json:
        emit_json(out)
    else:
        key_values("Demo seed", out)


@app.command("users")
def users_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Create the demo accounts (one per role) if missing, and print the demo logins."""
    with unit() as session:
        logins = ensure_demo_users(session)
    if as_json:
        emit_json(logins)
        return
    table(
        "Demo logins (demo data only)",
        ["username", "password", "role", "scope"],
        [(x["username"], x["password"], x["role"], x["scope"]) for x in logins],
    )
    required = sorted(get_settings().totp_roles() & {x["role"] for x in logins})
    if required:
        console.print(
            f"Roles {', '.join(required)} set up a TOTP second factor (an authenticator app) at the first sign-in "
            "(JANGKAU_TOTP_REQUIRED_ROLES)."
        )


@app.command("rules")
def rules_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Load the 2026 minimum wages of Sumatera Utara from the shipped file, as two rules admins would (once)."""
    with unit() as session:
        made = load_2026_min_wages(session)
    if as_json:
        emit_json({"version_id": made})
    elif made is None:
        console.print("The 2026 minimum wages are on file already; demo rules skipped.")
    else:
        console.print(f"2026 minimum wages of Sumatera Utara proposed and activated (rule version #{made}).")


@app.command("outreach")
def outreach_command(
    region: str = typer.Option("12.71", help="The demo city"),
    seed: int = typer.Option(1, help="Random seed"),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when a campaign exists already"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The demo field agents at work: profiles, a campaign with village targets, prospects, visits, registrations.

    Run it before ``demo history``, which then bills and pays the agents' registrations like any other.
    """
    with unit() as session:
        if if_empty and has_outreach(session):
            console.print("Demo outreach exists already; skipped.")
            return
        report = seed_outreach(session, region, seed)
    if as_json:
        emit_json(report.as_dict())
    else:
        key_values("Demo outreach", report.as_dict())


@app.command("history")
def history_command(
    months: int = typer.Option(12, min=1, max=36, help="How many months of bills and payments"),
    as_of: str | None = typer.Option(None, help="The demo's 'today' (default: today)"),
    seed: int = typer.Option(1, help="Random seed"),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when demo payments exist already"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Bill and pay the last months for the demo city (funding's billing run and payments), then run lapses."""
    as_of_date = _date(as_of, "as_of") if as_of else dt.date.today()
    if if_empty:
        with unit() as session:
            if has_history(session):
                console.print("Demo payments exist already; demo history skipped.")
                return
    with progress() as bar:
        task = bar.add_task("Billing and paying", total=months)

        def advance(month: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"Billing and paying {month}")

        report = seed_history(unit, as_of_date, months, seed, advance)
    if as_json:
        emit_json(report.__dict__)
    else:
        key_values("Demo history", report.__dict__)


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DemoDateInvalid(field, text) from exc
