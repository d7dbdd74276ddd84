"""Every route x every role x own / other-owner / out-of-territory record: nobody reads a person not theirs.

The routes come from the app's route table (``jangkau.web.app.API_ROUTERS`` and ``PAGE_ROUTERS``), so a new GET route
is probed without editing this test; a route with a path parameter this test has no ids for fails until ids are
added to ``ids_for``. Each role is a real account (``principal_for``), so the roles' real scopes are what is tested.

The world: one person of each kind of ownership, each with a unique name, NIK and phone (the secrets), plus a
person in another city. A role must never receive the secrets of a person outside what it may see, in JSON, HTML,
CSV, XLSX or PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.models import AuditEvent
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user, principal_for
from jangkau.claims.schemas import ClaimIn
from jangkau.claims.service import file_claim
from jangkau.funding.access import grant_payer
from jangkau.funding.schemas import ProgrammeIn, SponsorIn
from jangkau.funding.service import create_programme, create_sponsor, enrol
from jangkau.i18n import format_date
from jangkau.jobs import service as jobs
from jangkau.jobs.applications import service as applications
from jangkau.jobs.schemas import ApplicationIn, SeekerIn, VacancyIn
from jangkau.notify import consent
from jangkau.notify import service as notify
from jangkau.notify.templates import Use
from jangkau.regions.models import Region
from jangkau.registry.models import Employer, Membership, Person
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import EmployerIn, MembershipIn, PersonIn, Registrar
from jangkau.registry.service import open_membership, register_employer, register_person
from jangkau.web import app as web

TODAY = dt.date.today()
OFFICE = Registrar("user", "petugas")
MEDAN_KOTA_VILLAGE = "12.71.01.1001"
SUNGGAL_VILLAGE = "12.71.02.1001"
PASSWORD = "matriks-akses-2026"


@dataclass
class World:
    persons: dict[str, Person]
    memberships: dict[str, Membership]
    employers: dict[str, Employer]
    claims: list[str]
    seekers: list[int]
    vacancies: list[int]
    application_ids: list[int]
    payers: list[int]
    programmes: list[int]
    principals: dict[str, Principal] = field(default_factory=dict)

    def secrets(self, who: str) -> tuple[str, ...]:
        person = self.persons[who]
        phone = person.phone or ""
        return (person.full_name, person.nik, phone, f"+62{phone[1:]}" if phone else "")  # notify keeps +628...


# what each role may see, by the person's key in the world (every other person is forbidden to it)
ALLOWED: dict[str, set[str]] = {
    "admin": {"own", "registered", "employee", "sponsored", "applicant", "other", "outside"},
    "branch": {"own", "registered", "employee", "sponsored", "applicant", "other"},
    "region": {"own", "registered", "employee", "sponsored", "applicant", "other"},
    "opd": {"own", "registered", "employee", "sponsored", "applicant", "other"},
    "agent": {"own", "registered", "employee", "sponsored", "applicant"},  # Medan Kota only, not Sunggal
    "worker": {"own", "registered"},
    "employer": {"employee", "applicant"},
    "sponsor": {"sponsored"},
    "rules_admin": set(),  # keeps rule tables: reads no one
}


def _outside_village(session: Session) -> str:
    """A village of another regency of Sumatera Utara (not Kota Medan)."""
    code = session.scalar(
        select(Region.code).where(Region.code.like("12.72.%"), Region.level == 4).order_by(Region.code)
    )
    assert code is not None
    return code


def _person(session: Session, key: str, nik: str, village: str, registrar: Registrar = OFFICE) -> Person:
    born = dt.date(1980 + int(nik[10:12]) % 20, int(nik[8:10]), int(nik[6:8]) % 40)
    data = PersonIn(
        nik=nik,
        full_name=f"Kanari {key.capitalize()} Matriks",
        birth_date=born,
        sex=Sex.FEMALE if int(nik[6:8]) > 40 else Sex.MALE,
        village_code=village,
        phone=f"0812990{nik[-5:]}",
        occupation="pedagang_kaki_lima",
    )
    return register_person(session, data, registrar, TODAY).person


def _bpu(session: Session, person: Person) -> Membership:
    data = MembershipIn(
        person_id=person.id, segment="bpu", programs=["jkk", "jkm"], start_date=dt.date(2026, 1, 5),
        declared_income=1_000_000,
    )  # fmt: skip
    return open_membership(session, data, OFFICE)


def _employer(session: Session, number: str) -> Employer:
    data = EmployerIn(
        registration_number=number, name=f"PT Matriks {number}", business_sector="industri", size_class="small",
        jkk_risk_group=1, village_code=MEDAN_KOTA_VILLAGE,
    )  # fmt: skip
    return register_employer(session, data, OFFICE)


def _accounts(session: Session, world: World) -> None:
    accounts = {
        "admin": NewUser("mx.admin", "Admin", Role.ADMIN, PASSWORD, ("",)),
        "branch": NewUser("mx.cabang", "Cabang", Role.BRANCH_OFFICER, PASSWORD, ("12.71",)),
        "region": NewUser("mx.pemkot", "Pemkot", Role.REGION_OFFICER, PASSWORD, ("12.71",)),
        "opd": NewUser("mx.opd", "OPD", Role.OPD_OFFICER, PASSWORD, ("12.71",)),
        "agent": NewUser("mx.bhabin", "Bhabin", Role.FIELD_AGENT, PASSWORD, ("12.71.01",), AgentKind.BHABINKAMTIBMAS),
        "worker": NewUser(
            "mx.pekerja", "Pekerja", Role.WORKER, PASSWORD, ("12.71",), person_id=world.persons["own"].id
        ),
        "employer": NewUser(
            "mx.majikan", "Majikan", Role.EMPLOYER, PASSWORD, ("12.71",), employer_id=world.employers["own"].id
        ),
        "sponsor": NewUser("mx.sponsor", "Sponsor", Role.SPONSOR, PASSWORD, ("12.71",)),
        "rules_admin": NewUser("mx.aturan", "Aturan", Role.RULES_ADMIN, PASSWORD, ("12.71",)),
    }
    assert {a.role for a in accounts.values()} == set(Role), "every role has an account in the matrix"
    for key, data in accounts.items():
        world.principals[key] = principal_for(session, create_user(session, data, OPERATOR))
    grant_payer(session, OPERATOR, world.payers[0], "mx.sponsor")


def _funding(session: Session, world: World, sponsored: dict[str, Membership]) -> None:
    month = f"{TODAY.year}-01"
    for index, (key, membership) in enumerate(sponsored.items()):
        payer = create_sponsor(session, SponsorIn(kind="csr_private", name=f"CSR Matriks {index}", region_code="12.71"))
        programme = create_programme(
            session,
            ProgrammeIn(payer_id=payer.id, name=f"Program {key}", start_month=month, months=12, budget=10**9),
        )
        enrol(session, programme.id, membership.id, "petugas", TODAY)
        world.payers.append(payer.id)
        world.programmes.append(programme.id)


def _jobs(session: Session, world: World) -> None:
    office = Principal(None, "disnaker", Role.REGION_OFFICER, ("",))
    for key in ("applicant", "other", "outside"):
        wishes = SeekerIn(nik=world.persons[key].nik, skills=["menjahit"], education="smk")
        profile = jobs.save_seeker(session, wishes, office)
        world.seekers.append(profile["id"])
    for key, employer in world.employers.items():
        vacancy = jobs.post_vacancy(
            session,
            VacancyIn(
                employer_id=employer.id,
                title=f"Operator {key}",
                sector="garmen",
                skills=["menjahit"],
                wage_offered=6_000_000,
                district_code="12.71.01",
                contract_type="pkwt",
            ),
            office,
            dt.date(2025, 6, 2),
        )
        world.vacancies.append(vacancy["id"])
    for key, vacancy_id in (("applicant", world.vacancies[0]), ("other", world.vacancies[1])):
        seeker = Principal(None, key, Role.WORKER, (), person_id=world.persons[key].id)
        applied = applications.apply(session, ApplicationIn(vacancy_id=vacancy_id), seeker, dt.date(2025, 6, 3))
        world.application_ids.append(applied["id"])


def _messages(session: Session, world: World) -> None:
    """Each person agreed to SMS and has a message (the name is in its variables, the phone is its address)."""
    for key, person in world.persons.items():
        consent.grant(session, person.id, "sms", person.phone or "", consent.Via.ENROLMENT_FORM)
        recipient = notify.person(person.id, person.village_code, person.phone)
        values = {"nama": person.full_name, "klaim": f"KL-{key}", "jumlah": "Rp1"}
        notify.request(session, recipient, Use.CLAIM_PAID, f"matrix:{key}", values, campaign="matriks")


def build_world(session: Session) -> World:
    outside = _outside_village(session)
    own = _person(session, "own", "1271015508850001", MEDAN_KOTA_VILLAGE)
    persons = {
        "own": own,
        "registered": _person(
            session,
            "registered",
            "1271015608850002",
            MEDAN_KOTA_VILLAGE,
            Registrar("participant", "mx.pekerja", own.id),
        ),
        "employee": _person(session, "employee", "1271011708850003", MEDAN_KOTA_VILLAGE),
        "sponsored": _person(session, "sponsored", "1271011808850004", MEDAN_KOTA_VILLAGE),
        "applicant": _person(session, "applicant", "1271011908850005", MEDAN_KOTA_VILLAGE),
        "other": _person(session, "other", "1271022008850006", SUNGGAL_VILLAGE),
        "outside": _person(session, "outside", f"{outside[:2]}{outside[3:5]}{outside[6:8]}2108850007", outside),
    }
    employers = {"own": _employer(session, "NPP-MX-1"), "other": _employer(session, "NPP-MX-2")}
    memberships = {key: _bpu(session, p) for key, p in persons.items() if key != "employee"}
    memberships["employee"] = open_membership(
        session,
        MembershipIn(
            person_id=persons["employee"].id,
            segment="pu",
            programs=["jkk", "jkm"],
            start_date=dt.date(2026, 1, 1),
            employer_id=employers["own"].id,
            wage=5_000_000,
        ),
        OFFICE,
    )
    world = World(persons, memberships, employers, [], [], [], [], [], [])
    _funding(session, world, {"sponsored": memberships["sponsored"], "other": memberships["other"]})
    admin = Principal(None, "matriks", Role.ADMIN, ("",))
    for key in ("other", "outside"):
        claim = file_claim(session, ClaimIn(type="jkk", nik=persons[key].nik, event_date=TODAY), admin, TODAY)
        world.claims.append(claim.reference)
    _jobs(session, world)
    _messages(session, world)
    _accounts(session, world)
    return world


def ids_for(world: World, name: str) -> list[str]:
    """The values to try for a path parameter: records of every owner, and some that exist nowhere."""
    missing = ["1", "999999"]
    known: dict[str, list[object]] = {
        "person_id": [p.id for p in world.persons.values()],
        "membership_id": [m.id for m in world.memberships.values()],
        "reference": world.claims,
        "seeker_id": world.seekers,
        "vacancy_id": world.vacancies,
        "application_id": world.application_ids,
        "sponsor_id": world.payers,
        "programme_id": world.programmes,
        "employer_id": [e.id for e in world.employers.values()],
        "region": ["12.71", "12.71.02", world.persons["outside"].village_code[:5]],
        "fmt": ["csv", "xlsx", "pdf"],
        "code": ["12.71"],
        "challenge_id": ["unknown-challenge"],
        # a NIK search's answer is its user's alone: another user's or a made-up id finds nothing
        "result_id": ["unknown-result"],
        # a card's token is printed on the card: who holds it holds the card, and sees what the card shows
        "token": ["forged-card-token"],
        "username": ["mx.pekerja"],
        "user_id": [str(p.user_id) for p in world.principals.values()],
    }
    # kinds of record that hold no person of this world: probed with ids that exist nowhere
    unheld = ("list_id", "case_id", "document_id", "evidence_id", "campaign_id", "event_id", "partnership_id",
              "hire_id", "training_id", "decision_id", "request_id", "agent_id", "rule_id", "version_id",
                  "task_id", "statement_id", "upload_id")  # fmt: skip
    known.update(dict.fromkeys(unheld, missing))
    if name not in known:
        pytest.fail(f"the matrix has no ids for the path parameter {{{name}}}: add them to ids_for()")
    return [str(v) for v in known[name]]


def _flatten(routes: list[object], prefix: str) -> Iterator[tuple[str, APIRoute]]:
    """The routes of a router, with those of the routers included in it (FastAPI keeps those nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            inner = route.include_context.prefix  # type: ignore[attr-defined]
            yield from _flatten(route.original_router.routes, prefix + inner)  # type: ignore[attr-defined]


def all_routes() -> list[tuple[str, APIRoute]]:
    """The app's route table: every API and page route."""
    found: list[tuple[str, APIRoute]] = []
    for routers, prefix in ((web.API_ROUTERS, "/api/v1"), (web.PAGE_ROUTERS, "")):
        for router in routers:
            found += _flatten(router.routes, prefix)
    return found


QUERY_VALUES = {  # required query parameters, by name: a new one fails the matrix until it is given a value
    "from": f"{TODAY.year}-01",
    "to": f"{TODAY.year}-12",
    "month": f"{TODAY.year}-01",
    "year": str(TODAY.year),
    "start": f"{TODAY.year}-01",
    "budget": "100000000",
    "agent": "1",
}


def _required_query(route: APIRoute) -> list[str]:
    names: list[str] = []

    def walk(dependant: object) -> None:
        names.extend(q.alias for q in dependant.query_params if q.field_info.is_required())  # type: ignore[attr-defined]
        for sub in dependant.dependencies:  # type: ignore[attr-defined]
            walk(sub)

    walk(route.dependant)
    return names


def get_routes() -> list[str]:
    """Every GET route of the app's route table (API and pages), with its required query parameters filled in."""
    paths = set()
    for path, route in all_routes():
        if "GET" not in route.methods:
            continue
        missing = [name for name in _required_query(route) if name not in QUERY_VALUES]
        if missing:
            pytest.fail(f"the matrix has no value for the query parameter(s) {missing} of {path}: add to QUERY_VALUES")
        query = "&".join(f"{name}={QUERY_VALUES[name]}" for name in _required_query(route))
        paths.add(f"{path}?{query}" if query else path)
    return sorted(paths)


def expand(path: str, world: World) -> Iterator[str]:
    names = re.findall(r"{([^}:]+)(?::[^}]*)?}", path)
    for values in itertools.product(*(ids_for(world, n) for n in names)):
        filled = path
        for name, value in zip(names, values, strict=True):
            filled = re.sub(r"{" + name + r"(?::[^}]*)?}", value, filled, count=1)
        yield filled


def readable(body: bytes, content_type: str) -> str:
    """What a person would read in a response: text, or the text of a PDF or a spreadsheet."""
    if body.startswith(b"%PDF"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if body.startswith(b"PK"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
    return body.decode("utf-8", errors="replace")


def client_for(session: Session, principal: Principal) -> TestClient:
    return client_as(session, principal, raise_server_exceptions=False)


def leaks(world: World, role: str, text: str, sent: str = "") -> list[str]:
    """The secrets of people ``role`` may not see found in ``text`` (what the caller ``sent`` itself excepted)."""
    return [f"{who}: {secret}" for who in world.persons if who not in ALLOWED[role]
            for secret in world.secrets(who) if secret and secret != sent and secret in text]  # fmt: skip


def probe(session: Session, world: World, role: str) -> tuple[list[str], int]:
    client = client_for(session, world.principals[role])
    found: list[str] = []
    calls = 0
    for route in get_routes():
        for path in expand(route, world):
            with session.begin_nested():  # a refused request leaves the test's transaction usable
                answer = client.get(path)
            calls += 1
            if answer.status_code < 300:
                found += [f"{path} -> {leak}" for leak in leaks(world, role, readable(answer.content, ""))]
    return found, calls


POST_LOOKUPS = {  # routes that take a NIK in their body: every one is probed with every person's NIK
    "/api/v1/persons/lookup": lambda nik: {"nik": nik},
    "/enrol/check-nik": lambda nik: {"nik": nik},
    "/api/v1/claims/quote": lambda nik: {"type": "jkk", "nik": nik, "event_date": TODAY.isoformat()},
    "/api/v1/nik/check": lambda nik: {"nik": nik},
    "/api/v1/claims/jht/statement": lambda nik: {"nik": nik},
}


def test_every_route_that_takes_a_nik_in_its_body_is_probed() -> None:
    taking_nik = set()
    for path, route in all_routes():
        body = route.body_field
        fields = getattr(getattr(body, "type_", None), "model_fields", {}) if body is not None else {}
        if "nik" in fields:
            taking_nik.add(path)
    registering = {"/api/v1/claims", "/api/v1/jobs/seekers", "/api/v1/jobs/requests", "/api/v1/enrolments"}
    new = taking_nik - set(POST_LOOKUPS) - registering
    assert not new, f"add these NIK look-ups to POST_LOOKUPS: {sorted(new)}"
    assert len(get_routes()) > 100, "the nested routers are read"


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_no_role_reads_a_person_not_its_own(session: Session, role: str) -> None:
    if session.get_bind().dialect.name != "sqlite" and role not in ("worker", "employer", "sponsor"):
        pytest.skip("on PostgreSQL the matrix probes the roles that see by ownership (territory SQL is shared)")
    world = build_world(session)
    found, calls = probe(session, world, role)
    assert calls > 150  # the route table was read
    client = client_for(session, world.principals[role])
    for route, body in POST_LOOKUPS.items():
        for person in world.persons.values():
            with session.begin_nested():
                answer = client.post(route, json=body(person.nik), headers={"X-Requested-With": "jangkau"})
            if answer.status_code < 300:
                found += [f"POST {route} -> {leak}" for leak in leaks(world, role, answer.text, person.nik)]
    assert found == []


def test_owners_see_their_own(session: Session) -> None:
    """The matrix is not passed by refusing everything: each owner reads its own people."""
    world = build_world(session)
    expectations = {
        "worker": [f"/enrol/receipt/{world.memberships['registered'].id}"],
        "employer": [f"/api/v1/jobs/seekers/{world.seekers[0]}"],
        "sponsor": [f"/memberships/{world.memberships['sponsored'].id}/card.pdf"],
        "agent": [f"/api/v1/persons/{world.persons['employee'].id}"],
    }
    for role, paths in expectations.items():
        client = client_for(session, world.principals[role])
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 200, (role, path, answer.text[:300])
    reads = session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(("read", "read_full"))).order_by(AuditEvent.id)
    ).all()
    assert [(e.actor, e.entity, e.source_ip) for e in reads][-4:] == [
        ("mx.pekerja", "membership", "testclient"),
        ("mx.majikan", "job_seeker", "testclient"),
        ("mx.sponsor", "membership", "testclient"),
        ("mx.bhabin", "person", "testclient"),
    ], "every read of a person's record is audited with who and from where"


@pytest.mark.parametrize("role", ["region", "opd"])
def test_masked_roles_never_get_a_whole_nik_back(session: Session, role: str) -> None:
    """Roles without ``registry.read_full`` see NIKs masked, and never beside the birth date the mask hides."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the probe runs on SQLite")
    world = build_world(session)
    client = client_for(session, world.principals[role])
    found = []
    for route in get_routes():
        for path in expand(route, world):
            with session.begin_nested():
                answer = client.get(path)
            if answer.status_code >= 300:
                continue
            text = readable(answer.content, "")
            for key, person in world.persons.items():
                if person.nik in text:
                    found.append(f"{path}: whole NIK of {key}")
                masked = person.nik[:6] + "******" + person.nik[-4:]
                shown = (person.birth_date.isoformat(), format_date(person.birth_date, "id"))  # raw or as shown
                if masked in text and any(date in text for date in shown):
                    found.append(f"{path}: masked NIK of {key} beside the birth date")
    assert found == []
