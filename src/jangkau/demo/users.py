"""Demo accounts for trying Jangkau: one per role, scoped to Kota Medan or one of its districts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.auth import repository as auth_repo
from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.errors import JangkauError
from jangkau.funding.access import grant_payer
from jangkau.funding.models import Payer, PaymentChannel, Programme, Sponsorship, SponsorshipRequest
from jangkau.funding.schemas import ProgrammeIn, SponsorIn
from jangkau.funding.service import create_programme, create_sponsor, enrol
from jangkau.kit.months import Month
from jangkau.regions import repository as regions
from jangkau.registry.models import Employer, Membership, Person

DEMO_PASSWORD = "jangkau-demo-2026"  # printed by `make run`; demo data only
DEMO_SPONSORED = 40  # vulnerable workers the demo APBD programme pays for


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    scope: tuple[str, ...]
    agent_kind: AgentKind | None = None
    institution: str | None = None


ACCOUNTS = (
    DemoAccount("admin", "Administrator Jangkau", Role.ADMIN, ("",)),
    DemoAccount("cabang.medan", "Petugas BPJS Cabang Medan", Role.BRANCH_OFFICER, ("12.71",)),
    DemoAccount("pemkot.medan", "Disnaker Kota Medan", Role.REGION_OFFICER, ("12.71",)),
    DemoAccount("opd.medan", "Bappeda Kota Medan", Role.OPD_OFFICER, ("12.71",)),
    DemoAccount(
        "bhabin.medankota",
        "Bripka Andi Siregar",
        Role.FIELD_AGENT,
        ("12.71.01",),
        AgentKind.BHABINKAMTIBMAS,
        "Polsek Medan Kota",
    ),
    DemoAccount(
        "babinsa.sunggal", "Serka Budi Nasution", Role.FIELD_AGENT, ("12.71.02",), AgentKind.BABINSA, "Koramil Sunggal"
    ),
    DemoAccount(
        "kepling.demo", "Kepala Lingkungan Demo", Role.FIELD_AGENT, ("12.71.01.1001",), AgentKind.KEPLING, "Kelurahan"
    ),
    DemoAccount("sponsor.apbd", "BPKAD Kota Medan (APBD)", Role.SPONSOR, ("12.71",)),
    DemoAccount("majikan.demo", "Pemberi kerja demo", Role.EMPLOYER, ("12.71",)),
    DemoAccount("pekerja.demo", "Pekerja demo", Role.WORKER, ("12.71",)),
    DemoAccount("aturan.cabang", "Pengelola tabel aturan, BPJS Cabang Medan", Role.RULES_ADMIN, ("12",)),
    DemoAccount("aturan.disnaker", "Pengelola tabel aturan, Disnaker Sumut", Role.RULES_ADMIN, ("12",)),
)


def ensure_demo_users(session: Session, region: str = "12.71") -> list[dict[str, str]]:
    """Create the demo accounts that do not exist yet; return every demo login (username, role, scope)."""
    in_region = (Person.registered_by_kind == "demo", Person.village_code.like(region + ".%"))
    covered = select(Membership.person_id).where(  # open (before ``demo history`` nothing is paid yet)
        Membership.status.in_(("pending", "active")), Membership.end_date.is_(None)
    )
    with_jht = covered.where(Membership.programs.contains("jht"))  # the JHT page has a balance to show
    worker = (  # a worker whose coverage (and JHT) page has something to show, else anyone
        session.scalars(select(Person).where(*in_region, Person.id.in_(with_jht)).order_by(Person.id).limit(1)).first()
        or session.scalars(
            select(Person).where(*in_region, Person.id.in_(covered)).order_by(Person.id).limit(1)
        ).first()
        or session.scalars(select(Person).where(*in_region).order_by(Person.id).limit(1)).first()
    )
    employer = session.scalars(
        select(Employer).where(Employer.registered_by_kind == "demo").order_by(Employer.id).offset(1).limit(1)
    ).first()
    out = []
    for account in ACCOUNTS:
        if auth_repo.user_by_username(session, account.username) is None:
            create_user(
                session,
                NewUser(
                    account.username,
                    account.full_name,
                    account.role,
                    DEMO_PASSWORD,
                    account.scope,
                    account.agent_kind,
                    account.institution,
                    person_id=worker.id if worker and account.role is Role.WORKER else None,
                    employer_id=employer.id if employer and account.role is Role.EMPLOYER else None,
                ),
                OPERATOR,
            )
        if account.role is Role.SPONSOR:
            grant_payer(session, OPERATOR, demo_apbd(session, region).id, account.username)
            _demo_requests(session, region)
        out.append(
            {
                "username": account.username,
                "password": DEMO_PASSWORD,
                "role": account.role.value,
                "scope": ", ".join(s or "Indonesia" for s in account.scope),
            }
        )
    _demo_channels(session)
    return out


DEMO_CHANNELS = (
    # data the office writes in its own words (Bahasa Indonesia), not catalog texts
    ("Bank Sumut", "Virtual account 88 + NIK, di teller, ATM atau mobile banking"),
    ("Kantor Pos", "Di kantor pos mana saja: sebutkan NIK dan jumlahnya"),
    ("Alfamart / Indomaret", "Di kasir: sebutkan BPJS Ketenagakerjaan BPU dan NIK"),
)
DEMO_REQUESTS = 2  # self-service enrolments waiting for the demo APBD's officer


def _demo_channels(session: Session) -> None:
    """The payment channels the demo branch office lists on cards and receipts (once; the office edits them)."""
    if session.scalars(select(PaymentChannel.id).limit(1)).first() is not None:
        return
    for position, (name, instructions) in enumerate(DEMO_CHANNELS, start=1):
        session.add(PaymentChannel(name=name, instructions=instructions, position=position, updated_by="demo"))
    session.flush()


def _demo_requests(session: Session, region: str) -> None:
    """Vulnerable BPU workers registered by the demo worker and charged to the demo APBD programme, waiting for the
    sponsor's officer (once: only while the programme has no request at all)."""
    programme = session.scalars(
        select(Programme)
        .join(Payer, Payer.id == Programme.payer_id)
        .where(Payer.kind == "apbd", Payer.region_code == region)
    ).first()
    if (
        programme is None
        or session.scalars(
            select(SponsorshipRequest.id).where(SponsorshipRequest.programme_id == programme.id).limit(1)
        ).first()
        is not None
    ):
        return
    sponsored = select(Sponsorship.membership_id)
    candidates = session.execute(
        select(Membership.id, Membership.person_id)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.segment == "bpu",
            Membership.end_date.is_(None),
            Membership.status.in_(("pending", "active")),
            Person.is_vulnerable.is_(True),
            Person.village_code.like(region + ".%"),
            Membership.id.not_in(sponsored),
        )
        .order_by(Membership.id.desc())
        .limit(DEMO_REQUESTS)
    ).all()
    for membership_id, person_id in candidates:
        session.add(
            SponsorshipRequest(
                programme_id=programme.id, membership_id=membership_id, person_id=person_id, requested_by="pekerja.demo"
            )
        )
    session.flush()


def demo_apbd(session: Session, region: str, today: dt.date | None = None) -> Payer:
    """The city's APBD as a sponsor with one programme for vulnerable workers from January of ``today``'s year
    (created once; ``demo history`` creates it first so the sponsor is billed and pays every month it covers).
    """
    payer = session.scalars(select(Payer).where(Payer.kind == "apbd", Payer.region_code == region)).first()
    if payer is not None:
        return payer
    place = regions.get(session, region)
    payer = create_sponsor(
        session, SponsorIn(kind="apbd", name=f"APBD {place.name if place else region}", region_code=region)
    )
    start = Month.parse(f"{Month.of(today or dt.date.today()).year}-01")
    programme = create_programme(
        session,
        ProgrammeIn(
            payer_id=payer.id,
            name="Perlindungan pekerja rentan (demo)",
            programs=["jkk", "jkm"],
            start_month=str(start),
            months=12,
            budget=2_300_000_000,
            region_prefix=region,
            vulnerable_only=True,
        ),
    )
    _enrol_vulnerable(session, programme.id, region, start.first_day())
    return payer


def _enrol_vulnerable(
    session: Session, programme_id: int, region: str, on: dt.date, wanted: int = DEMO_SPONSORED
) -> int:
    """Enrol the region's first vulnerable BPU workers who meet the programme's criteria on ``on`` (the programme's
    start: the sponsor pays from then), each in a savepoint."""
    candidates = session.scalars(
        select(Membership.id)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.segment == "bpu",
            Membership.end_date.is_(None),
            Person.is_vulnerable.is_(True),
            Person.village_code.like(region + ".%"),
        )
        .order_by(Membership.id)
        .limit(wanted * 3)
    ).all()
    enrolled = 0
    for membership_id in candidates:
        if enrolled == wanted:
            break
        try:
            with session.begin_nested():
                enrol(session, programme_id, membership_id, "demo", on)
            enrolled += 1
        except JangkauError:
            continue  # does not meet the criteria, or already paid for by someone else
    return enrolled
