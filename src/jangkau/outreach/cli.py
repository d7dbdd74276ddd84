"""``jangkau outreach``: agents, campaigns, prospects, visits, funnel, leaderboard, incentive, partnerships.

Commands run with operator scope (the whole country); one command = one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError

from jangkau.auth.principal import OPERATOR
from jangkau.clikit import console, emit_json, key_values, table
from jangkau.db.session import unit
from jangkau.errors import FieldError
from jangkau.kit.money import format_rupiah
from jangkau.kit.months import Month
from jangkau.kit.spreadsheet import csv_writer
from jangkau.outreach import errors as refusals
from jangkau.outreach import repository as repo
from jangkau.outreach import service
from jangkau.outreach.campaigns.funnel import GroupBy, agent_incentive, funnel, leaderboard
from jangkau.outreach.fieldwork import service as fieldwork
from jangkau.outreach.partnerships import service as partnerships
from jangkau.outreach.schemas import CampaignIn

app = typer.Typer(help="Outreach: agents, campaigns, prospects, visits, funnel and partnerships.", no_args_is_help=True)
agents_app = typer.Typer(help="Field agents and their villages.", no_args_is_help=True)
campaign_app = typer.Typer(help="Campaigns and targets per village or district.", no_args_is_help=True)
prospects_app = typer.Typer(help="Prospect lists for door-to-door visits.", no_args_is_help=True)
visits_app = typer.Typer(help="Door-to-door visits.", no_args_is_help=True)
partnerships_app = typer.Typer(help="MoU and PKS with offices and partners.", no_args_is_help=True)
app.add_typer(agents_app, name="agents")
app.add_typer(campaign_app, name="campaign")
app.add_typer(prospects_app, name="prospects")
app.add_typer(visits_app, name="visits")
app.add_typer(partnerships_app, name="partnerships")

JSON = typer.Option(False, "--json", help="Print JSON.")
BY = typer.Option(GroupBy.VILLAGE, "--by", help="agent, village, district or institution")


def _date(text: str | None, name: str, default: dt.date | None = None) -> dt.date:
    if text is None:
        return default or dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise refusals.DateInvalid(name, text) from exc


def _csv_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise refusals.FileMissing(str(path))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


def _report_rows(results: list[dict[str, Any]], as_json: bool, title: str) -> None:
    if as_json:
        emit_json(results)
        return
    table(title, ["line", "who", "status", "message"], [
        (r.get("line", r.get("row")), r.get("username", ""), r["status"], (r.get("error") or {}).get("message", "")
         if isinstance(r.get("error"), dict) else r.get("error", ""))
        for r in results
    ])  # fmt: skip


@agents_app.command("import")
def agents_import(file: Path = typer.Argument(..., help="CSV: username, institution_kind, institution, villages"),
                  as_json: bool = JSON) -> None:  # fmt: skip
    """Save agent profiles from a CSV file (villages separated by ';'); bad rows are reported, the rest saved."""
    rows = _csv_rows(file)
    with unit() as session:
        results = service.import_agents(session, rows, OPERATOR)
    _report_rows(results, as_json, f"Agents from {file.name}")
    if any(r["status"] == "error" for r in results):
        raise typer.Exit(2)


@agents_app.command("list")
def agents_list(as_json: bool = JSON) -> None:
    """Agents with institution, status and villages."""
    with unit() as session:
        agents = service.list_agents(session, OPERATOR)
    if as_json:
        emit_json(agents)
        return
    table("Agents", ["username", "kind", "institution", "status", "villages"],
          [(a["username"], a["kind"], a["institution"], a["status"], len(a["villages"])) for a in agents])  # fmt: skip


@agents_app.command("review")
def agents_review(as_of: str | None = typer.Option(None, "--as-of"), as_json: bool = JSON) -> None:
    """Apply the Perisai deactivation rule (data) to active community agents."""
    with unit() as session:
        results = service.review_agents(session, _date(as_of, "as_of"), OPERATOR)
    if as_json:
        emit_json(results)
        return
    table("Deactivation review", ["agent", "deactivate", "idle since", "reactivation from"],
          [(r["username"], r["deactivate"], r["idle_since"], r["reactivation_from"]) for r in results])  # fmt: skip


@campaign_app.command("create")
def campaign_create(
    name: str = typer.Option(..., "--name"),
    start: str = typer.Option(..., "--from", help="YYYY-MM-DD"),
    end: str = typer.Option(..., "--to", help="YYYY-MM-DD"),
    regions: list[str] = typer.Option(..., "--region", help="Village or district code (repeatable)"),
    target: int = typer.Option(100, "--target", help="Paid registrations expected per region"),
    district_targets: bool = typer.Option(False, "--district-targets", help="One target per district, not village"),
    vulnerable_only: bool = typer.Option(False, "--vulnerable-only"),
    as_json: bool = JSON,
) -> None:
    """Create a campaign, e.g. "1 desa 100 pekerja rentan": --region 12.71.01 --target 100 --vulnerable-only."""
    try:
        data = CampaignIn(
            name=name, starts_on=_date(start, "from"), ends_on=_date(end, "to"), regions=regions,
            target_per_region=target, per_village=not district_targets, vulnerable_only=vulnerable_only,
        )  # fmt: skip
    except ValidationError as exc:
        fields = [FieldError(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
        raise refusals.CampaignInputInvalid(fields) from exc
    with unit() as session:
        campaign = service.create_campaign(session, data, OPERATOR)
        progress = service.campaign_progress(session, campaign.id, OPERATOR)
    _show_progress(progress, as_json)


@campaign_app.command("progress")
def campaign_progress(campaign_id: int, as_json: bool = JSON) -> None:
    """Targets and paid registrations (first month paid) per region."""
    with unit() as session:
        progress = service.campaign_progress(session, campaign_id, OPERATOR)
    _show_progress(progress, as_json)


def _show_progress(progress: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(progress)
        return
    table(f"Campaign {progress['id']}: {progress['name']} ({progress['paid']}/{progress['target']} paid)",
          ["region", "name", "target", "registered", "paid", "%"],
          [(r["region_code"], r["region"], r["target"], r["registered"], r["paid"], r["percent"])
           for r in progress["regions"]])  # fmt: skip


@prospects_app.command("import")
def prospects_import(
    file: Path = typer.Argument(..., help="CSV: person_id or full_name, nik, village_code, rt, rw, address"),
    source: str = typer.Option("manual", "--source", help="manual or linkage:<list id>"),
    as_json: bool = JSON,
) -> None:
    """Add prospects from a CSV file; bad rows are named, the rest kept."""
    rows = [{k: v for k, v in row.items() if v} for row in _csv_rows(file)]
    with unit() as session:
        result = fieldwork.add_prospects(session, rows, source, OPERATOR)
    _show_added(result.as_dict(), as_json)


@prospects_app.command("from-lapses")
def prospects_from_lapses(as_json: bool = JSON) -> None:
    """Turn the funding lapse list (lapsed or ended memberships) into prospects."""
    with unit() as session:
        result = fieldwork.prospects_from_lapses(session, OPERATOR)
    _show_added(result.as_dict(), as_json)


def _show_added(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json({k: v for k, v in result.items() if k != "prospect_ids"})
        return
    key_values("Prospects", {k: result[k] for k in ("added", "reopened", "duplicates")} | {
        "rejected": len(result["rejected"])})  # fmt: skip
    for row in result["rejected"]:
        console.print(f"[red]row {row['row']}[/]: {row.get('message')}")


@visits_app.command("export")
def visits_export(
    start: str | None = typer.Option(None, "--from", help="YYYY-MM-DD (default: first of this month)"),
    end: str | None = typer.Option(None, "--to", help="YYYY-MM-DD (default: today)"),
    out: Path | None = typer.Option(None, "--out", help="CSV file (default: standard output)"),
) -> None:
    """Export visits as CSV (names, no NIK)."""
    today = dt.date.today()
    first, last = _date(start, "from", today.replace(day=1)), _date(end, "to", today)
    with unit() as session:
        rows = repo.visits_between(session, OPERATOR.scope, first, last)
        text = visits_csv(rows)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"{len(rows)} visits written to {out}")


def visits_csv(rows: Sequence[Any]) -> str:
    """(visit, prospect, agent username) rows as CSV, names made spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["visit_id", "visited_on", "agent", "prospect_id", "name", "village_code", "rt", "outcome",
                     "follow_up_on", "note"])  # fmt: skip
    for v, p, user in rows:
        writer.writerow([v.id, v.visited_on, user, p.id, p.full_name, v.village_code, p.rt or "", v.outcome,
                         v.follow_up_on or "", v.note or ""])  # fmt: skip
    return buffer.getvalue()


@app.command("funnel")
def funnel_command(
    by: GroupBy = BY,
    start: str | None = typer.Option(None, "--from"),
    end: str | None = typer.Option(None, "--to"),
    as_json: bool = JSON,
) -> None:
    """Visited, interested, registered, paid, still active after 3 months."""
    today = dt.date.today()
    with unit() as session:
        result = funnel(session, OPERATOR, by, _date(start, "from", today.replace(month=1, day=1)), _date(end, "to"))
    _show_funnel(result, as_json, "Funnel")


@app.command("leaderboard")
def leaderboard_command(
    by: GroupBy = typer.Option(GroupBy.AGENT, "--by"),
    start: str | None = typer.Option(None, "--from"),
    end: str | None = typer.Option(None, "--to"),
    top: int = typer.Option(20, "--top"),
    as_json: bool = JSON,
) -> None:
    """Agents (or villages, districts, institutions) ranked by paid registrations."""
    today = dt.date.today()
    with unit() as session:
        result = leaderboard(
            session, OPERATOR, by, _date(start, "from", today.replace(month=1, day=1)), _date(end, "to"), top
        )
    _show_funnel(result, as_json, "Leaderboard")


def _show_funnel(result: dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        emit_json(result)
        return
    table(f"{title} by {result['by']} ({result['from']} to {result['to']})",
          ["", "visited", "interested", "registered", "paid", "active 3m"],
          [(r["label"], r["visited"], r["interested"], r["registered"], r["paid"], r["active_3m"])
           for r in result["rows"]])  # fmt: skip


@app.command("incentive")
def incentive_command(
    agent: str = typer.Option(..., "--agent", help="Username of a community agent"),
    month: str = typer.Option(..., "--month", help="YYYY-MM"),
    as_json: bool = JSON,
) -> None:
    """A community agent's incentive for a month (Perisai rule as data; UNCONFIRMED)."""
    try:
        chosen = Month.parse(month)
    except ValueError as exc:
        raise refusals.MonthInvalid(str(exc)) from exc
    with unit() as session:
        result = agent_incentive(session, OPERATOR, agent, chosen)
    if as_json:
        emit_json(result)
        return
    money = ("collected", "commission", "bonus", "total", "umbrella_share", "agent_share")
    key_values(f"Incentive {agent} {month} (rule status: {result['status'].upper()})",
               {k: format_rupiah(result[k]) if k in money else result[k]
                for k in (*money, "new_participants")})  # fmt: skip
    for warning in result["warnings"]:
        console.print(f"[yellow]{warning}[/]")


@partnerships_app.command("list")
def partnerships_list(as_json: bool = JSON) -> None:
    """Which offices and partners have signed, and what each committed."""
    with unit() as session:
        rows = partnerships.partnership_overview(session, OPERATOR)
    if as_json:
        emit_json(rows)
        return
    table("Partnerships", ["partner", "signed", "agreements", "budget", "workers"],
          [(p["partner"], p["signed"], len(p["agreements"]), format_rupiah(p["committed_budget"]),
            p["committed_workers"]) for p in rows])  # fmt: skip
