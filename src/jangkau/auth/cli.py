"""``jangkau users``: create and list accounts (run by the installation's operator)."""

from __future__ import annotations

import typer

from jangkau.auth import audit
from jangkau.auth import repository as repo
from jangkau.auth.errors import NotAChoice, UserNotFound
from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user, reset_totp
from jangkau.clikit import console, emit_json, table
from jangkau.db.session import unit
from jangkau.kit.pagination import PageRequest

app = typer.Typer(help="User accounts: roles and territory scope.", no_args_is_help=True)


def _enum(cls: type[Role] | type[AgentKind], value: str, field: str) -> Role | AgentKind:
    try:
        return cls(value)
    except ValueError as exc:
        known = ", ".join(v.value for v in cls)
        raise NotAChoice(field, value, known) from exc


@app.command("create")
def create_command(
    username: str = typer.Option(..., help="Login name (lowercase)"),
    role: str = typer.Option(..., help=", ".join(r.value for r in Role)),
    scope: list[str] = typer.Option(..., help="Region prefix, repeatable (12.71, 12.71.01); '' = whole country"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    full_name: str = typer.Option("", help="Display name (default: the username)"),
    agent_kind: str | None = typer.Option(None, help=", ".join(k.value for k in AgentKind)),
    institution: str | None = typer.Option(None, help="Polsek, Koramil, kelurahan, OPD, ..."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create a user with a role and a territory scope."""
    data = NewUser(
        username=username,
        full_name=full_name or username,
        role=Role(_enum(Role, role, "role")),
        password=password,
        scope=tuple(scope),
        agent_kind=AgentKind(_enum(AgentKind, agent_kind, "agent_kind")) if agent_kind else None,
        institution=institution,
    )
    with unit() as session:
        user = create_user(session, data, OPERATOR)
        out = {"id": user.id, "username": user.username, "role": user.role, "scope": list(data.scope)}
    if as_json:
        emit_json(out)
    else:
        console.print(f"Created {out['username']} ({out['role']}) for {', '.join(data.scope) or 'nowhere'}.")


@app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """List users with their role and scope."""
    with unit() as session:
        users = repo.list_users(session, PageRequest(1, 500)).items
        rows = [
            {
                "username": u.username,
                "role": u.role,
                "agent_kind": u.agent_kind,
                "scope": ", ".join(repo.scope_of(session, u.id)),
                "active": u.is_active,
            }
            for u in users
        ]
    if as_json:
        emit_json(rows)
    else:
        table(
            "Users",
            ["username", "role", "agent", "scope", "active"],
            [(r["username"], r["role"], r["agent_kind"], r["scope"], r["active"]) for r in rows],
        )


@app.command("reset-totp")
def reset_totp_command(username: str = typer.Option(..., help="Whose second factor to remove (lost phone)")) -> None:
    """Remove a user's TOTP second factor and end their sessions; they set it up again at the next sign-in."""
    with unit() as session:
        user = repo.user_by_username(session, username.strip().lower())
        if user is None:
            raise UserNotFound(username)
        reset_totp(session, user, OPERATOR)
    console.print(f"The second factor of {username} is removed; it is set up again at the next sign-in.")


audit_app = typer.Typer(help="The audit log: seal each day in a hash chain, and verify it.", no_args_is_help=True)


@audit_app.command("seal")
def seal_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """Seal every complete day not sealed yet (run daily, after midnight UTC)."""
    with unit() as session:
        made = [{"day": s.day.isoformat(), "events": s.events, "digest": s.digest} for s in audit.seal(session)]
    if as_json:
        emit_json(made)
    else:
        console.print(f"Sealed {len(made)} day(s)" + (f", up to {made[-1]['day']}." if made else "."))


@audit_app.command("verify")
def verify_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """Recompute every sealed day; exit 1 and name the days whose events were changed after sealing."""
    with unit() as session:
        checked, problems = audit.verify(session)
    found = [{"day": p.day.isoformat(), "reason": p.reason} for p in problems]
    if as_json:
        emit_json({"days_checked": checked, "problems": found})
    elif found:
        table("Audit log: tampering found", ["day", "what"], [(p["day"], p["reason"]) for p in found])
    else:
        console.print(f"The audit log is intact: {checked} sealed day(s) verified.")
    if found:
        raise typer.Exit(1)
