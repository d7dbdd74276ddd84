"""The 2026 minimum wages of Sumatera Utara, loaded the way a user would: a file proposed by one rules admin
(the branch) and activated by another (the manpower office), through ``jangkau.ruleadmin``."""

from __future__ import annotations

import datetime as dt
from importlib import resources

from sqlalchemy.orm import Session

from jangkau.auth import repository as auth_repo
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.service import NewUser, create_user, principal_for
from jangkau.demo.users import ACCOUNTS, DEMO_PASSWORD, DemoAccount
from jangkau.ruleadmin import repository as rule_repo
from jangkau.ruleadmin import service
from jangkau.ruleadmin.schemas import VersionIn

MIN_WAGE_FILE = "min-wage-sumut-2026.csv"
UMK_2026 = VersionIn(
    instrument="Kepgub Sumut 188.44/908/KPTS/2025",
    signed_on=dt.date(2025, 12, 24),
    valid_from=dt.date(2026, 1, 1),
    valid_to=dt.date(2026, 12, 31),
    source="IDN Times Sumut 2025-12-24 'Daftar Resmi UMK 22 Kabupaten Kota se-Sumut'; dataloka.id 2026-01-07; "
    "UMP: tribun-medan 2025-12-19 (REFERENCE-2026.md)",
    status="confirmed",
)


def _principal(session: Session, account: DemoAccount) -> Principal:
    user = auth_repo.user_by_username(session, account.username)
    if user is None:
        data = NewUser(account.username, account.full_name, account.role, DEMO_PASSWORD, account.scope)
        user = create_user(session, data, OPERATOR)
    return principal_for(session, user)


def load_2026_min_wages(session: Session) -> int | None:
    """Propose (maker) and activate (checker) the 2026 UMP/UMKs of Sumatera Utara, unless a version is on file.

    Returns:
        The id of the version made, or None when one was there already.
    """
    existing = [
        r for r in rule_repo.in_states(session, ("proposed", "active"), "min_wage.12") if r.valid_from.year == 2026
    ]
    if existing:
        return None
    maker, checker = (_principal(session, a) for a in ACCOUNTS if a.username in ("aturan.cabang", "aturan.disnaker"))
    content = (resources.files("jangkau.ruleadmin") / "data" / MIN_WAGE_FILE).read_bytes()
    row = service.propose_min_wage_file(session, maker, MIN_WAGE_FILE, content, UMK_2026)
    service.activate(session, checker, row.id)
    return row.id
