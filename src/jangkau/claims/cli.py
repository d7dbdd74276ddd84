"""``jangkau claims``: quote, file and process claims from the command line.

Commands run as the operator (whole country) unless ``--user`` names an account to act as (maker and checker
must be two accounts). One command = one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from jangkau.auth import repository as auth_repo
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.service import principal_for
from jangkau.claims import process
from jangkau.claims import repository as repo
from jangkau.claims.errors import AccountNotFound, DateFormatInvalid, HeirSpecInvalid
from jangkau.claims.jht import JhtStatementIn, jht_statement, jht_statement_pdf
from jangkau.claims.rules.workflow import OPEN
from jangkau.claims.schemas import (
    ClaimIn,
    DocumentIn,
    DocumentRequestIn,
    DocumentsArrivedIn,
    HandoverIn,
    PayIn,
    RejectIn,
    VerifyIn,
)
from jangkau.claims.service import claim_detail, file_claim, find_claim, queue_entry, quote_claim
from jangkau.clikit import console, emit_json, key_values, table
from jangkau.db.session import unit
from jangkau.errors import FieldError
from jangkau.funding.errors import InputInvalid
from jangkau.kit.money import format_rupiah
from jangkau.kit.pagination import PageRequest

app = typer.Typer(help="Claims: quote, file, documents, verify, approve, pay, reject, handover.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")
USER = typer.Option(None, "--user", help="Act as this account (default: the operator)")
HEIR_HELP = "An heir as NAME:RELATIONSHIP[:NIK] (spouse, child, parent, sibling, ...); repeat for each heir"


def _principal(session: Session, username: str | None) -> Principal:
    if username is None:
        return OPERATOR
    user = auth_repo.user_by_username(session, username)
    if user is None or not user.is_active:
        raise AccountNotFound(username)
    return principal_for(session, user)


def _valid(model: Any, data: dict[str, Any]) -> Any:
    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        fields = [FieldError(".".join(str(p) for p in e["loc"]) or "input", e["msg"]) for e in exc.errors()]
        raise InputInvalid(fields) from exc


def _heirs(specs: list[str]) -> list[dict[str, Any]]:
    out = []
    for spec in specs:
        parts = [p.strip() for p in spec.split(":")]
        if len(parts) not in (2, 3):
            raise HeirSpecInvalid(spec)
        out.append({"full_name": parts[0], "relationship": parts[1], "nik": parts[2] if len(parts) == 3 else None})
    return out


def _claim_in(values: dict[str, Any], heirs: list[str]) -> ClaimIn:
    data: ClaimIn = _valid(ClaimIn, {**values, "heirs": _heirs(heirs)})
    return data


def _today(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DateFormatInvalid("today") from exc


def _print_assessment(body: dict[str, Any]) -> None:
    verdict = {True: "[green]eligible[/]", False: "[red]not eligible[/]", None: "[yellow]officer to decide[/]"}
    console.print(f"{body['kind']}: {verdict[body['eligible']]}, amount {format_rupiah(body['amount'])}")
    table("Reasons", ["check", "ok", "reason"], [(r["code"], r["ok"], r["message"]) for r in body["reasons"]])
    items = body["benefit"]["items"]
    table("Amount", ["item", "amount"], [(i["label"], format_rupiah(i["amount"])) for i in items])
    if body.get("heirs"):
        rows = [
            (s["full_name"], s["relationship"], s["rank"], format_rupiah(s["amount"])) for s in body["heirs"]["shares"]
        ]
        table("Heirs", ["name", "relationship", "rank", "amount"], rows)
    table("Rules", ["id", "version", "citation"], [(r["id"], r["version"], r["citation"]) for r in body["rules"]])
    for warning in body["warnings"]:
        console.print(f"[yellow]! {warning}[/]")


TYPE = typer.Option(..., "--type", help="jkm, jkk, jht, jp or jkp")
NIK = typer.Option(..., "--nik", help="NIK of the participant")
EVENT = typer.Option(..., "--event-date", help="Date of the death, accident, dismissal... YYYY-MM-DD")
BENEFIT = typer.Option(None, "--benefit", help="e.g. death, temporary_disability, full, old_age (default: the first)")
HEIRS = typer.Option([], "--heir", help=HEIR_HELP)
WAGE = typer.Option(None, "--wage", help="Wage the benefit is computed on (default: the membership's)")
MONTHS_UNABLE = typer.Option(0, "--months-unable", help="JKK: months unable to work")
PERCENT = typer.Option(None, "--disability-percent", help="JKK: percentage from the disability table")
MEDICAL = typer.Option(None, "--medical-cost", help="JKK: the provider's invoice")
CHILDREN = typer.Option(None, "--children", help="JKM: children for the scholarship (default: heirs who are children)")
JHT_AMOUNT = typer.Option(None, "--jht-amount", help="JHT partial claim: amount asked (default the maximum)")
TRIGGER = typer.Option(None, "--jht-trigger", help="JHT full claim: age, resignation, phk, death, ...")
TODAY = typer.Option(None, "--today", help="Filing date (default: today)")
OPEN_STATUSES = sorted(s.value for s in OPEN)


def _claim(**values: Any) -> ClaimIn:
    heirs = values.pop("heir")
    return _claim_in(values, heirs)


@app.command("quote")
def quote_command(
    claim_type: str = TYPE,
    nik: str = NIK,
    event_date: str = EVENT,
    benefit: str | None = BENEFIT,
    heir: list[str] = HEIRS,
    wage: int | None = WAGE,
    months_unable: int = MONTHS_UNABLE,
    disability_percent: str | None = PERCENT,
    medical_cost: int | None = MEDICAL,
    children: int | None = CHILDREN,
    jht_amount: int | None = JHT_AMOUNT,
    jht_trigger: str | None = TRIGGER,
    today: str | None = TODAY,
    as_json: bool = JSON,
) -> None:
    """Eligibility and amount of a claim without filing it."""
    data = _claim(type=claim_type, nik=nik, event_date=event_date, benefit=benefit, heir=heir, wage=wage,
                  months_unable=months_unable, disability_percent=disability_percent, medical_cost=medical_cost,
                  children=children, jht_amount=jht_amount, jht_trigger=jht_trigger)  # fmt: skip
    with unit() as session:
        _, assessment = quote_claim(session, data, OPERATOR, _today(today))
    body = assessment.as_dict()
    emit_json(body) if as_json else _print_assessment(body)


@app.command("file")
def file_command(
    claim_type: str = TYPE,
    nik: str = NIK,
    event_date: str = EVENT,
    benefit: str | None = BENEFIT,
    heir: list[str] = HEIRS,
    wage: int | None = WAGE,
    months_unable: int = MONTHS_UNABLE,
    disability_percent: str | None = PERCENT,
    medical_cost: int | None = MEDICAL,
    children: int | None = CHILDREN,
    jht_amount: int | None = JHT_AMOUNT,
    jht_trigger: str | None = TRIGGER,
    reporter_kind: str | None = typer.Option(None, "--reporter-kind", help="worker, heir, employer, agent, officer"),
    reporter_name: str | None = typer.Option(None, "--reporter-name"),
    user: str | None = USER,
    today: str | None = TODAY,
    as_json: bool = JSON,
) -> None:
    """File a claim (refused if the same person, type and event date is already filed)."""
    data = _claim(type=claim_type, nik=nik, event_date=event_date, benefit=benefit, heir=heir, wage=wage,
                  months_unable=months_unable, disability_percent=disability_percent, medical_cost=medical_cost,
                  children=children, jht_amount=jht_amount, jht_trigger=jht_trigger, reporter_kind=reporter_kind,
                  reporter_name=reporter_name)  # fmt: skip
    with unit() as session:
        principal = _principal(session, user)
        claim = file_claim(session, data, principal, _today(today))
        _, person = find_claim(session, claim.reference or "", principal)
        body = claim_detail(session, claim, person, principal, _today(today)).model_dump(by_alias=True)
    if as_json:
        emit_json(body)
        return
    console.print(f"Filed [bold]{claim.reference}[/]")
    _print_assessment(body["assessment"])


@app.command("list")
def list_command(
    status: list[str] = typer.Option(OPEN_STATUSES, "--status", help="Statuses to list (default: the open ones)"),
    size: int = typer.Option(50, "--size", min=1, max=500),
    as_json: bool = JSON,
) -> None:
    """The queue: open claims, nearest SLA deadline first."""
    today = dt.date.today()
    with unit() as session:
        listing = repo.queue(session, OPERATOR.scope, PageRequest(1, size), status)
        rows = [queue_entry(c, p, today).model_dump(by_alias=True) for c, p in listing.items]
    if as_json:
        emit_json({"items": rows, "total": listing.total})
        return
    table(
        f"Claims ({listing.total})",
        ["reference", "status", "kind", "person", "event", "SLA due", "amount"],
        [(r["reference"], r["status"], r["kind"], r["person"], r["event_date"], r["sla"]["due_on"],
          format_rupiah(r["amount"])) for r in rows],
    )  # fmt: skip


@app.command("show")
def show_command(reference: str, as_json: bool = JSON) -> None:
    """One claim: reasons, amount, heirs, documents, SLA and history."""
    with unit() as session:
        claim, person = find_claim(session, reference, OPERATOR)
        body = claim_detail(session, claim, person, OPERATOR).model_dump(by_alias=True)
    if as_json:
        emit_json(body)
        return
    key_values(body["reference"] or "", {k: body[k] for k in ("status", "kind", "event_date", "amount", "paid_on")})
    _print_assessment(body["assessment"])
    table(
        "Documents",
        ["code", "required", "received"],
        [(d["code"], d["required"], d["received_on"]) for d in body["documents"]],
    )
    table(
        "History",
        ["at", "actor", "action", "to"],
        [(e["at"], e["actor"], e["action"], e["to"]) for e in body["history"]],
    )


def _step(reference: str, user: str | None, as_json: bool, run: Any) -> None:
    with unit() as session:
        principal = _principal(session, user)
        run(session, principal)
        claim, person = find_claim(session, reference, principal)
        body = claim_detail(session, claim, person, principal).model_dump(by_alias=True)
    if as_json:
        emit_json(body)
    else:
        console.print(f"{body['reference']}: {body['status']} ({body['status_id']})")


@app.command("document")
def document_command(
    reference: str, code: str, received_on: str | None = typer.Option(None, "--received-on"), user: str | None = USER,
    as_json: bool = JSON,
) -> None:  # fmt: skip
    """Mark a checklist document as received."""
    data = _valid(DocumentIn, {"code": code, "received_on": received_on})
    _step(reference, user, as_json, lambda s, p: process.receive_document(s, reference, data, p))


@app.command("verify")
def verify_command(
    reference: str,
    note: str | None = typer.Option(None, "--note"),
    decide: bool = typer.Option(False, "--decide-open-points", help="The open points were checked by the officer"),
    user: str | None = USER,
    as_json: bool = JSON,
) -> None:
    """Verify a claim whose documents are complete (the maker)."""
    data = _valid(VerifyIn, {"note": note, "decide_open_points": decide})
    _step(reference, user, as_json, lambda s, p: process.verify_claim(s, reference, data, p))


@app.command("approve")
def approve_command(reference: str, user: str | None = USER, as_json: bool = JSON) -> None:
    """Approve a verified claim (the checker: another account than the maker)."""
    _step(reference, user, as_json, lambda s, p: process.approve_claim(s, reference, p))


@app.command("pay")
def pay_command(
    reference: str,
    paid_on: str = typer.Option(..., "--paid-on"),
    payment_ref: str | None = typer.Option(None, "--payment-ref"),
    user: str | None = USER,
    as_json: bool = JSON,
) -> None:
    """Record the payment of an approved claim (and any late-payment compensation)."""
    data = _valid(PayIn, {"paid_on": paid_on, "payment_ref": payment_ref})
    _step(reference, user, as_json, lambda s, p: process.pay_claim(s, reference, data, p))


@app.command("reject")
def reject_command(
    reference: str, reason: str = typer.Option(..., "--reason"), user: str | None = USER, as_json: bool = JSON
) -> None:
    """Reject an open claim with the reason."""
    data = _valid(RejectIn, {"reason": reason})
    _step(reference, user, as_json, lambda s, p: process.reject_claim(s, reference, data, p))


@app.command("handover")
def handover_command(
    reference: str,
    event_name: str = typer.Option(..., "--event"),
    held_on: str = typer.Option(..., "--on"),
    place: str = typer.Option(..., "--place"),
    received_by: str = typer.Option(..., "--received-by"),
    handed_by: str = typer.Option(..., "--handed-by"),
    witness: list[str] = typer.Option(..., "--witness"),
    user: str | None = USER,
    as_json: bool = JSON,
) -> None:
    """Record the public handover of a paid benefit."""
    data = _valid(HandoverIn, {"event_name": event_name, "held_on": held_on, "place": place,
                               "received_by": received_by, "handed_by": handed_by, "witnesses": witness})  # fmt: skip
    _step(reference, user, as_json, lambda s, p: process.record_handover(s, reference, data, p))


@app.command("request-documents")
def request_documents_command(
    reference: str,
    documents: str = typer.Option(..., "--documents", help="What the claimant is asked for"),
    requested_on: str | None = typer.Option(None, "--on", help="YYYY-MM-DD (default today)"),
    user: str | None = USER,
    as_json: bool = JSON,
) -> None:
    """Ask the claimant for documents: the service-level clock stops until they arrive."""
    data = _valid(DocumentRequestIn, {"documents": documents, "requested_on": requested_on})
    _step(reference, user, as_json, lambda s, p: process.request_documents(s, reference, data, p))


@app.command("documents-arrived")
def documents_arrived_command(
    reference: str,
    arrived_on: str | None = typer.Option(None, "--on", help="YYYY-MM-DD (default today)"),
    user: str | None = USER,
    as_json: bool = JSON,
) -> None:
    """The requested documents arrived: the deadline moves by the working days the clock stood still."""
    data = _valid(DocumentsArrivedIn, {"arrived_on": arrived_on})
    _step(reference, user, as_json, lambda s, p: process.documents_arrived(s, reference, data, p))


@app.command("jht")
def jht_command(
    nik: str = NIK,
    year: int | None = typer.Option(None, "--year", help="Only this year (default: the whole account)"),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD (default today)"),
    pdf: str | None = typer.Option(None, "--pdf", help="Write the statement as a PDF to this file"),
    as_json: bool = JSON,
) -> None:
    """A member's JHT account ("cek saldo JHT"): balance, contributions, returns and withdrawals per year."""
    data = _valid(JhtStatementIn, {"nik": nik, "year": year, "as_of": as_of})
    with unit() as session:
        statement = jht_statement(session, data, OPERATOR, dt.date.today())
    if pdf:
        with open(pdf, "wb") as out:
            out.write(jht_statement_pdf(statement))
    if as_json:
        emit_json(statement)
        return
    console.print(f"Saldo JHT {statement['person']['full_name']}: {format_rupiah(statement['balance'])}")
    for account in statement["accounts"]:
        rows = [
            (y["year"], format_rupiah(y["contributions"]), format_rupiah(y["returns"]),
             format_rupiah(y["withdrawals"]), format_rupiah(y["closing"]), f"{y['annual_return_bp'] / 100:g} %")
            for y in account["years"]
        ]  # fmt: skip
        table(f"Membership {account['membership_id']}", ["year", "in", "returns", "out", "balance", "rate"], rows)
