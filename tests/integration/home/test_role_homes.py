"""Each role's home page (issue 22 point 8): that role's tasks and alerts, each with a link and the count the linked
page shows, instead of two city-wide counts (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session
from tests import factories
from tests.webclient import client_as

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.auth.users.service import set_active
from jangkau.funding.models import PayerUser
from jangkau.funding.reports import lapse_list
from jangkau.funding.schemas import SponsorIn
from jangkau.funding.service import create_sponsor

CITY = ("12.71",)


def task(page: str, key: str) -> tuple[int, str]:
    """The count and the link of one task line."""
    line = rf'<li id="task-{key}"[^>]*><a href="([^"]+)"><strong class="task-count">([\d.,]+)</strong>'
    found = re.search(line, page)
    assert found, f"no task {key}"
    return int(found[2].replace(".", "").replace(",", "")), found[1]


def test_the_branch_officer_sees_claims_payments_lapses_and_pairs_to_review(session: Session) -> None:
    officer = Principal(None, "cabang.uji", Role.BRANCH_OFFICER, CITY)
    before = client_as(session, officer).get("/").text
    assert task(before, "lapses") == (0, "/funding/lapses")
    assert task(before, "claims_waiting") == (0, "/claims")
    assert task(before, "payments_unmatched") == (0, "/funding/review")
    assert task(before, "pairs_to_review") == (0, "/linkage")
    assert 'id="task-users_active"' not in before
    member = factories.membership(session, factories.person(session, 1).id, declared_income=1_000_000)
    member.status = "lapsed"
    session.flush()
    after = client_as(session, officer).get("/").text
    assert task(after, "lapses")[0] == 1 == lapse_list(session, CITY, dt.date.today())["total"]
    assert 'class="alert"' in after
    outside = Principal(None, "cabang.lain", Role.BRANCH_OFFICER, ("12.72",))
    assert task(client_as(session, outside).get("/").text, "lapses")[0] == 0  # another city's officer


def test_the_admin_sees_accounts_and_failed_tasks(session: Session) -> None:
    admin = create_user(session, NewUser("admin.uji", "Admin", Role.ADMIN, "rahasia-sekali-123", ("",)), OPERATOR)
    other = create_user(
        session, NewUser("cabang.uji", "Cabang", Role.BRANCH_OFFICER, "rahasia-sekali-123", CITY), OPERATOR
    )
    me = Principal(admin.id, "admin.uji", Role.ADMIN, ("",))
    page = client_as(session, me).get("/").text
    active, link = task(page, "users_active")
    assert link == "/admin/users"
    assert task(page, "users_inactive")[0] == 0
    assert task(page, "tasks_failed") == (0, "/admin/tasks?status=failed")
    set_active(session, other, False, me)
    again = client_as(session, me).get("/").text
    assert task(again, "users_active")[0] == active - 1
    assert task(again, "users_inactive")[0] == 1


def test_the_rules_admin_and_the_region_officer_see_their_own_work(session: Session) -> None:
    rules = client_as(session, Principal(None, "aturan.uji", Role.RULES_ADMIN, CITY)).get("/").text
    assert task(rules, "proposals_to_check") == (0, "/rules")
    assert 'id="task-claims_waiting"' not in rules
    assert "People registered in your area" not in rules and "Orang terdaftar" not in rules  # noqa: PT018
    region = client_as(session, Principal(None, "pemkot.uji", Role.REGION_OFFICER, CITY)).get("/").text
    assert task(region, "outside_lists") == (0, "/linkage")
    assert 'id="task-lapses"' not in region


def test_the_sponsor_finds_its_statements(session: Session) -> None:
    user = create_user(session, NewUser("sponsor.uji", "CSR", Role.SPONSOR, "rahasia-sekali-123", CITY), OPERATOR)
    sponsor = Principal(user.id, "sponsor.uji", Role.SPONSOR, ())
    alone = client_as(session, sponsor).get("/")
    assert alone.status_code == 200
    assert "/statement" not in alone.text
    payer = create_sponsor(session, SponsorIn(kind="csr_private", name="CSR Bank Sumut", region_code="12.71"))
    session.add(PayerUser(payer_id=payer.id, user_id=user.id))
    session.flush()
    page = client_as(session, sponsor).get("/").text
    assert f'href="/funding/sponsors/{payer.id}/statement">CSR Bank Sumut<' in page


def test_the_worker_sees_their_own_protection_and_what_to_do(session: Session) -> None:
    unlinked = client_as(session, Principal(None, "pekerja.x", Role.WORKER, ())).get("/")
    assert unlinked.status_code == 200
    assert 'id="my-protection"' in unlinked.text
    assert 'id="protection-status"' not in unlinked.text
    person = factories.person(session, 2)
    worker = Principal(None, "pekerja.uji", Role.WORKER, (), person_id=person.id)
    page = client_as(session, worker).get("/", cookies={"jangkau_lang": "en"}).text
    assert re.search(r'id="protection-status">You are not registered yet', page)
    factories.membership(session, person.id, declared_income=1_000_000, start=dt.date.today().replace(day=1))
    unpaid = client_as(session, worker).get("/", cookies={"jangkau_lang": "en"}).text
    assert re.search(r'id="protection-status"><p class="error">BPU: Not yet protected: the first contribution', unpaid)
    assert 'href="/coverage"' in unpaid


def test_the_employer_sees_the_hires_to_register(session: Session) -> None:
    company = factories.employer(session, "NPP-0900", "CV Maju Jaya")
    boss = Principal(None, "majikan.uji", Role.EMPLOYER, (), employer_id=company.id)
    page = client_as(session, boss).get("/").text
    assert task(page, "hires_to_register") == (0, "/jobs/hires")
    assert 'class="alert"' not in page
    unlinked = client_as(session, Principal(None, "majikan.x", Role.EMPLOYER, ())).get("/")
    assert unlinked.status_code == 200
    assert 'id="task-hires_to_register"' not in unlinked.text
