"""``jangkau notify``: test a channel, record consent, dispatch what is due, list messages, preview templates."""

from __future__ import annotations

import datetime as dt

import typer

from jangkau.auth.principal import EVERYWHERE
from jangkau.clikit import console, emit_json, table
from jangkau.db.session import unit
from jangkau.i18n import N_, bilingual
from jangkau.notify import clock, consent, service
from jangkau.notify import repository as repo
from jangkau.notify.channels import registry
from jangkau.notify.channels.base import PHONE_CHANNELS, ChannelName
from jangkau.notify.errors import ChannelNotConfigured
from jangkau.notify.schemas import ConsentRead, MessageRead
from jangkau.notify.templates import Use, catalog, render
from jangkau.registry.models import Person
from jangkau.registry.nik import clean_nik
from jangkau.registry.repository import nik_taken

app = typer.Typer(help="Messages to people: channels, consent, dispatch, templates.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")
CHANNEL_HELP = "sms, whatsapp or email"


@app.command("test")
def channel_check(
    channel: str = typer.Option(..., help=CHANNEL_HELP),
    to: str = typer.Option(..., help="Mobile number (08..., +628..., 628...) or e-mail address"),
    language: str = typer.Option("id", "--lang", help="id or en"),
    as_json: bool = JSON,
) -> None:
    """Send one test message through a channel's provider as configured (JANGKAU_NOTIFY_*), now, without queue."""
    name = ChannelName(channel) if channel in ChannelName.__members__.values() else None
    if name is None or name == ChannelName.LOG:
        raise ChannelNotConfigured(channel)
    address = consent.address_for(name, to)
    made = registry.channels()
    if name not in made:
        raise ChannelNotConfigured(name.value)
    stamp = clock.now().astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d-%m-%Y %H:%M WIB")
    rendered = render(Use.TEST, language, {"waktu": stamp})
    try:
        provider_id = made[name].send(address, rendered, "test")
    except Exception as exc:
        console.print(f"[red]{name.value}: not sent: {exc}[/red]")
        raise typer.Exit(1) from None
    if as_json:
        emit_json({"channel": name.value, "provider_id": provider_id, "status": "sent"})
        return
    console.print(f"{name.value}: sent, provider id {provider_id}")


def _person_id(nik: str) -> int:
    with unit() as session:
        found = nik_taken(session, clean_nik(nik))
    if found is None:
        console.print(" / ".join(bilingual(N_("No person with this NIK"))))
        raise typer.Exit(2)
    return found


@app.command("consent")
def consent_command(
    nik: str = typer.Option(..., help="The person's NIK"),
    channel: str = typer.Option(..., help=CHANNEL_HELP),
    address: str = typer.Option("", help="Mobile number or e-mail address (default: the phone on record)"),
    language: str = typer.Option("id", "--lang"),
    withdraw: bool = typer.Option(False, help="Withdraw instead of give"),
    as_json: bool = JSON,
) -> None:
    """Record consent given on the enrolment form (or its withdrawal), with the time and the way it was given."""
    person_id = _person_id(nik)
    with unit() as session:
        if withdraw:
            consent.withdraw(session, person_id, [channel], consent.Via.CLI)
        else:
            person = session.get(Person, person_id)
            fallback = person.phone if person is not None and ChannelName(channel) in PHONE_CHANNELS else ""
            consent.grant(session, person_id, channel, address or fallback or "", consent.Via.ENROLMENT_FORM, language)
        rows = [ConsentRead.of(r).model_dump(mode="json") for r in repo.consents_of(session, person_id)]
    if as_json:
        emit_json(rows)
        return
    table("Consent", ["channel", "granted", "given", "via"], [(r["channel"], r["granted"], r["given_at"],
          r["given_via"]) for r in rows])  # fmt: skip


@app.command("dispatch")
def dispatch_command(as_json: bool = JSON) -> None:
    """Send what is due now in this process (what the worker's every-minute dispatch does), quiet hours kept."""
    total = service.SendOutcome()
    while True:
        with unit() as session:
            ids = service.dispatch(session, clock.now(), 200)
        if not ids:
            break
        outcome = service.send_batch(unit, ids, final=True)
        total.sent, total.failed = total.sent + outcome.sent, total.failed + outcome.failed
        total.deferred, total.cancelled = total.deferred + outcome.deferred, total.cancelled + outcome.cancelled
    if as_json:
        emit_json(total.as_dict())
        return
    console.print(f"{total.sent} sent, {total.failed} failed, {total.deferred} deferred (quiet hours).")


@app.command("messages")
def messages_command(
    campaign: str | None = typer.Option(None),
    limit: int = typer.Option(50, min=1, max=1000),
    as_json: bool = JSON,
) -> None:
    """The newest messages (addresses masked)."""
    with unit() as session:
        rows = [MessageRead.of(m) for m in repo.list_messages(session, EVERYWHERE, campaign=campaign, limit=limit)]
    if as_json:
        emit_json([r.model_dump(mode="json") for r in rows])
        return
    table("Messages", ["id", "use", "channel", "to", "status", "sent", "error"],
          [(r.id, r.use, r.channel, r.address, r.status, r.sent_at or "", r.error or "") for r in rows])  # fmt: skip


@app.command("templates")
def templates_command(language: str = typer.Option("id", "--lang"), as_json: bool = JSON) -> None:
    """The templates: use, WhatsApp name, variables and text."""
    rows = [
        {"use": t.use.value, "whatsapp": t.whatsapp, "variables": list(t.variables), "text": t.texts[language]}
        for t in catalog().templates.values()
    ]
    if as_json:
        emit_json(rows)
        return
    table("Templates", ["use", "whatsapp", "variables", "text"],
          [(r["use"], r["whatsapp"], ", ".join(r["variables"]), r["text"]) for r in rows])  # fmt: skip
